// Images through the real SDK over HTTP: a pipeline build (StartImagePipelineExecution), GetImage,
// ListImagePipelineImages, ListImageBuildVersions and DistributeImage, with AMIs counted per target.
import {
  CreateDistributionConfigurationCommand,
  CreateImagePipelineCommand,
  DistributeImageCommand,
  type Distribution,
  GetImageCommand,
  GetImagePipelineCommand,
  type Image,
  type ImagebuilderClient,
  ListImageBuildVersionsCommand,
  ListImagePipelineImagesCommand,
  ListImagePipelinesCommand,
  paginateListImageBuildVersions,
  StartImagePipelineExecutionCommand,
  UpdateDistributionConfigurationCommand,
} from "@aws-sdk/client-imagebuilder";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { type Emulator, startEmulator } from "./emulator.js";
import { rejection, sdkClient } from "./testing/sdk-client.js";
import { waitForImage } from "./testing/wait-for-image.js";

const owner = "123456789012";
const other = "111111111111";
const third = "222222222222";
const recipeArn = `arn:aws:imagebuilder:us-west-2:${owner}:image-recipe/web-golden/1.2.3`;
const infrastructure = `arn:aws:imagebuilder:us-west-2:${owner}:infrastructure-configuration/build`;
const role = "arn:aws:iam::123456789012:role/ImageBuilderDistribution";
const amiId = /^ami-[0-9a-f]{17}$/;

let emulator: Emulator;
let client: ImagebuilderClient;

beforeAll(async () => {
  // Short phases: every test polls GetImage until the image settles, never sleeps.
  emulator = await startEmulator({ buildMs: 30 });
  client = sdkClient(emulator);
});
afterAll(async () => {
  client.destroy();
  await emulator.close();
});
beforeEach(() => {
  emulator.reset();
  emulator.setFaults({ distributionFailureRate: 0, deniedOperations: [] });
});

const ami = (name: string, targetAccountIds?: string[]): Distribution["amiDistributionConfiguration"] => ({
  name,
  ...(targetAccountIds === undefined ? {} : { targetAccountIds }),
});

async function configuration(name: string, distributions: Distribution[]): Promise<string> {
  const created = await client.send(new CreateDistributionConfigurationCommand({ name, distributions }));
  return created.distributionConfigurationArn as string;
}

async function pipelineUsing(name: string, distributionConfigurationArn: string): Promise<string> {
  const created = await client.send(
    new CreateImagePipelineCommand({
      name,
      imageRecipeArn: recipeArn,
      infrastructureConfigurationArn: infrastructure,
      distributionConfigurationArn,
    }),
  );
  return created.imagePipelineArn as string;
}

async function build(pipelineArn: string): Promise<Image> {
  const started = await client.send(
    new StartImagePipelineExecutionCommand({ imagePipelineArn: pipelineArn }),
  );
  return waitForImage(client, started.imageBuildVersionArn as string);
}

