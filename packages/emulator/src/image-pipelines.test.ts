// Image pipelines through the real SDK over HTTP: create, get, list with filters, update, delete, and
// the dependency rule they put on distribution configurations.
import {
  CreateDistributionConfigurationCommand,
  CreateImagePipelineCommand,
  type CreateImagePipelineCommandInput,
  DeleteDistributionConfigurationCommand,
  DeleteImagePipelineCommand,
  GetImagePipelineCommand,
  type ImagebuilderClient,
  ListImagePipelinesCommand,
  ListTagsForResourceCommand,
  paginateListImagePipelines,
  TagResourceCommand,
  UpdateImagePipelineCommand,
} from "@aws-sdk/client-imagebuilder";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { type Emulator, startEmulator } from "./emulator.js";
import { rejection, sdkClient } from "./testing/sdk-client.js";

const account = "123456789012";
const recipe = (name = "web", version = "1.0.0") =>
  `arn:aws:imagebuilder:us-west-2:${account}:image-recipe/${name}/${version}`;
const infrastructure = `arn:aws:imagebuilder:us-west-2:${account}:infrastructure-configuration/build`;
const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let emulator: Emulator;
let client: ImagebuilderClient;

beforeAll(async () => {
  emulator = await startEmulator({ buildMs: 0 });
  client = sdkClient(emulator);
});
afterAll(async () => {
  client.destroy();
  await emulator.close();
});
beforeEach(() => {
  emulator.reset();
});

async function configuration(name: string): Promise<string> {
  const created = await client.send(
    new CreateDistributionConfigurationCommand({
      name,
      distributions: [
        { region: "us-west-2", amiDistributionConfiguration: { name: "x {{imagebuilder:buildDate}}" } },
      ],
    }),
  );
  return created.distributionConfigurationArn as string;
}

function pipelineInput(
  name: string,
  extra: Partial<CreateImagePipelineCommandInput> = {},
): CreateImagePipelineCommandInput {
  return { name, imageRecipeArn: recipe(), infrastructureConfigurationArn: infrastructure, ...extra };
}

async function pipeline(name: string, extra: Partial<CreateImagePipelineCommandInput> = {}): Promise<string> {
  const created = await client.send(new CreateImagePipelineCommand(pipelineInput(name, extra)));
  return created.imagePipelineArn as string;
}

