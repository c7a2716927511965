/**
 * The SDK clients' proxy, as curl reads it: HTTPS_PROXY for https URLs, HTTP_PROXY for http ones,
 * NO_PROXY for hosts to reach directly (each in either case). The AWS SDK for JavaScript v3 reads
 * none of them itself; `proxy-agent` (proxy-from-env's rules, one agent per proxy, keep-alive) is
 * handed to its Node request handler. Without a proxy variable the SDK keeps its own agents.
 */
import type { Agent } from "node:http";
import { ProxyAgent } from "proxy-agent";
import { getProxyForUrl } from "proxy-from-env";

const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"];

/** Whether the environment names a proxy at all (NO_PROXY alone changes nothing). */
export function proxyConfigured(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return PROXY_VARIABLES.some((name) => (env[name] ?? "").trim() !== "");
}

/**
 * The proxy for `url` by the same rules (HTTPS_PROXY or HTTP_PROXY by scheme, NO_PROXY's hosts,
 * domains and `*`, from the process's environment), or undefined to go direct: for clients that are
 * not the SDK's (the Action's GitHub client).
 */
export function proxyFor(url: string): string | undefined {
  return getProxyForUrl(url) || undefined;
}

/**
 * Agents for the SDK's request handler (`requestHandler: { ...proxyAgents() }`): one ProxyAgent for
 * both schemes, which picks the proxy (or none) per URL from the process's environment.
 */
export function proxyAgents(env: Readonly<Record<string, string | undefined>> = process.env): {
  httpAgent?: Agent;
  httpsAgent?: Agent;
} {
  if (!proxyConfigured(env)) return {};
  // The SDK's own defaults for its agents: keep-alive, up to 50 sockets per host.
  const agent = new ProxyAgent({ keepAlive: true, maxSockets: 50 });
  return { httpAgent: agent, httpsAgent: agent };
}
