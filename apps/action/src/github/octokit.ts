/**
 * The GitHub REST client: @octokit/core with pagination, the two parts of @actions/github's client
 * Waybill uses. @actions/github would add undici (for proxies, which the AWS SDK's calls do not go
 * through either) and every REST endpoint's method table, about 1 MB of bundle for four routes.
 */
import { Octokit as OctokitCore } from "@octokit/core";
import { paginateRest } from "@octokit/plugin-paginate-rest";

const WaybillOctokit = OctokitCore.plugin(paginateRest);

export type Octokit = InstanceType<typeof WaybillOctokit>;

export interface OctokitOptions {
  /** GITHUB_API_URL on a runner; GitHub Enterprise Server has its own. */
  baseUrl?: string;
}

export function createOctokit(token: string, options: OctokitOptions = {}): Octokit {
  return new WaybillOctokit({
    auth: token,
    userAgent: "waybill-action",
    baseUrl: options.baseUrl ?? "https://api.github.com",
  });
}
