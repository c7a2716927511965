// GitHub requests go through the proxy the environment names, as curl would: a forward proxy on the
// loopback must see them, and NO_PROXY sends them direct.
import { type ForwardProxy, proxyVariables, startForwardProxy } from "@waybill/aws/testing/forward-proxy";
import { afterAll, afterEach, beforeAll, expect, test, vi } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../testing/fake-github-server.js";
import { createOctokit } from "./octokit.js";
import { createOctokitGitHub } from "./octokit-github.js";

let github: FakeGitHub;
let proxy: ForwardProxy;

beforeAll(async () => {
  github = await startFakeGitHub();
  proxy = await startForwardProxy();
});
afterAll(async () => {
  await proxy.stop();
  await github.close();
});
afterEach(() => {
  vi.unstubAllEnvs();
  proxy.requests.length = 0;
});

function proxyEnvironment(variables: Record<string, string>) {
  for (const [name, value] of proxyVariables(variables)) vi.stubEnv(name, value);
}

const listComments = () =>
  createOctokitGitHub(createOctokit("t", { baseUrl: github.url })).listIssueComments({
    owner: "acme",
    repo: "images",
    issueNumber: 42,
  });

test("HTTP_PROXY: the comment listing goes through the proxy (a CONNECT tunnel, as undici proxies) and answers", async () => {
  proxyEnvironment({ HTTP_PROXY: proxy.url });
  expect(await listComments()).toEqual([]);
  expect(proxy.requests).toEqual([{ method: "CONNECT", target: new URL(github.url).host }]);
  expect(github.requests).toHaveLength(1);
});

test("NO_PROXY naming the host: direct, the proxy hears nothing", async () => {
  proxyEnvironment({ HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" });
  expect(await listComments()).toEqual([]);
  expect(proxy.requests).toEqual([]);
});

test("no proxy variable: direct", async () => {
  proxyEnvironment({});
  await listComments();
  expect(proxy.requests).toEqual([]);
});
