import {
  CreateDistributionConfigurationCommand,
  type CreateDistributionConfigurationCommandInput,
  CreateImagePipelineCommand,
  DeleteDistributionConfigurationCommand,
  DeleteImagePipelineCommand,
  GetDistributionConfigurationCommand,
  type ImagebuilderClient,
  ListDistributionConfigurationsCommand,
  ListTagsForResourceCommand,
  paginateListDistributionConfigurations,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateDistributionConfigurationCommand,
} from "@aws-sdk/client-imagebuilder";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { type Emulator, startEmulator } from "./emulator.js";
import { rejection, sdkClient } from "./testing/sdk-client.js";

const ami = (name = "web {{imagebuilder:buildDate}}") => ({ amiDistributionConfiguration: { name } });

function createInput(name: string, regions = ["us-west-2"]): CreateDistributionConfigurationCommandInput {
  return { name, distributions: regions.map((region) => ({ region, ...ami() })) };
}

let emulator: Emulator;
let client: ImagebuilderClient;

beforeAll(async () => {
  emulator = await startEmulator({ accounts: { AKIDOTHER: "210987654321" } });
  client = sdkClient(emulator);
});
afterAll(async () => {
  client.destroy();
  await emulator.close();
});
beforeEach(() => {
  emulator.reset();
  emulator.resetCounts();
  emulator.setFaults({ latencyMs: 0, throttleRps: 0, errorRate: 0, dropRate: 0 });
});

describe("create and get", () => {
  test("derives the ARN from the name and returns the whole configuration", async () => {
    const created = await client.send(
      new CreateDistributionConfigurationCommand({
        name: "My Example Distribution",
        description: "golden web AMI",
        distributions: [
          { region: "us-west-2", ...ami(), licenseConfigurationArns: undefined },
          {
            region: "eu-west-1",
            amiDistributionConfiguration: {
              name: "x {{ imagebuilder:buildDate }}",
              targetAccountIds: ["111111111111"],
            },
          },
        ],
        tags: { team: "web" },
        clientToken: "token-1",
      }),
    );
    const arn =
      "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/my-example-distribution";
    expect(created.distributionConfigurationArn).toBe(arn);
    expect(created.clientToken).toBe("token-1");
    expect(created.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const { distributionConfiguration } = await client.send(
      new GetDistributionConfigurationCommand({ distributionConfigurationArn: arn }),
    );
    expect(distributionConfiguration).toEqual({
      arn,
      name: "My Example Distribution",
      description: "golden web AMI",
      distributions: [
        // The service echoes an empty targetAccountIds.
        {
          region: "us-west-2",
          amiDistributionConfiguration: { name: "web {{imagebuilder:buildDate}}", targetAccountIds: [] },
        },
        {
          region: "eu-west-1",
          amiDistributionConfiguration: {
            name: "x {{ imagebuilder:buildDate }}",
            targetAccountIds: ["111111111111"],
          },
        },
      ],
      timeoutMinutes: 720,
      dateCreated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      tags: { team: "web" },
    });
  });

  test("ignores members the model does not know and does not store them", async () => {
    const arn = await createRaw({
      name: "extra",
      distributions: [
        {
          region: "us-west-2",
          amiDistributionConfiguration: {
            name: "a {{imagebuilder:buildDate}}",
            launchPermissions: { userIds: ["1"] },
          },
        },
      ],
      surprise: true,
    });
    const stored = emulator.snapshot().configurations.find((configuration) => configuration.arn === arn);
    expect(stored?.distributions[0]?.amiDistributionConfiguration).toEqual({
      name: "a {{imagebuilder:buildDate}}",
      targetAccountIds: [],
    });
    expect(stored).not.toHaveProperty("surprise");
  });

  test("a second configuration with a name mapping to the same ARN is ResourceAlreadyExistsException", async () => {
    await client.send(new CreateDistributionConfigurationCommand(createInput("web base")));
    const error = await rejection(
      client.send(new CreateDistributionConfigurationCommand(createInput("Web-Base"))),
    );
    expect(error.name).toBe("ResourceAlreadyExistsException");
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(error.message).toContain("distribution-configuration/web-base");
  });

  test("Get of a missing ARN is ResourceNotFoundException (404)", async () => {
    const error = await rejection(
      client.send(
        new GetDistributionConfigurationCommand({
          distributionConfigurationArn:
            "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/none",
        }),
      ),
    );
    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.$metadata?.httpStatusCode).toBe(404);
  });
});

