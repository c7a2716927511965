import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mapWithConcurrency } from "./concurrency.js";
import { GatewayError } from "./gateway.js";
import { type EmulatorFixture, startEmulatorFixture } from "./testing/emulator.js";

const distributions = [
  { region: "us-west-2", amiDistributionConfiguration: { name: "web {{imagebuilder:buildDate}}" } },
];

let fixture: EmulatorFixture;
beforeAll(async () => {
  fixture = await startEmulatorFixture();
});
afterAll(async () => {
  await fixture.emulator.close();
});

describe("ImageBuilderGateway against the emulator", () => {
  test("create, get, update, tag, untag and delete one configuration", async () => {
    const gateway = fixture.newAccess().clientFor("us-west-2");
    const arn = await gateway.create({
      name: "Web Base",
      distributions,
      tags: { team: "web" },
      clientToken: "token-create-web-base",
    });
    expect(arn).toBe("arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/web-base");

    await gateway.update({
      distributionConfigurationArn: arn,
      description: "v2",
      distributions,
      clientToken: "t2",
    });
    await gateway.tag(arn, { owner: "platform" });
    await gateway.untag(arn, ["team"]);
    const read = await gateway.get(arn);
    expect(read).toMatchObject({ name: "Web Base", description: "v2", tags: { owner: "platform" } });

    await gateway.delete(arn);
    const missing = await gateway.get(arn).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(GatewayError);
    expect(missing).toMatchObject({
      type: "ResourceNotFoundException",
      operation: "GetDistributionConfiguration",
      region: "us-west-2",
    });
    expect((missing as GatewayError).message).toMatch(
      /^Could not read distribution configuration web-base in us-west-2: .+/,
    );
    expect(gateway.callCounts().calls).toEqual({
      CreateDistributionConfiguration: 1,
      UpdateDistributionConfiguration: 1,
      TagResource: 1,
      UntagResource: 1,
      GetDistributionConfiguration: 2,
      DeleteDistributionConfiguration: 1,
    });
  });

  test("a service error names the action, configuration, region and the service's message", async () => {
    const gateway = fixture.newAccess().clientFor("eu-west-1");
    const error = await gateway
      .update({
        distributionConfigurationArn:
          "arn:aws:imagebuilder:eu-west-1:123456789012:distribution-configuration/nope",
        distributions,
        clientToken: "t",
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).message).toMatch(
      /^Could not update distribution configuration nope in eu-west-1: \S/,
    );
    expect((error as GatewayError).type).toBe("ResourceNotFoundException");
  });

  test("listAll reads every page (25 a page)", async () => {
    const gateway = fixture.newAccess().clientFor("ap-south-1");
    for (let index = 0; index < 53; index++) {
      await gateway.create({
        name: `cfg-${String(index).padStart(3, "0")}`,
        distributions,
        clientToken: `c${index}`,
      });
    }
    const listed = await gateway.listAll();
    expect(listed.map((summary) => summary.name).sort()).toEqual(
      Array.from({ length: 53 }, (_, index) => `cfg-${String(index).padStart(3, "0")}`),
    );
    expect(gateway.callCounts().calls.ListDistributionConfigurations).toBe(3);
  });

  test("pacing finds the service's rate: a burst far over the limit succeeds with few throttles", async () => {
    // 8 in flight at 5 ms would be ~1,600 requests a second against a limit of 40.
    fixture.emulator.setFaults({ throttleRps: 40, latencyMs: 5, seed: 7 });
    try {
      const gateway = fixture.newAccess().clientFor("sa-east-1");
      await mapWithConcurrency(
        Array.from({ length: 120 }, (_, index) => index),
        8,
        (index) => gateway.create({ name: `burst-${index}`, distributions, clientToken: `burst-${index}` }),
      );
      const counts = gateway.callCounts();
      expect(counts.calls.CreateDistributionConfiguration).toBe(120);
      const throttled = (counts.requests.CreateDistributionConfiguration ?? 0) - 120;
      expect(throttled).toBeGreaterThan(0);
      // Unpaced, the same burst is throttled about 300 times.
      expect(throttled).toBeLessThan(24);
      expect(gateway.throttleCounts().CreateDistributionConfiguration).toBe(throttled);
      expect(await gateway.listAll()).toHaveLength(120);
    } finally {
      fixture.emulator.setFaults({ throttleRps: 0, latencyMs: 0 });
    }
  });

  test("pacing under one limit shared by the account: creates and reads in two regions, few throttles", async () => {
    // One bucket of 40 a second for every operation and region: each gateway's operations draw
    // from the account's pacer, which learns the shared rate from throttles spread over them.
    fixture.emulator.setFaults({ throttleRps: 40, throttleScope: "account", latencyMs: 5, seed: 11 });
    try {
      const access = fixture.newAccess();
      const work = Array.from({ length: 50 }, (_, index) => index);
      await Promise.all(
        ["ap-northeast-1", "ap-northeast-2"].map((region) =>
          mapWithConcurrency(work, 8, async (index) => {
            const gateway = access.clientFor(region);
            const arn = await gateway.create({
              name: `shared-${index}`,
              distributions,
              clientToken: `shared-${region}-${index}`,
            });
            await gateway.get(arn);
          }),
        ),
      );
      const { calls, requests } = access.callCounts();
      const made = Object.values(calls).reduce((a, b) => a + (b ?? 0), 0);
      const sent = Object.values(requests).reduce((a, b) => a + (b ?? 0), 0);
      expect(made).toBe(200);
      // Every call made, and few throttled (unpaced, 16 in flight at 5 ms would be throttled
      // hundreds of times); throughput under a shared limit is pacer.test.ts's, on a simulated clock.
      expect(sent - made).toBeLessThan(30);
    } finally {
      fixture.emulator.setFaults({ throttleRps: 0, throttleScope: "operation", latencyMs: 0 });
    }
  });

  test("a throttled request is sent again after pacing, without spending the SDK's retries", async () => {
    fixture.emulator.setFaults({ throttleRps: 10, seed: 3 });
    try {
      const gateway = fixture.newAccess({ maxAttempts: 1 }).clientFor("ca-central-1");
      await mapWithConcurrency(
        Array.from({ length: 25 }, (_, index) => index),
        8,
        (index) => gateway.create({ name: `paced-${index}`, distributions, clientToken: `paced-${index}` }),
      );
      const counts = gateway.callCounts();
      expect(counts.calls.CreateDistributionConfiguration).toBe(25);
      expect(counts.requests.CreateDistributionConfiguration).toBeGreaterThan(25);
      expect(await gateway.listAll()).toHaveLength(25);
    } finally {
      fixture.emulator.setFaults({ throttleRps: 0 });
    }
  });

  test("a throttle that pacing cannot absorb reaches the caller once the retries are spent", async () => {
    // A bucket of one request that never refills, and two requests: the second is throttled on
    // every send of its only attempt (a high floor keeps the limiter's waits short).
    fixture.emulator.setFaults({ throttleRps: 0.001, seed: 5 });
    try {
      const gateway = fixture
        .newAccess({ maxAttempts: 1, rateLimiter: { minRate: 50 } })
        .clientFor("eu-north-1");
      const results = await Promise.allSettled([
        gateway.create({ name: "only", distributions, clientToken: "only-1" }),
        gateway.create({ name: "second", distributions, clientToken: "second-1" }),
      ]);
      const rejected = results.filter((result) => result.status === "rejected");
      expect(rejected).toHaveLength(1);
      expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({
        type: "CallRateLimitExceededException",
      });
      // One send plus four resends of the throttled request.
      expect(gateway.callCounts().requests.CreateDistributionConfiguration).toBe(1 + 5);
    } finally {
      fixture.emulator.setFaults({ throttleRps: 0 });
    }
  });
});
