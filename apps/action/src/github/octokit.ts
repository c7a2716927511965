/**
 * The GitHub REST client: @octokit/core with pagination, the two parts of @actions/github's client
 * Waybill uses (@actions/github would add every REST endpoint's method table for four routes).
 * Behind a proxy (HTTPS_PROXY / HTTP_PROXY, NO_PROXY, as curl reads them; Node's fetch reads none
 * of them) its requests go through undici's ProxyAgent (undici is the fetch Node itself ships, and
 * already in the bundle through @actions/core's http-client), chosen per URL by @waybill/aws's
 * `proxyFor`: the rules the AWS SDK clients follow, so both agree on what NO_PROXY means.
 */
import { Octokit as OctokitCore } from "@octokit/core";
import { paginateRest } from "@octokit/plugin-paginate-rest";
import { proxyConfigured, proxyFor } from "@waybill/aws";
import { ProxyAgent, fetch as undiciFetch } from "undici";

const WaybillOctokit = OctokitCore.plugin(paginateRest);

export type Octokit = InstanceType<typeof WaybillOctokit>;

export interface OctokitOptions {
  /** GITHUB_API_URL on a runner; GitHub Enterprise Server has its own. */
  baseUrl?: string;
}

/** fetch through the proxy the process's environment names for each URL, or direct where NO_PROXY says so. */
function proxiedFetch(): typeof fetch {
  const agents = new Map<string, ProxyAgent>();
  return ((url: string | URL, init?: Parameters<typeof undiciFetch>[1]) => {
    const proxy = proxyFor(String(url));
    if (proxy === undefined) return undiciFetch(url, init);
    let dispatcher = agents.get(proxy);
    if (dispatcher === undefined) {
      dispatcher = new ProxyAgent(proxy);
      agents.set(proxy, dispatcher);
    }
    return undiciFetch(url, { ...init, dispatcher });
  }) as unknown as typeof fetch;
}

export function createOctokit(token: string, options: OctokitOptions = {}): Octokit {
  return new WaybillOctokit({
    auth: token,
    userAgent: "waybill-action",
    baseUrl: options.baseUrl ?? "https://api.github.com",
    ...(proxyConfigured() ? { request: { fetch: proxiedFetch() } } : {}),
  });
}