/** Every AMI of every build version in the account and region, as "region/account" → count. */
async function amisPerTarget(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for await (const page of paginateListImageBuildVersions({ client }, {})) {
    for (const summary of page.imageSummaryList ?? []) {
      for (const one of summary.outputResources?.amis ?? []) {
        const key = `${one.region}/${one.accountId}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
    }
  }
  return counts;
}

describe("a pipeline build", () => {
  test("ends AVAILABLE with an AMI in every region × account of the configuration as it was at the start", async () => {
    const arn = await configuration("web", [
      { region: "us-west-2", amiDistributionConfiguration: ami("web {{imagebuilder:buildDate}}") },
      {
        region: "eu-west-1",
        amiDistributionConfiguration: {
          ...ami("web-{{ imagebuilder:buildVersion }} {{imagebuilder:buildDate}}", [other, third]),
          description: "copied",
        },
      },
    ]);
    const pipelineArn = await pipelineUsing("web", arn);
    const started = await client.send(
      new StartImagePipelineExecutionCommand({
        imagePipelineArn: pipelineArn,
        clientToken: "run-1",
        tags: { run: "1" },
      }),
    );
    expect(started).toMatchObject({
      clientToken: "run-1",
      imageBuildVersionArn: `arn:aws:imagebuilder:us-west-2:${owner}:image/web-golden/1.2.3/1`,
    });
    // The same client token is the same build, not a second one.
    const again = await client.send(
      new StartImagePipelineExecutionCommand({
        imagePipelineArn: pipelineArn,
        clientToken: "run-1",
        tags: { run: "1" },
      }),
    );
    expect(again.imageBuildVersionArn).toBe(started.imageBuildVersionArn);
    // A region added after the start is not part of this build.
    await client.send(
      new UpdateDistributionConfigurationCommand({
        distributionConfigurationArn: arn,
        distributions: [
          { region: "us-west-2", amiDistributionConfiguration: ami("web {{imagebuilder:buildDate}}") },
          { region: "ap-south-1", amiDistributionConfiguration: ami("web {{imagebuilder:buildDate}}") },
        ],
      }),
    );

    const image = await waitForImage(client, started.imageBuildVersionArn as string);
    expect(image).toMatchObject({
      arn: started.imageBuildVersionArn,
      name: "web-golden",
      version: "1.2.3/1",
      type: "AMI",
      platform: "Linux",
      buildType: "USER_INITIATED",
      state: { status: "AVAILABLE" },
      sourcePipelineArn: pipelineArn,
      imageRecipe: { arn: recipeArn },
      infrastructureConfiguration: { arn: infrastructure },
      tags: { run: "1" },
      distributionConfiguration: { arn, distributions: [{ region: "us-west-2" }, { region: "eu-west-1" }] },
    });
    const amis = image.outputResources?.amis ?? [];
    expect(amis.map((one) => `${one.region}/${one.accountId}`)).toEqual([
      `us-west-2/${owner}`,
      `eu-west-1/${owner}`,
      `eu-west-1/${other}`,
      `eu-west-1/${third}`,
    ]);
    for (const one of amis) {
      expect(one.image).toMatch(amiId);
      expect(one.state).toEqual({ status: "AVAILABLE" });
    }
    expect(new Set(amis.map((one) => one.image)).size).toBe(4);
    const buildDate = (image.dateCreated as string).replaceAll(":", "-");
    expect(amis[0]?.name).toBe(`web ${buildDate}`);
    expect(amis[1]).toMatchObject({ name: `web-1 ${buildDate}`, description: "copied" });

    const { imagePipeline } = await client.send(
      new GetImagePipelineCommand({ imagePipelineArn: pipelineArn }),
    );
    expect(imagePipeline).toMatchObject({ lastRunStatus: "AVAILABLE", dateLastRun: image.dateCreated });
  });

  test("build numbers count up per recipe version; the pipeline lists its images and GetImage resolves versions", async () => {
    const arn = await configuration("web", [
      { region: "us-west-2", amiDistributionConfiguration: ami("web {{imagebuilder:buildDate}}") },
    ]);
    const pipelineArn = await pipelineUsing("web", arn);
    const first = await build(pipelineArn);
    const second = await build(pipelineArn);
    expect([first.version, second.version]).toEqual(["1.2.3/1", "1.2.3/2"]);

    const listed = await client.send(new ListImagePipelineImagesCommand({ imagePipelineArn: pipelineArn }));
    expect(
      listed.imageSummaryList?.map((summary) => [summary.arn, summary.state?.status, summary.owner]),
    ).toEqual([
      [first.arn, "AVAILABLE", owner],
      [second.arn, "AVAILABLE", owner],
    ]);
    const filtered = await client.send(
      new ListImagePipelineImagesCommand({
        imagePipelineArn: pipelineArn,
        filters: [{ name: "version", values: ["1.2.3/2"] }],
      }),
    );
    expect(filtered.imageSummaryList?.map((summary) => summary.arn)).toEqual([second.arn]);

    const versionArn = `arn:aws:imagebuilder:us-west-2:${owner}:image/web-golden/1.2.3`;
    for (const reference of [versionArn, `arn:aws:imagebuilder:us-west-2:${owner}:image/web-golden/x.x.x`]) {
      const { image } = await client.send(new GetImageCommand({ imageBuildVersionArn: reference }));
      expect(image?.arn).toBe(second.arn);
    }
    const versions = await client.send(new ListImageBuildVersionsCommand({ imageVersionArn: versionArn }));
    expect(versions.imageSummaryList?.map((summary) => summary.version)).toEqual(["1.2.3/1", "1.2.3/2"]);

    const missing = await rejection(
      client.send(new GetImageCommand({ imageBuildVersionArn: `${versionArn}/9` })),
    );
    expect([missing.name, missing.$metadata?.httpStatusCode]).toEqual(["ResourceNotFoundException", 404]);
    const noPipeline = await rejection(
      client.send(new ListImagePipelineImagesCommand({ imagePipelineArn: `${pipelineArn}-none` })),
    );
    expect(noPipeline.name).toBe("ResourceNotFoundException");
  });

  test("a pipeline without a distribution configuration leaves the AMI where it was built", async () => {
    const created = await client.send(
      new CreateImagePipelineCommand({
        name: "local",
        imageRecipeArn: recipeArn,
        infrastructureConfigurationArn: infrastructure,
      }),
    );
    const image = await build(created.imagePipelineArn as string);
    expect(image.outputResources?.amis?.map((one) => [one.region, one.accountId, one.name])).toEqual([
      ["us-west-2", owner, `web-golden ${(image.dateCreated as string).replaceAll(":", "-")}`],
    ]);
  });
});

describe("DistributeImage", () => {
  test("a new build version of the source image with AMIs only in the configuration's targets", async () => {
    const web = await configuration("web", [
      { region: "us-west-2", amiDistributionConfiguration: ami("web {{imagebuilder:buildDate}}") },
    ]);
    const built = await build(await pipelineUsing("web", web));
    // Only the new targets: eu-west-1 for the owner and another account, us-west-2 for a third.
    const gap = await configuration("web-gap", [
      {
        region: "eu-west-1",
        amiDistributionConfiguration: ami("web {{imagebuilder:buildDate}}", [owner, other]),
      },
      { region: "us-east-1", amiDistributionConfiguration: ami("web {{imagebuilder:buildDate}}", [third]) },
    ]);
    const request = {
      sourceImage: built.arn as string,
      distributionConfigurationArn: gap,
      executionRole: role,
      clientToken: "rollout-1",
      tags: { rollout: "yes" },
    };
    const distributed = await client.send(new DistributeImageCommand(request));
    expect(distributed).toMatchObject({
      clientToken: "rollout-1",
      imageBuildVersionArn: `arn:aws:imagebuilder:us-west-2:${owner}:image/web-golden/1.2.3/2`,
    });
    // A retry with the same token is the same distribution; the same token for another request is refused.
    expect((await client.send(new DistributeImageCommand(request))).imageBuildVersionArn).toBe(
      distributed.imageBuildVersionArn,
    );
    const mismatch = await rejection(
      client.send(new DistributeImageCommand({ ...request, tags: { rollout: "other" } })),
    );
    expect(mismatch.name).toBe("IdempotentParameterMismatchException");

    const image = await waitForImage(client, distributed.imageBuildVersionArn as string);
    expect(image).toMatchObject({
      version: "1.2.3/2",
      state: { status: "AVAILABLE" },
      executionRole: role,
      tags: { rollout: "yes" },
      distributionConfiguration: { arn: gap },
    });
    expect(image).not.toHaveProperty("sourcePipelineArn");
    expect(await amisPerTarget()).toEqual({
      [`us-west-2/${owner}`]: 1,
      [`eu-west-1/${owner}`]: 1,
      [`eu-west-1/${other}`]: 1,
      [`us-east-1/${owner}`]: 1,
      [`us-east-1/${third}`]: 1,
    });
    // The source may also be named by its AMI id in this region.
    const byAmi = await client.send(
      new DistributeImageCommand({
        ...request,
        sourceImage: built.outputResources?.amis?.[0]?.image as string,
        clientToken: "rollout-2",
      }),
    );
    expect(byAmi.imageBuildVersionArn).toMatch(/\/1\.2\.3\/3$/);
  });

  test("the source must be an available image here and the configuration must be in this region", async () => {
    const web = await configuration("web", [
      { region: "us-west-2", amiDistributionConfiguration: ami("web {{imagebuilder:buildDate}}") },
    ]);
    const built = await build(await pipelineUsing("web", web));
    const base = { distributionConfigurationArn: web, executionRole: role };
    const cases: [string, string, Partial<typeof base>][] = [
      [`${built.arn?.replace(/\/1$/, "/7")}`, "ResourceNotFoundException", {}],
      ["ami-00000000000000000", "ResourceNotFoundException", {}],
      ["ssm:/golden/web", "InvalidRequestException", {}],
      [
        built.arn as string,
        "InvalidRequestException",
        { distributionConfigurationArn: web.replace("us-west-2", "eu-west-1") },
      ],
      [built.arn as string, "ResourceNotFoundException", { distributionConfigurationArn: `${web}-none` }],
    ];
    for (const [sourceImage, type, override] of cases) {
      const error = await rejection(
        client.send(new DistributeImageCommand({ ...base, ...override, sourceImage })),
      );
      expect([sourceImage, error.name]).toEqual([sourceImage, type]);
    }
    const noRole = await rejection(
      client.send(
        new DistributeImageCommand({
          ...base,
          sourceImage: built.arn as string,
          executionRole: undefined as never,
        }),
      ),
    );
    expect(noRole.name).toBe("InvalidParameterValueException");
  });

  test("under an injected fault it ends FAILED with a reason and no AMIs", async () => {
    const web = await configuration("web", [
      { region: "us-west-2", amiDistributionConfiguration: ami("web {{imagebuilder:buildDate}}") },
    ]);
    const built = await build(await pipelineUsing("web", web));
    emulator.setFaults({ distributionFailureRate: 1 });
    const gap = await configuration("gap", [
      { region: "eu-west-1", amiDistributionConfiguration: ami("web {{imagebuilder:buildDate}}") },
    ]);
    const distributed = await client.send(
      new DistributeImageCommand({
        sourceImage: built.arn as string,
        distributionConfigurationArn: gap,
        executionRole: role,
      }),
    );
    const image = await waitForImage(client, distributed.imageBuildVersionArn as string);
    expect(image.state?.status).toBe("FAILED");
    expect(image.state?.reason).toMatch(
      /^Distribution failed: the AMI copy to eu-west-1 in account 123456789012/,
    );
    expect(image.outputResources?.amis).toEqual([]);
    expect(await amisPerTarget()).toEqual({ [`us-west-2/${owner}`]: 1 });
  });
});

describe("denied operations", () => {
  test("a denied operation is 403 AccessDeniedException, as IAM answers; the others still work", async () => {
    const arn = await configuration("web", [
      { region: "us-west-2", amiDistributionConfiguration: ami("web {{imagebuilder:buildDate}}") },
    ]);
    await pipelineUsing("web", arn);
    emulator.setFaults({ deniedOperations: ["ListImagePipelines"] });
    const denied = await rejection(client.send(new ListImagePipelinesCommand({})));
    expect([denied.name, denied.$metadata?.httpStatusCode]).toEqual(["AccessDeniedException", 403]);
    expect(denied.message).toContain("not authorized to perform: imagebuilder:ListImagePipelines");
    const pipeline = await client.send(
      new GetImagePipelineCommand({
        imagePipelineArn: `arn:aws:imagebuilder:us-west-2:${owner}:image-pipeline/web`,
      }),
    );
    expect(pipeline.imagePipeline?.name).toBe("web");
    emulator.setFaults({ deniedOperations: [] });
    expect((await client.send(new ListImagePipelinesCommand({}))).imagePipelineList).toHaveLength(1);
  });
});