describe("create and get", () => {
  test("derives the ARN from the name and returns the pipeline with the service's defaults", async () => {
    const distributionConfigurationArn = await configuration("web");
    const created = await client.send(
      new CreateImagePipelineCommand({
        ...pipelineInput("Web Golden_Pipeline", { distributionConfigurationArn }),
        description: "weekly web AMI",
        tags: { team: "web" },
        clientToken: "p-1",
      }),
    );
    const arn = `arn:aws:imagebuilder:us-west-2:${account}:image-pipeline/web-golden-pipeline`;
    expect(created).toMatchObject({
      imagePipelineArn: arn,
      clientToken: "p-1",
      requestId: expect.any(String),
    });
    const { imagePipeline } = await client.send(new GetImagePipelineCommand({ imagePipelineArn: arn }));
    expect(imagePipeline).toEqual({
      arn,
      name: "Web Golden_Pipeline",
      description: "weekly web AMI",
      imageRecipeArn: recipe(),
      infrastructureConfigurationArn: infrastructure,
      distributionConfigurationArn,
      status: "ENABLED",
      enhancedImageMetadataEnabled: true,
      imageTestsConfiguration: { imageTestsEnabled: true, timeoutMinutes: 720 },
      platform: "Linux",
      tags: { team: "web" },
      dateCreated: expect.stringMatching(iso),
    });
  });

  test("a name mapping to the same ARN is ResourceAlreadyExistsException; the same clientToken replays", async () => {
    const first = await client.send(
      new CreateImagePipelineCommand({ ...pipelineInput("one"), clientToken: "t" }),
    );
    const replay = await client.send(
      new CreateImagePipelineCommand({ ...pipelineInput("one"), clientToken: "t" }),
    );
    expect(replay).toMatchObject({ imagePipelineArn: first.imagePipelineArn, requestId: first.requestId });
    const mismatch = await rejection(
      client.send(new CreateImagePipelineCommand({ ...pipelineInput("other"), clientToken: "t" })),
    );
    expect(mismatch.name).toBe("IdempotentParameterMismatchException");
    const duplicate = await rejection(client.send(new CreateImagePipelineCommand(pipelineInput("ONE"))));
    expect(duplicate.name).toBe("ResourceAlreadyExistsException");
  });

  test("the service's rules: one recipe, an exact recipe version, a configuration that exists, a schedule that parses", async () => {
    const both = await rejection(
      client.send(
        new CreateImagePipelineCommand(
          pipelineInput("both", {
            containerRecipeArn: `arn:aws:imagebuilder:us-west-2:${account}:container-recipe/c/1.0.0`,
          }),
        ),
      ),
    );
    expect(both.name).toBe("InvalidRequestException");
    const none = await rejection(
      client.send(
        new CreateImagePipelineCommand({ name: "none", infrastructureConfigurationArn: infrastructure }),
      ),
    );
    expect(none.name).toBe("InvalidRequestException");
    const wildcard = await rejection(
      client.send(
        new CreateImagePipelineCommand(pipelineInput("wild", { imageRecipeArn: recipe("web", "1.x.x") })),
      ),
    );
    expect([wildcard.name, wildcard.message]).toEqual([
      "InvalidParameterValueException",
      expect.stringContaining("'imageRecipeArn'"),
    ]);
    const missing = await rejection(
      client.send(
        new CreateImagePipelineCommand(
          pipelineInput("missing", {
            distributionConfigurationArn: `arn:aws:imagebuilder:us-west-2:${account}:distribution-configuration/none`,
          }),
        ),
      ),
    );
    expect([missing.name, missing.$metadata?.httpStatusCode]).toEqual(["ResourceNotFoundException", 404]);
    const badCron = await rejection(
      client.send(
        new CreateImagePipelineCommand(
          pipelineInput("cron", { schedule: { scheduleExpression: "cron(0 0 * * *)" } }),
        ),
      ),
    );
    expect([badCron.name, badCron.message]).toEqual([
      "InvalidParameterValueException",
      expect.stringContaining("'schedule.scheduleExpression'"),
    ]);
    const badZone = await rejection(
      client.send(
        new CreateImagePipelineCommand(
          pipelineInput("zone", {
            schedule: { scheduleExpression: "cron(0 2 ? * MON *)", timezone: "Mars/Olympus" },
          }),
        ),
      ),
    );
    expect(badZone.message).toContain("'schedule.timezone'");
    const badArn = await rejection(
      client.send(new CreateImagePipelineCommand(pipelineInput("arn", { imageRecipeArn: "recipe" }))),
    );
    expect([badArn.name, badArn.message]).toEqual([
      "InvalidParameterValueException",
      expect.stringContaining("must match pattern"),
    ]);
    expect(emulator.snapshot().pipelines).toEqual([]);
  });

  test("dateNextRun follows the cron schedule in its time zone, and only while ENABLED", async () => {
    const weekly = await pipeline("weekly", {
      schedule: {
        scheduleExpression: "cron(0 2 ? * MON *)",
        pipelineExecutionStartCondition: "EXPRESSION_MATCH_ONLY",
      },
    });
    const { imagePipeline } = await client.send(new GetImagePipelineCommand({ imagePipelineArn: weekly }));
    const next = imagePipeline?.dateNextRun as string;
    expect(next).toMatch(iso);
    const nextDate = new Date(next);
    expect([nextDate.getUTCDay(), nextDate.getUTCHours(), nextDate.getUTCMinutes()]).toEqual([1, 2, 0]);
    expect(nextDate.getTime() - Date.now()).toBeGreaterThan(0);
    expect(nextDate.getTime() - Date.now()).toBeLessThanOrEqual(7 * 24 * 3_600_000);

    const zoned = await pipeline("zoned", {
      schedule: { scheduleExpression: "cron(30 9 * * ? *)", timezone: "Asia/Kolkata" },
    });
    const zonedNext = new Date(
      (await client.send(new GetImagePipelineCommand({ imagePipelineArn: zoned }))).imagePipeline
        ?.dateNextRun as string,
    );
    // 09:30 in India (UTC+05:30, no daylight saving) is 04:00 UTC.
    expect([zonedNext.getUTCHours(), zonedNext.getUTCMinutes()]).toEqual([4, 0]);

    const disabled = await pipeline("disabled", {
      status: "DISABLED",
      schedule: { scheduleExpression: "cron(0 2 ? * MON *)" },
    });
    const got = await client.send(new GetImagePipelineCommand({ imagePipelineArn: disabled }));
    expect(got.imagePipeline?.status).toBe("DISABLED");
    expect(got.imagePipeline).not.toHaveProperty("dateNextRun");
  });
});

