import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resolveEndpointUrl } from "./access.js";
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

  test("the SDK's adaptive retry rides out throttling; requests count every attempt", async () => {
    fixture.emulator.setFaults({ throttleRps: 5, seed: 7 });
    try {
      const gateway = fixture.newAccess({ maxAttempts: 10 }).clientFor("sa-east-1");
      await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          gateway.create({ name: `burst-${index}`, distributions, clientToken: `burst-${index}` }),
        ),
      );
      const counts = gateway.callCounts();
      expect(counts.calls.CreateDistributionConfiguration).toBe(20);
      expect(counts.requests.CreateDistributionConfiguration).toBeGreaterThan(20);
      expect(await gateway.listAll()).toHaveLength(20);
    } finally {
      fixture.emulator.setFaults({ throttleRps: 0 });
    }
  });
});

describe("resolveEndpointUrl", () => {
  test("the option wins, then the service variable, then the global one", () => {
    const env = { AWS_ENDPOINT_URL_IMAGEBUILDER: "http://service", AWS_ENDPOINT_URL: "http://global" };
    expect(resolveEndpointUrl("http://flag", env)).toBe("http://flag");
    expect(resolveEndpointUrl(undefined, env)).toBe("http://service");
    expect(resolveEndpointUrl(undefined, { AWS_ENDPOINT_URL: "http://global" })).toBe("http://global");
    expect(resolveEndpointUrl(undefined, { AWS_ENDPOINT_URL: " " })).toBeUndefined();
  });
});