describe("validation", () => {
  test.each([
    [
      "name pattern",
      { name: "-", distributions: [{ region: "us-west-2", ...ami() }] },
      "The value supplied for parameter 'name' is not valid. 'name' must match pattern ^[-_A-Za-z-0-9][-_A-Za-z0-9 ]{1,126}[-_A-Za-z-0-9]$",
    ],
    [
      "nested pattern",
      {
        name: "ok-name",
        distributions: [
          {
            region: "us-west-2",
            amiDistributionConfiguration: { name: "n {{imagebuilder:buildDate}}", targetAccountIds: ["12"] },
          },
        ],
      },
      "The value supplied for parameter 'distributions[0].amiDistributionConfiguration.targetAccountIds[0]' is not valid. 'distributions[0].amiDistributionConfiguration.targetAccountIds[0]' must match pattern ^[0-9]{12}$",
    ],
    [
      "enum",
      {
        name: "ok-name",
        distributions: [
          {
            region: "us-west-2",
            s3ExportConfiguration: { roleName: "r", diskImageFormat: "ISO", s3Bucket: "b" },
          },
        ],
      },
      "'distributions[0].s3ExportConfiguration.diskImageFormat' must be one of: VMDK, RAW, VHD.",
    ],
    [
      "required member of a nested structure",
      { name: "ok-name", distributions: [{ region: "us-west-2", containerDistributionConfiguration: {} }] },
      "'distributions[0].containerDistributionConfiguration.targetRepository' is required.",
    ],
    [
      "list size",
      { name: "ok-name", distributions: [{ region: "us-west-2", ...ami(), licenseConfigurationArns: [] }] },
      "'distributions[0].licenseConfigurationArns' must contain at least 1 items.",
    ],
    [
      "length",
      { name: "ok-name", description: "x".repeat(1025), distributions: [{ region: "us-west-2", ...ami() }] },
      "'description' must be at most 1024 characters long.",
    ],
    [
      "integer range",
      {
        name: "ok-name",
        distributions: [
          {
            region: "us-west-2",
            ...ami(),
            fastLaunchConfigurations: [{ enabled: true, maxParallelLaunches: 0 }],
          },
        ],
      },
      "'distributions[0].fastLaunchConfigurations[0].maxParallelLaunches' must be greater than or equal to 1.",
    ],
    [
      "tag key",
      { name: "ok-name", distributions: [{ region: "us-west-2", ...ami() }], tags: { "aws:reserved": "x" } },
      "must match pattern ^(?!aws:)",
    ],
    [
      "no output in a distribution",
      { name: "ok-name", distributions: [{ region: "us-west-2" }] },
      "The value supplied for parameter 'distributions[0]' is not valid. One or more outputs should be provided for each region in a distribution configuration.",
    ],
    [
      "AMI name without the build date",
      {
        name: "ok-name",
        distributions: [{ region: "us-west-2", ...ami("web-{{imagebuilder:buildVersion}}") }],
      },
      "The value supplied for parameter 'distributions[0].amiDistributionConfiguration.name' is not valid. The EC2 AMI name must contain '{{ imagebuilder:buildDate }}' to ensure that the name will be unique.",
    ],
    [
      "two distributions for one region",
      {
        name: "ok-name",
        distributions: [
          { region: "us-west-2", ...ami() },
          { region: "us-west-2", ...ami() },
        ],
      },
      "Only one distribution is allowed per region.",
    ],
    [
      "no distributions",
      { name: "ok-name", distributions: [] },
      "At least one distribution must be provided.",
    ],
  ])("%s is InvalidParameterValueException", async (_case, input, message) => {
    const error = await rejection(
      client.send(
        new CreateDistributionConfigurationCommand(input as CreateDistributionConfigurationCommandInput),
      ),
    );
    expect(error.name).toBe("InvalidParameterValueException");
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(error.message).toContain(message);
    expect(emulator.snapshot().configurations).toEqual([]);
  });

  test("a missing required member is named", async () => {
    const error = await rejection(
      client.send(
        new CreateDistributionConfigurationCommand({
          name: "x-y",
        } as CreateDistributionConfigurationCommandInput),
      ),
    );
    expect(error.name).toBe("InvalidParameterValueException");
    expect(error.message).toBe(
      "The value supplied for parameter 'distributions' is not valid. 'distributions' is required.",
    );
  });
});