describe("list", () => {
  test("filters by distributionConfigurationArn, name and status; pages of at most 25", async () => {
    const web = await configuration("web");
    const db = await configuration("dbase");
    await pipeline("web-weekly", { distributionConfigurationArn: web });
    await pipeline("web-nightly", { distributionConfigurationArn: web, status: "DISABLED" });
    await pipeline("db-weekly", { distributionConfigurationArn: db });
    await pipeline("standalone");
    const names = async (filters: { name: string; values: string[] }[]) =>
      ((await client.send(new ListImagePipelinesCommand({ filters }))).imagePipelineList ?? []).map(
        (item) => item.name,
      );
    expect(await names([{ name: "distributionConfigurationArn", values: [web] }])).toEqual([
      "web-nightly",
      "web-weekly",
    ]);
    expect(
      await names([
        { name: "distributionConfigurationArn", values: [web, db] },
        { name: "status", values: ["ENABLED"] },
      ]),
    ).toEqual(["db-weekly", "web-weekly"]);
    expect(await names([{ name: "name", values: ["standalone"] }])).toEqual(["standalone"]);
    const unsupported = await rejection(
      client.send(new ListImagePipelinesCommand({ filters: [{ name: "color", values: ["red"] }] })),
    );
    expect(unsupported.name).toBe("InvalidParameterValueException");

    for (let index = 0; index < 26; index++) await pipeline(`filler-${String(index).padStart(2, "0")}`);
    const first = await client.send(new ListImagePipelinesCommand({}));
    expect(first.imagePipelineList).toHaveLength(25);
    expect(first.nextToken).toEqual(expect.any(String));
    const all: string[] = [];
    for await (const page of paginateListImagePipelines({ client }, {})) {
      for (const item of page.imagePipelineList ?? []) all.push(item.name as string);
    }
    expect(all).toHaveLength(30);
    expect(new Set(all).size).toBe(30);
    const foreign = await rejection(
      sdkClient(emulator, { region: "eu-west-1" }).send(
        new ListImagePipelinesCommand({ nextToken: first.nextToken }),
      ),
    );
    expect(foreign.name).toBe("InvalidPaginationTokenException");
  });
});

describe("update, tags and delete", () => {
  test("update replaces the settings whole and sets dateUpdated; name and tags stay", async () => {
    const web = await configuration("web");
    const arn = await pipeline("web", {
      distributionConfigurationArn: web,
      description: "first",
      tags: { team: "web" },
      schedule: { scheduleExpression: "cron(0 2 ? * MON *)" },
    });
    await client.send(
      new UpdateImagePipelineCommand({
        imagePipelineArn: arn,
        imageRecipeArn: recipe("web", "2.0.0"),
        infrastructureConfigurationArn: infrastructure,
        status: "DISABLED",
      }),
    );
    const { imagePipeline } = await client.send(new GetImagePipelineCommand({ imagePipelineArn: arn }));
    expect(imagePipeline).toMatchObject({
      name: "web",
      imageRecipeArn: recipe("web", "2.0.0"),
      status: "DISABLED",
      tags: { team: "web" },
      dateUpdated: expect.stringMatching(iso),
    });
    expect(imagePipeline).not.toHaveProperty("description");
    expect(imagePipeline).not.toHaveProperty("distributionConfigurationArn");
    expect(imagePipeline).not.toHaveProperty("schedule");
    // No longer used: the configuration can go.
    await client.send(new DeleteDistributionConfigurationCommand({ distributionConfigurationArn: web }));

    await client.send(new TagResourceCommand({ resourceArn: arn, tags: { stage: "prod" } }));
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({
      team: "web",
      stage: "prod",
    });
    const missing = await rejection(
      client.send(
        new UpdateImagePipelineCommand({
          imagePipelineArn: `${arn}-none`,
          imageRecipeArn: recipe(),
          infrastructureConfigurationArn: infrastructure,
        }),
      ),
    );
    expect(missing.name).toBe("ResourceNotFoundException");
  });

  test("DeleteDistributionConfiguration is ResourceDependencyException while any pipeline uses it", async () => {
    const web = await configuration("web");
    const first = await pipeline("first", { distributionConfigurationArn: web });
    const second = await pipeline("second", { distributionConfigurationArn: web });
    const refused = await rejection(
      client.send(new DeleteDistributionConfigurationCommand({ distributionConfigurationArn: web })),
    );
    expect([refused.name, refused.$metadata?.httpStatusCode]).toEqual(["ResourceDependencyException", 400]);
    expect(refused.message).toContain(first);
    expect(refused.message).toContain(second);
    await client.send(new DeleteImagePipelineCommand({ imagePipelineArn: first }));
    const still = await rejection(
      client.send(new DeleteDistributionConfigurationCommand({ distributionConfigurationArn: web })),
    );
    expect(still.name).toBe("ResourceDependencyException");
    expect(still.message).not.toContain(first);
    await client.send(
      new UpdateImagePipelineCommand({
        imagePipelineArn: second,
        imageRecipeArn: recipe(),
        infrastructureConfigurationArn: infrastructure,
        distributionConfigurationArn: await configuration("other"),
      }),
    );
    await client.send(new DeleteDistributionConfigurationCommand({ distributionConfigurationArn: web }));
    const gone = await rejection(client.send(new GetImagePipelineCommand({ imagePipelineArn: first })));
    expect([gone.name, gone.$metadata?.httpStatusCode]).toEqual(["ResourceNotFoundException", 404]);
  });
});
