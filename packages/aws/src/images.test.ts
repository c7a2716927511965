// Reading pipelines and images against the emulator: real HTTP, the real SDK.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { readImageFacts } from "./images.js";
import { type EmulatorFixture, emulatorCredentials, startEmulatorFixture } from "./testing/emulator.js";
import { buildImage, createPipeline, pipelineClient } from "./testing/pipelines.js";

const ACCOUNT = "123456789012";
let fixture: EmulatorFixture;
beforeAll(async () => {
  fixture = await startEmulatorFixture({ buildMs: 50 });
});
afterAll(async () => {
  await fixture.emulator.close();
});
beforeEach(() => {
  fixture.emulator.reset();
});

async function configuration(name: string): Promise<string> {
  return fixture.aws.clientFor("us-west-2").create({
    name,
    distributions: [
      { region: "us-west-2", amiDistributionConfiguration: { name: `${name} {{imagebuilder:buildDate}}` } },
    ],
  });
}

const client = () =>
  pipelineClient({ endpoint: fixture.emulator.url, region: "us-west-2", credentials: emulatorCredentials });

describe("readImageFacts", () => {
  test("a container pipeline counts as using the configuration, with no AMI image to cover", async () => {
    const used = await configuration("web-base");
    const pipelineArn = await createPipeline(client(), {
      name: "web-container",
      accountId: ACCOUNT,
      distributionConfigurationArn: used,
      container: true,
    });
    await buildImage(client(), pipelineArn);
    const result = await readImageFacts({
      configurations: [{ arn: used, region: "us-west-2" }],
      clientFor: (region) => fixture.aws.clientFor(region),
    });
    expect(result.facts.pipelines).toMatchObject([{ name: "web-container", image: null }]);
  });

  test("reads every page of pipelines once per region and keeps those of the configurations asked for", async () => {
    const used = await configuration("web-base");
    const other = await configuration("other-base");
    for (let index = 0; index < 27; index++) {
      await createPipeline(client(), {
        name: `web-${String(index).padStart(2, "0")}`,
        accountId: ACCOUNT,
        distributionConfigurationArn: index === 26 ? other : used,
      });
    }
    const built = await buildImage(
      client(),
      `arn:aws:imagebuilder:us-west-2:${ACCOUNT}:image-pipeline/web-00`,
    );
    fixture.emulator.resetCounts();
    const access = fixture.newAccess();
    const result = await readImageFacts({
      configurations: [{ arn: used, region: "us-west-2" }],
      clientFor: (region) => access.clientFor(region),
    });
    expect(result.denied).toEqual([]);
    expect(result.facts.pipelines).toHaveLength(26);
    const first = result.facts.pipelines.find((pipeline) => pipeline.name === "web-00");
    expect(first?.image).toMatchObject({ arn: built, amis: [{ region: "us-west-2", accountId: ACCOUNT }] });
    expect(result.facts.pipelines.filter((pipeline) => pipeline.image === null)).toHaveLength(25);
    // 27 pipelines: two pages of 25, unfiltered, whatever the number of configurations asked for.
    expect(fixture.emulator.requestCounts().ListImagePipelines).toBe(2);
  });

  test("a denied ListImagePipelineImages leaves the pipeline without an image and names the permission", async () => {
    const used = await configuration("web-base");
    await createPipeline(client(), {
      name: "web-golden",
      accountId: ACCOUNT,
      distributionConfigurationArn: used,
    });
    fixture.emulator.setFaults({ deniedOperations: ["ListImagePipelineImages"] });
    try {
      const result = await readImageFacts({
        configurations: [{ arn: used, region: "us-west-2" }],
        clientFor: (region) => fixture.aws.clientFor(region),
      });
      expect(result.facts.pipelines.map((pipeline) => [pipeline.name, pipeline.image])).toEqual([
        ["web-golden", null],
      ]);
      expect(result.denied).toEqual([
        expect.objectContaining({ permission: "imagebuilder:ListImagePipelineImages", region: "us-west-2" }),
      ]);
    } finally {
      fixture.emulator.setFaults({ deniedOperations: [] });
    }
  });
});