describe("update", () => {
  test("replaces description and the whole distributions list; name and tags stay; dateUpdated is set", async () => {
    const { distributionConfigurationArn: arn } = await client.send(
      new CreateDistributionConfigurationCommand({
        ...createInput("web", ["us-west-2", "eu-west-1"]),
        description: "before",
        tags: { team: "web" },
      }),
    );
    const updated = await client.send(
      new UpdateDistributionConfigurationCommand({
        distributionConfigurationArn: arn,
        distributions: [{ region: "eu-central-1", ...ami() }],
        clientToken: "update-1",
      }),
    );
    expect(updated).toMatchObject({ distributionConfigurationArn: arn, clientToken: "update-1" });
    const { distributionConfiguration } = await client.send(
      new GetDistributionConfigurationCommand({ distributionConfigurationArn: arn }),
    );
    expect(distributionConfiguration?.name).toBe("web");
    expect(distributionConfiguration?.description).toBeUndefined();
    expect(distributionConfiguration?.distributions?.map((distribution) => distribution.region)).toEqual([
      "eu-central-1",
    ]);
    expect(distributionConfiguration?.tags).toEqual({ team: "web" });
    expect(distributionConfiguration?.dateUpdated).toMatch(/Z$/);
    expect(Date.parse(distributionConfiguration?.dateUpdated ?? "")).toBeGreaterThanOrEqual(
      Date.parse(distributionConfiguration?.dateCreated ?? ""),
    );
  });

  test("name and tags sent to Update are ignored", async () => {
    const { distributionConfigurationArn: arn } = await client.send(
      new CreateDistributionConfigurationCommand({ ...createInput("keep-me"), tags: { a: "1" } }),
    );
    await updateRaw({
      distributionConfigurationArn: arn,
      name: "renamed",
      tags: { b: "2" },
      distributions: [{ region: "us-west-2", ...ami() }],
    });
    const stored = emulator.snapshot().configurations[0];
    expect(stored?.name).toBe("keep-me");
    expect(stored?.tags).toEqual({ a: "1" });
  });

  test("Update of a missing ARN is ResourceNotFoundException", async () => {
    const error = await rejection(
      client.send(
        new UpdateDistributionConfigurationCommand({
          distributionConfigurationArn:
            "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/gone",
          distributions: [{ region: "us-west-2", ...ami() }],
        }),
      ),
    );
    expect(error.name).toBe("ResourceNotFoundException");
  });

  test("Update applies the same service rules as Create", async () => {
    const { distributionConfigurationArn: arn } = await client.send(
      new CreateDistributionConfigurationCommand(createInput("rules")),
    );
    const error = await rejection(
      client.send(
        new UpdateDistributionConfigurationCommand({
          distributionConfigurationArn: arn,
          distributions: [{ region: "us-west-2" }],
        }),
      ),
    );
    expect(error.name).toBe("InvalidParameterValueException");
    expect(error.message).toContain("One or more outputs should be provided");
  });
});

