/** Fingerprints of live state and of whole plans, so a saved plan can be checked against a re-plan. */
import { canonicalJson } from "./canonical-json.js";
import { normalizeContent } from "./normalize.js";
import { sha256Hex } from "./sha256.js";
import type { LiveConfiguration } from "./types.js";

/**
 * `sha256:<hex>` of the live configurations a plan considered, by meaning: ARN, name, home
 * region, account, canonical content and tags. Order of input, order of distributions and of
 * set-like lists, `timeoutMinutes` and the dates do not count, so only a change that could alter
 * the plan changes the fingerprint.
 */
export function liveStateFingerprint(stack: string, live: readonly LiveConfiguration[]): string {
  const configurations = live
    .map((configuration) => ({
      arn: configuration.arn,
      name: configuration.name,
      region: configuration.region,
      accountId: configuration.accountId,
      ...normalizeContent(configuration),
      tags: configuration.tags,
    }))
    .map((configuration) => canonicalJson(configuration))
    .sort();
  return `sha256:${sha256Hex(`{"stack":${JSON.stringify(stack)},"live":[${configurations.join(",")}]}`)}`;
}
