// The SDK clients go through the proxy the environment names, as curl would: a forward proxy on the
// loopback must see their requests, and NO_PROXY sends them direct.
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { createAwsAccess } from "./access.js";
import { proxyConfigured } from "./proxy.js";
import { type EmulatorFixture, emulatorCredentials, startEmulatorFixture } from "./testing/emulator.js";
import { type ForwardProxy, proxyVariables, startForwardProxy } from "./testing/forward-proxy.js";

let fixture: EmulatorFixture;
let proxy: ForwardProxy;

beforeAll(async () => {
  fixture = await startEmulatorFixture();
  proxy = await startForwardProxy();
});
afterAll(async () => {
  await proxy.stop();
  await fixture.emulator.close();
});
afterEach(() => {
  vi.unstubAllEnvs();
  proxy.requests.length = 0;
});

function proxyEnvironment(variables: Record<string, string>) {
  for (const [name, value] of proxyVariables(variables)) vi.stubEnv(name, value);
}

const access = () =>
  createAwsAccess({ endpointUrl: fixture.emulator.url, credentials: emulatorCredentials, maxAttempts: 1 });

describe("the Image Builder client", () => {
  test("HTTP_PROXY (an http endpoint): the request goes through the proxy and its answer comes back", async () => {
    proxyEnvironment({ HTTP_PROXY: proxy.url });
    expect(await access().clientFor("us-east-1").listAll()).toEqual([]);
    expect(proxy.requests).toEqual([
      {
        method: "POST",
        target: expect.stringMatching(`^${fixture.emulator.url}/ListDistributionConfigurations`),
      },
    ]);
  });

  test("lower-case http_proxy counts too, as curl reads it", async () => {
    proxyEnvironment({ http_proxy: proxy.url });
    await access().clientFor("us-east-1").listAll();
    expect(proxy.requests).toHaveLength(1);
  });

  test("NO_PROXY naming the host: direct, the proxy hears nothing", async () => {
    proxyEnvironment({ HTTP_PROXY: proxy.url, NO_PROXY: "example.com,127.0.0.1" });
    expect(await access().clientFor("us-east-1").listAll()).toEqual([]);
    expect(proxy.requests).toEqual([]);
  });

  test("HTTPS_PROXY alone is for https URLs: an http endpoint goes direct", async () => {
    proxyEnvironment({ HTTPS_PROXY: proxy.url });
    await access().clientFor("us-east-1").listAll();
    expect(proxy.requests).toEqual([]);
  });

  test("an https endpoint through HTTPS_PROXY: a CONNECT tunnel to its host and port", async () => {
    proxyEnvironment({ HTTPS_PROXY: proxy.url });
    // Nothing speaks TLS behind the tunnel (the emulator's port): the call fails, after the proxy heard it.
    const port = new URL(fixture.emulator.url).port;
    const secure = createAwsAccess({
      endpointUrl: `https://127.0.0.1:${port}`,
      credentials: emulatorCredentials,
      maxAttempts: 1,
    });
    await expect(secure.clientFor("us-east-1").listAll()).rejects.toThrow();
    expect(proxy.requests).toEqual([{ method: "CONNECT", target: `127.0.0.1:${port}` }]);
  });
});

/** Preflight's identity fact, read from the emulator (which does not speak STS: the fact is an error, after the call). */
async function readIdentity() {
  const gatherer = await createAwsAccess({
    env: { AWS_ENDPOINT_URL: fixture.emulator.url },
    credentials: emulatorCredentials,
    maxAttempts: 1,
  }).openPreflight({ region: "us-east-1", concurrency: 1, readRoleFor: () => undefined, timeoutMs: 5_000 });
  await gatherer.gather([{ kind: "caller-identity" }]);
  gatherer.destroy();
}

describe("the preflight clients (IAM, KMS, EC2, S3, STS, Organizations)", () => {
  test("go through the proxy too, and NO_PROXY sends them direct", async () => {
    proxyEnvironment({ HTTP_PROXY: proxy.url });
    await readIdentity();
    expect(proxy.requests.map((request) => request.method)).toEqual(["POST"]);
    expect(proxy.requests[0]?.target).toBe(`${fixture.emulator.url}/`);

    proxy.requests.length = 0;
    proxyEnvironment({ HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" });
    await readIdentity();
    expect(proxy.requests).toEqual([]);
  });
});

test("proxyConfigured: any of the four variables, either case; NO_PROXY alone is no proxy", () => {
  expect(proxyConfigured({})).toBe(false);
  expect(proxyConfigured({ NO_PROXY: "*" })).toBe(false);
  expect(proxyConfigured({ https_proxy: "http://p:3128" })).toBe(true);
  expect(proxyConfigured({ HTTP_PROXY: " " })).toBe(false);
});