describe("clientToken idempotency", () => {
  test("the same token and request returns the same answer and creates once", async () => {
    const input = { ...createInput("idempotent"), clientToken: "same-token" };
    const first = await client.send(new CreateDistributionConfigurationCommand(input));
    const second = await client.send(new CreateDistributionConfigurationCommand(input));
    expect(second.distributionConfigurationArn).toBe(first.distributionConfigurationArn);
    expect(second.requestId).toBe(first.requestId);
    expect(emulator.snapshot().configurations).toHaveLength(1);
  });

  test("the same token with another request is IdempotentParameterMismatchException", async () => {
    await client.send(
      new CreateDistributionConfigurationCommand({ ...createInput("one"), clientToken: "shared" }),
    );
    const error = await rejection(
      client.send(
        new CreateDistributionConfigurationCommand({ ...createInput("two"), clientToken: "shared" }),
      ),
    );
    expect(error.name).toBe("IdempotentParameterMismatchException");
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  test("a repeated Update with the same token does not touch dateUpdated again", async () => {
    const { distributionConfigurationArn: arn } = await client.send(
      new CreateDistributionConfigurationCommand(createInput("upd")),
    );
    const update = new UpdateDistributionConfigurationCommand({
      distributionConfigurationArn: arn,
      distributions: [{ region: "eu-west-1", ...ami() }],
      clientToken: "update-token",
    });
    await client.send(update);
    const firstDate = emulator.snapshot().configurations[0]?.dateUpdated;
    await new Promise((resolve) => setImmediate(resolve));
    await client.send(update);
    expect(emulator.snapshot().configurations[0]?.dateUpdated).toBe(firstDate);
    const mismatch = await rejection(
      client.send(
        new UpdateDistributionConfigurationCommand({
          distributionConfigurationArn: arn,
          distributions: [{ region: "eu-west-2", ...ami() }],
          clientToken: "update-token",
        }),
      ),
    );
    expect(mismatch.name).toBe("IdempotentParameterMismatchException");
  });

  test("a retry after a dropped answer does not create twice", async () => {
    // Drop every request's connection, then let the SDK's retry through.
    emulator.setFaults({ dropRate: 1 });
    const sending = client.send(
      new CreateDistributionConfigurationCommand({ ...createInput("retried"), clientToken: "retry-token" }),
    );
    const failed = await rejection(sending);
    expect(failed.name).not.toBe("InvalidParameterValueException");
    emulator.setFaults({ dropRate: 0 });
    await client.send(
      new CreateDistributionConfigurationCommand({ ...createInput("retried"), clientToken: "retry-token" }),
    );
    await client.send(
      new CreateDistributionConfigurationCommand({ ...createInput("retried"), clientToken: "retry-token" }),
    );
    expect(emulator.snapshot().configurations).toHaveLength(1);
  });
});

describe("list", () => {
  test("paginates 60 configurations 25 at a time, each exactly once", async () => {
    for (let index = 0; index < 60; index++) {
      await client.send(
        new CreateDistributionConfigurationCommand(createInput(`config-${String(index).padStart(2, "0")}`)),
      );
    }
    const first = await client.send(new ListDistributionConfigurationsCommand({}));
    expect(first.distributionConfigurationSummaryList).toHaveLength(25);
    expect(first.nextToken).toEqual(expect.any(String));

    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateListDistributionConfigurations({ client }, {})) {
      pages += 1;
      for (const summary of page.distributionConfigurationSummaryList ?? []) names.push(summary.name ?? "");
    }
    expect(pages).toBe(3);
    expect(names).toHaveLength(60);
    expect(new Set(names).size).toBe(60);

    const small = await client.send(new ListDistributionConfigurationsCommand({ maxResults: 7 }));
    expect(small.distributionConfigurationSummaryList).toHaveLength(7);
  });

  test("a summary has arn, name, description, dates, tags and regions", async () => {
    await client.send(
      new CreateDistributionConfigurationCommand({
        ...createInput("summary", ["us-west-2", "eu-west-1"]),
        description: "d",
        tags: { k: "v" },
      }),
    );
    const { distributionConfigurationSummaryList } = await client.send(
      new ListDistributionConfigurationsCommand({}),
    );
    expect(distributionConfigurationSummaryList).toEqual([
      {
        arn: "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/summary",
        name: "summary",
        description: "d",
        dateCreated: expect.any(String),
        tags: { k: "v" },
        regions: ["us-west-2", "eu-west-1"],
      },
    ]);
  });

  test("filters by name", async () => {
    for (const name of ["alpha", "beta", "gamma"]) {
      await client.send(new CreateDistributionConfigurationCommand(createInput(name)));
    }
    const { distributionConfigurationSummaryList } = await client.send(
      new ListDistributionConfigurationsCommand({ filters: [{ name: "name", values: ["beta", "gamma"] }] }),
    );
    expect(distributionConfigurationSummaryList?.map((summary) => summary.name)).toEqual(["beta", "gamma"]);
  });

  test("an unknown filter is InvalidParameterValueException", async () => {
    const error = await rejection(
      client.send(
        new ListDistributionConfigurationsCommand({ filters: [{ name: "region", values: ["x"] }] }),
      ),
    );
    expect(error.name).toBe("InvalidParameterValueException");
  });

  test("a bad nextToken is InvalidPaginationTokenException", async () => {
    const error = await rejection(
      client.send(new ListDistributionConfigurationsCommand({ nextToken: "not-a-token" })),
    );
    expect(error.name).toBe("InvalidPaginationTokenException");
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  test("maxResults above 25 is rejected by the model", async () => {
    const error = await rejection(client.send(new ListDistributionConfigurationsCommand({ maxResults: 26 })));
    expect(error.name).toBe("InvalidParameterValueException");
  });
});

describe("delete", () => {
  test("deletes, then the ARN is gone", async () => {
    const { distributionConfigurationArn: arn } = await client.send(
      new CreateDistributionConfigurationCommand(createInput("bye")),
    );
    const deleted = await client.send(
      new DeleteDistributionConfigurationCommand({ distributionConfigurationArn: arn }),
    );
    expect(deleted.distributionConfigurationArn).toBe(arn);
    const again = await rejection(
      client.send(new DeleteDistributionConfigurationCommand({ distributionConfigurationArn: arn })),
    );
    expect(again.name).toBe("ResourceNotFoundException");
    expect(again.$metadata?.httpStatusCode).toBe(404);
  });

  test("a configuration an image pipeline uses is ResourceDependencyException until no pipeline does", async () => {
    const { distributionConfigurationArn: arn = "" } = await client.send(
      new CreateDistributionConfigurationCommand(createInput("used")),
    );
    const { imagePipelineArn = "" } = await client.send(
      new CreateImagePipelineCommand({
        name: "uses-it",
        imageRecipeArn: "arn:aws:imagebuilder:us-west-2:123456789012:image-recipe/web/1.0.0",
        infrastructureConfigurationArn:
          "arn:aws:imagebuilder:us-west-2:123456789012:infrastructure-configuration/build",
        distributionConfigurationArn: arn,
      }),
    );
    const error = await rejection(
      client.send(new DeleteDistributionConfigurationCommand({ distributionConfigurationArn: arn })),
    );
    expect(error.name).toBe("ResourceDependencyException");
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(error.message).toContain(imagePipelineArn);
    await client.send(new DeleteImagePipelineCommand({ imagePipelineArn }));
    await client.send(new DeleteDistributionConfigurationCommand({ distributionConfigurationArn: arn }));
    expect(emulator.snapshot().configurations).toEqual([]);
  });

  test("a malformed ARN is InvalidParameterValueException", async () => {
    const error = await rejection(
      client.send(
        new DeleteDistributionConfigurationCommand({ distributionConfigurationArn: "arn:aws:s3:::bucket" }),
      ),
    );
    expect(error.name).toBe("InvalidParameterValueException");
    expect(error.message).toContain("'distributionConfigurationArn' must match pattern");
  });
});

describe("tags", () => {
  test("tag, list and untag through the percent-encoded ARN path", async () => {
    const { distributionConfigurationArn: arn } = await client.send(
      new CreateDistributionConfigurationCommand({ ...createInput("tagged"), tags: { a: "1", b: "2" } }),
    );
    await client.send(new TagResourceCommand({ resourceArn: arn, tags: { c: "3", a: "one" } }));
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({
      a: "one",
      b: "2",
      c: "3",
    });
    await client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["a", "c", "absent"] }));
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({
      b: "2",
    });
  });

  test("tagging a missing resource is ResourceNotFoundException", async () => {
    const resourceArn = "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/nobody";
    for (const command of [
      new TagResourceCommand({ resourceArn, tags: { a: "1" } }),
      new UntagResourceCommand({ resourceArn, tagKeys: ["a"] }),
      new ListTagsForResourceCommand({ resourceArn }),
    ]) {
      const error = await rejection(client.send(command as TagResourceCommand));
      expect(error.name).toBe("ResourceNotFoundException");
    }
  });

  test("invalid tags are InvalidParameterException", async () => {
    const { distributionConfigurationArn: arn } = await client.send(
      new CreateDistributionConfigurationCommand(createInput("bad-tags")),
    );
    const error = await rejection(
      client.send(new TagResourceCommand({ resourceArn: arn, tags: { "aws:x": "1" } })),
    );
    expect(error.name).toBe("InvalidParameterException");
    expect(error.$metadata?.httpStatusCode).toBe(400);
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`k${index}`, "v"]));
    const sizeError = await rejection(
      client.send(new TagResourceCommand({ resourceArn: arn, tags: tooMany })),
    );
    expect(sizeError.name).toBe("InvalidParameterException");
  });
});

