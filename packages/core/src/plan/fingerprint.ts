/** Fingerprints of live state and of whole plans, so a saved plan can be checked against a re-plan. */
import { canonicalJson, type JsonValue } from "./canonical-json.js";
import { normalizeContent } from "./normalize.js";
import type { LiveConfiguration } from "./plan-model.js";
import { Sha256 } from "./sha256.js";

/**
 * `sha256:<hex>` of the live configurations a plan considered, by meaning: ARN, name, home
 * region, account, canonical content and tags. Order of input, order of distributions and of
 * set-like lists, `timeoutMinutes` and the dates do not count, so only a change that could alter
 * the plan changes the fingerprint.
 */
export function liveStateFingerprint(
  stack: string,
  live: readonly LiveConfiguration[],
  /** What the run selected of live state (`PlanOptions.scope`); part of the hash when given. */
  scope?: JsonValue,
): string {
  const configurations = live
    .map((configuration) => {
      const { description, distributions } = normalizeContent(configuration);
      // Keys in canonical order (normalised content already is), so canonicalJson need not copy.
      return canonicalJson({
        accountId: configuration.accountId,
        arn: configuration.arn,
        ...(description === undefined ? {} : { description }),
        distributions,
        name: configuration.name,
        region: configuration.region,
        tags: sortedRecord(configuration.tags),
      });
    })
    .sort();
  // The hash of `{"stack":...,"scope":...,"live":[...]}`, written in parts rather than joined.
  const scoped = scope === undefined ? "" : `"scope":${canonicalJson(scope)},`;
  const hash = new Sha256().update(`{"stack":${JSON.stringify(stack)},${scoped}"live":[`);
  configurations.forEach((configuration, index) => {
    if (index > 0) hash.update(",");
    hash.update(configuration);
  });
  return `sha256:${hash.update("]}").hex()}`;
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key] as string;
  return out;
}
