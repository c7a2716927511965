// Rollouts and the cleanup of their leftovers against the emulator: real HTTP, the real SDK.
import type { RolloutItem } from "@waybill/core";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  cleanUpRolloutConfigurations,
  ROLLOUT_CONFIGURATION_PREFIX,
  rolloutKey,
  runRollout,
} from "./rollout.js";
import { type EmulatorFixture, emulatorCredentials, startEmulatorFixture } from "./testing/emulator.js";
import {
  buildImage,
  createPipeline,
  createRolloutConfiguration,
  pipelineClient,
} from "./testing/pipelines.js";

const ACCOUNT = "123456789012";
const STACK = "rollout-test";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/WaybillRollout`;
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

const client = () =>
  pipelineClient({ endpoint: fixture.emulator.url, region: "us-west-2", credentials: emulatorCredentials });

/** web-base in us-west-2, a pipeline on it, one built image; the item distributing that image to eu-west-1. */
async function builtItem(): Promise<RolloutItem> {
  const arn = await fixture.aws.clientFor("us-west-2").create({
    name: "web-base",
    distributions: [
      { region: "us-west-2", amiDistributionConfiguration: { name: "web {{imagebuilder:buildDate}}" } },
    ],
  });
  const pipelineArn = await createPipeline(client(), {
    name: "web-golden",
    accountId: ACCOUNT,
    distributionConfigurationArn: arn,
  });
  const imageArn = await buildImage(client(), pipelineArn);
  return {
    configuration: { name: "web-base", region: "us-west-2", arn },
    pipeline: { name: "web-golden", arn: pipelineArn },
    image: { arn: imageArn, version: "1.0.0/1" },
    targets: [{ region: "eu-west-1", accountId: ACCOUNT }],
    distributions: [
      { region: "eu-west-1", amiDistributionConfiguration: { name: "web {{imagebuilder:buildDate}}" } },
    ],
    alsoCopies: [],
  };
}

function names(): string[] {
  return fixture.emulator
    .snapshot()
    .configurations.map((c: { name: string }) => c.name)
    .sort();
}

const cleanUp = (options: { now?: number } = {}) =>
  cleanUpRolloutConfigurations({
    regions: ["us-west-2"],
    clientFor: (region) => fixture.aws.clientFor(region),
    stack: STACK,
    keep: [],
    ...options,
  });

describe("cleanUpRolloutConfigurations", () => {
  test("leaves a concurrent run's configuration and a user's; deletes one older than the wait", async () => {
    const item = await builtItem();
    const inFlight = await createRolloutConfiguration(client(), {
      name: `${ROLLOUT_CONFIGURATION_PREFIX}inflight`,
      stack: STACK,
      imageArn: item.image.arn,
    });
    await createRolloutConfiguration(client(), {
      name: `${ROLLOUT_CONFIGURATION_PREFIX}users-own`,
      stack: STACK,
      imageArn: item.image.arn,
      extraTags: { "waybill:source": "waybill/own.yaml" },
    });
    expect(await cleanUp()).toEqual({ deleted: [], failed: [] });
    expect(await cleanUp({ now: Date.now() + 3 * 60 * 60 * 1000 })).toEqual({
      deleted: [inFlight],
      failed: [],
    });
    expect(names()).toEqual([`${ROLLOUT_CONFIGURATION_PREFIX}users-own`, "web-base"]);
  });

  test("deletes a leftover whose distribution finished; a failed delete is returned, not thrown", async () => {
    const item = await builtItem();
    // The rollout's own delete is refused: its configuration is left behind, its distribution done.
    fixture.emulator.setFaults({ deniedOperations: ["DeleteDistributionConfiguration"] });
    try {
      const [result] = await runRollout([item], {
        clientFor: (region) => fixture.aws.clientFor(region),
        stack: STACK,
        executionRole: ROLE,
        pollMs: 25,
      });
      expect(result?.status).toBe("distributed");
      const failed = await cleanUp();
      expect(failed.deleted).toEqual([]);
      expect(failed.failed).toEqual([
        {
          arn: expect.stringContaining(`${ROLLOUT_CONFIGURATION_PREFIX}${rolloutKey(item)}`),
          message: expect.any(String),
        },
      ]);
    } finally {
      fixture.emulator.setFaults({ deniedOperations: [] });
    }
    expect((await cleanUp()).deleted).toHaveLength(1);
    expect(names()).toEqual(["web-base"]);
  });
});

describe("runRollout", () => {
  test("a refused DistributeImage fails the item; run again once allowed, it distributes", async () => {
    const item = await builtItem();
    const options = {
      clientFor: (region: string) => fixture.aws.clientFor(region),
      stack: STACK,
      executionRole: ROLE,
      pollMs: 25,
    };
    fixture.emulator.setFaults({ deniedOperations: ["DistributeImage"] });
    try {
      const [refused] = await runRollout([item], options);
      expect(refused?.status).toBe("failed");
    } finally {
      fixture.emulator.setFaults({ deniedOperations: [] });
    }
    expect(names()).toEqual(["web-base"]);
    const [again] = await runRollout([item], options);
    expect(again?.status === "failed" ? again.reason : again?.status).toBe("distributed");
    expect(names()).toEqual(["web-base"]);
  });
});