describe("accounts and regions", () => {
  test("state is kept per account (from the access key) and region (from the credential scope)", async () => {
    const europe = sdkClient(emulator, { region: "eu-west-1" });
    const otherAccount = sdkClient(emulator, { accessKeyId: "AKIDOTHER" });
    try {
      const home = await client.send(new CreateDistributionConfigurationCommand(createInput("shared-name")));
      const inEurope = await europe.send(
        new CreateDistributionConfigurationCommand(createInput("shared-name")),
      );
      const inOther = await otherAccount.send(
        new CreateDistributionConfigurationCommand(createInput("shared-name")),
      );
      expect(home.distributionConfigurationArn).toContain(":us-west-2:123456789012:");
      expect(inEurope.distributionConfigurationArn).toContain(":eu-west-1:123456789012:");
      expect(inOther.distributionConfigurationArn).toContain(":us-west-2:210987654321:");
      const europeList = await europe.send(new ListDistributionConfigurationsCommand({}));
      expect(europeList.distributionConfigurationSummaryList?.map((summary) => summary.arn)).toEqual([
        inEurope.distributionConfigurationArn,
      ]);
      // An ARN of another region is not found from here.
      const error = await rejection(
        client.send(
          new GetDistributionConfigurationCommand({
            distributionConfigurationArn: inEurope.distributionConfigurationArn,
          }),
        ),
      );
      expect(error.name).toBe("ResourceNotFoundException");
    } finally {
      europe.destroy();
      otherAccount.destroy();
    }
  });
});

