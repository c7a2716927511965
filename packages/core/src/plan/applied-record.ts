/**
 * The record Waybill leaves on a configuration it wrote (`waybill:applied`), so that a later plan
 * can trust List's summary for it instead of a Get. See docs/plans.md, "List-only plans".
 */
import { canonicalJson } from "./canonical-json.js";
import { type ConfigurationContent, normalizeContent } from "./normalize.js";
import { APPLIED_TAG, type DesiredConfiguration, type LiveConfiguration } from "./plan-model.js";
import { sha256Hex } from "./sha256.js";

/** What the service stamps on a configuration, as Get and List both show it. */
export interface ServiceStamps {
  arn: string;
  dateCreated?: string | undefined;
  dateUpdated?: string | undefined;
}

/** What List says of one configuration (the members a record is checked against). */
export interface ConfigurationSummary extends ServiceStamps {
  name?: string | undefined;
  tags?: Record<string, string> | undefined;
}

/**
 * The digest of a configuration's content by meaning (normalised as plans compare it): two
 * contents with the same digest never differ in a plan.
 */
export function contentDigest(content: ConfigurationContent): string {
  return sha256Hex(canonicalJson(normalizeContent(content) as never));
}

/**
 * The value of `waybill:applied` for content with `digest` held under these stamps: `v1:` and the
 * SHA-256 of the content digest, the ARN and both dates. Undefined without `dateCreated` (a
 * record must tell a configuration from a later one of the same name).
 */
export function appliedRecord(digest: string, stamps: ServiceStamps): string | undefined {
  if (stamps.dateCreated === undefined || stamps.dateCreated === "") return undefined;
  const hash = sha256Hex(
    canonicalJson({
      arn: stamps.arn,
      content: digest,
      dateCreated: stamps.dateCreated,
      dateUpdated: stamps.dateUpdated ?? null,
    }),
  );
  return `v1:${hash}`;
}

/**
 * The live configuration a summary stands for, without a Get, when its record says the service
 * holds exactly `desired`'s content since Waybill wrote it: the `waybill:applied` tag equals the
 * record of `desired`'s content under the summary's ARN and dates. Any Update since moves
 * `dateUpdated`, a delete and re-create moves `dateCreated`, and other files' content has another
 * digest, so each of those gives undefined (read it with a Get). Tags come from the summary itself.
 */
export function trustedLiveConfiguration(
  desired: DesiredConfiguration,
  summary: ConfigurationSummary,
  where: { region: string; accountId: string },
): LiveConfiguration | undefined {
  const recorded = summary.tags?.[APPLIED_TAG];
  if (recorded === undefined || summary.arn === "" || summary.name === undefined) return undefined;
  if (appliedRecord(contentDigest(desired), summary) !== recorded) return undefined;
  const live: LiveConfiguration = {
    arn: summary.arn,
    name: summary.name,
    region: where.region,
    accountId: where.accountId,
    ...(desired.description === undefined ? {} : { description: desired.description }),
    distributions: desired.distributions,
    tags: { ...summary.tags },
  };
  if (summary.dateCreated !== undefined) live.dateCreated = summary.dateCreated;
  if (summary.dateUpdated !== undefined) live.dateUpdated = summary.dateUpdated;
  return live;
}