describe("faults", () => {
  test("a throttled operation answers 429 CallRateLimitExceededException; other operations are not affected", async () => {
    const once = sdkClient(emulator, { maxAttempts: 1 });
    try {
      // A bucket of one request refilled once in 100 seconds: the first passes, the rest are throttled.
      emulator.setFaults({ throttleRps: 0.01 });
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, () => once.send(new ListDistributionConfigurationsCommand({}))),
      );
      const rejected = results.filter((result) => result.status === "rejected");
      expect(rejected).toHaveLength(5);
      const reason = (rejected[0] as PromiseRejectedResult).reason as {
        name: string;
        $metadata: { httpStatusCode: number };
      };
      expect(reason.name).toBe("CallRateLimitExceededException");
      expect(reason.$metadata.httpStatusCode).toBe(429);
      // Another operation has its own bucket: it reaches the service (and finds nothing).
      const other = await rejection(
        once.send(
          new ListTagsForResourceCommand({
            resourceArn: "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/x",
          }),
        ),
      );
      expect(other.name).toBe("ResourceNotFoundException");
    } finally {
      once.destroy();
    }
  });

  test("error rate 1 answers 500 ServiceException or 503 ServiceUnavailableException, and nothing changes", async () => {
    const once = sdkClient(emulator, { maxAttempts: 1 });
    try {
      emulator.setFaults({ errorRate: 1, seed: 7 });
      const names = new Set<string>();
      for (let index = 0; index < 12; index++) {
        const error = await rejection(
          once.send(new CreateDistributionConfigurationCommand(createInput(`e-${index}`))),
        );
        names.add(`${error.name} ${error.$metadata?.httpStatusCode}`);
      }
      expect(names).toEqual(new Set(["ServiceException 500", "ServiceUnavailableException 503"]));
      expect(emulator.snapshot().configurations).toEqual([]);
    } finally {
      once.destroy();
    }
  });

  test("the same seed gives the same faults for the same requests", async () => {
    const once = sdkClient(emulator, { maxAttempts: 1 });
    const outcomes = async () => {
      emulator.setFaults({ errorRate: 0.5, seed: 42 });
      const seen: string[] = [];
      for (let index = 0; index < 20; index++) {
        seen.push(
          await once.send(new ListDistributionConfigurationsCommand({})).then(
            () => "ok",
            (error: Error) => error.name,
          ),
        );
      }
      return seen;
    };
    try {
      const first = await outcomes();
      const second = await outcomes();
      expect(second).toEqual(first);
      expect(new Set(first).size).toBeGreaterThan(1);
    } finally {
      once.destroy();
    }
  });

  test("the SDK's retries get through a seeded 50% error rate", async () => {
    const patient = sdkClient(emulator, { maxAttempts: 10 });
    try {
      emulator.setFaults({ errorRate: 0.5, seed: 3 });
      for (let index = 0; index < 5; index++) {
        await patient.send(new CreateDistributionConfigurationCommand(createInput(`retry-${index}`)));
      }
      expect(emulator.snapshot().configurations).toHaveLength(5);
      expect(emulator.requestCounts().CreateDistributionConfiguration).toBeGreaterThan(5);
    } finally {
      patient.destroy();
    }
  });

  test("latency holds an answer back: a request sent later without latency is answered first", async () => {
    emulator.setFaults({ latencyMs: 1_500 });
    const order: string[] = [];
    const slow = client.send(new ListDistributionConfigurationsCommand({})).then(() => order.push("slow"));
    // The latency in force when a request arrives is the one it gets.
    while (emulator.requestCounts().ListDistributionConfigurations === 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    emulator.setFaults({ latencyMs: 0 });
    await client.send(new ListDistributionConfigurationsCommand({})).then(() => order.push("fast"));
    await slow;
    expect(order).toEqual(["fast", "slow"]);
  });

  test("request counts are kept per operation", async () => {
    await client.send(new ListDistributionConfigurationsCommand({}));
    await client.send(new ListDistributionConfigurationsCommand({}));
    await rejection(
      client.send(
        new GetDistributionConfigurationCommand({
          distributionConfigurationArn:
            "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/x",
        }),
      ),
    );
    expect(emulator.requestCounts()).toMatchObject({
      ListDistributionConfigurations: 2,
      GetDistributionConfiguration: 1,
      CreateDistributionConfiguration: 0,
    });
    emulator.resetCounts();
    expect(emulator.requestCounts().ListDistributionConfigurations).toBe(0);
  });
});

describe("the wire", () => {
  const authorization =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-west-2/imagebuilder/aws4_request, SignedHeaders=host, Signature=0";

  test("errors carry x-amzn-ErrorType, __type and message", async () => {
    const response = await fetch(
      `${emulator.url}/GetDistributionConfiguration?distributionConfigurationArn=bad`,
      {
        headers: { authorization },
      },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-errortype")).toBe("InvalidParameterValueException");
    const body = (await response.json()) as { __type: string; message: string };
    expect(body.__type).toBe("InvalidParameterValueException");
    expect(body.message).toContain("'distributionConfigurationArn' must match pattern");
  });

  test("a body that is not JSON is SerializationException", async () => {
    const response = await fetch(`${emulator.url}/CreateDistributionConfiguration`, {
      method: "PUT",
      headers: { authorization, "content-type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-errortype")).toBe("SerializationException");
  });

  test("a request without SigV4 credentials is refused", async () => {
    const response = await fetch(`${emulator.url}/ListDistributionConfigurations`, {
      method: "POST",
      body: "{}",
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
  });

  test("an unknown path is UnknownOperationException", async () => {
    const response = await fetch(`${emulator.url}/CreateImageRecipe`, {
      method: "PUT",
      headers: { authorization },
      body: "{}",
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { __type: string }).__type).toBe("UnknownOperationException");
  });
});

async function createRaw(body: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${emulator.url}/CreateDistributionConfiguration`, {
    method: "PUT",
    headers: {
      authorization:
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-west-2/imagebuilder/aws4_request, Signature=0",
      "content-type": "application/json",
    },
    body: JSON.stringify({ clientToken: crypto.randomUUID(), ...body }),
  });
  const answer = (await response.json()) as { distributionConfigurationArn: string; message?: string };
  expect(response.status, answer.message).toBe(200);
  return answer.distributionConfigurationArn;
}

async function updateRaw(body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${emulator.url}/UpdateDistributionConfiguration`, {
    method: "PUT",
    headers: {
      authorization:
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-west-2/imagebuilder/aws4_request, Signature=0",
      "content-type": "application/json",
    },
    body: JSON.stringify({ clientToken: crypto.randomUUID(), ...body }),
  });
  expect(response.status).toBe(200);
}
