/** A tiny in-memory stand-in for the service: applies a plan's executed changes to live state, with echoes. */

import { distributionConfigurationArn } from "../../arn.js";
import type { Distribution } from "../../schema.js";
import type { Change, ConfigurationDocument, LiveConfiguration, Plan, TagChanges } from "../plan-model.js";
import { equivalentDistributions } from "./arbitraries.js";

function applyTags(tags: Record<string, string>, changes: TagChanges): Record<string, string> {
  const out = { ...tags, ...changes.add };
  for (const key of changes.remove) delete out[key];
  return out;
}

/** The service stores distributions its own way: `seed` picks the reordering and the echoes. */
function stored(distributions: readonly Distribution[], seed: number): Distribution[] {
  return equivalentDistributions(distributions, seed);
}

function created(
  change: Change & { document: ConfigurationDocument },
  fallbackAccount: string,
  seed: number,
  dateCreated: string,
) {
  const accountId = change.accountId ?? fallbackAccount;
  return {
    arn: change.arn ?? distributionConfigurationArn({ region: change.region, accountId, name: change.name }),
    name: change.document.name,
    region: change.region,
    accountId,
    ...(change.document.description === undefined ? {} : { description: change.document.description }),
    distributions: stored(change.document.distributions, seed),
    tags: { ...change.document.tags },
    timeoutMinutes: 720,
    dateCreated,
  } satisfies LiveConfiguration;
}

export interface SimulateOptions {
  /**
   * ARNs whose delete fails (as with a pipeline still using them: ResourceDependencyException):
   * a replace still creates its new configuration, but the old one stays.
   */
  failingDeletes?: ReadonlySet<string>;
}

/** Live state after `plan`'s executed changes, as the service would report it. */
export function simulateApply(
  plan: Plan,
  live: readonly LiveConfiguration[],
  seed: number,
  options: SimulateOptions = {},
): LiveConfiguration[] {
  const deletes = (arn: string) => !options.failingDeletes?.has(arn);
  const byArn = new Map(live.map((configuration) => [configuration.arn, { ...configuration }]));
  const account = live[0]?.accountId ?? "123456789012";
  // What this apply creates is newer than everything already there, as the service's clock says.
  const newest = Math.max(
    Date.parse("2026-01-01T00:00:00.000Z"),
    ...live.map((c) => Date.parse(c.dateCreated ?? "")).filter((t) => !Number.isNaN(t)),
  );
  const now = new Date(newest + 1000).toISOString();
  for (const change of plan.changes) {
    switch (change.action) {
      case "create":
        byArn.set(created(change, account, seed, now).arn, created(change, account, seed, now));
        break;
      case "replace": {
        const next = created(change, account, seed, now);
        byArn.set(next.arn, next);
        if (deletes(change.replaces.arn)) byArn.delete(change.replaces.arn);
        break;
      }
      case "update":
      case "adopt": {
        const current = byArn.get(change.arn);
        if (current === undefined) throw new Error(`bug: no live ${change.arn}`);
        if (change.action === "update" || change.contentChanged) {
          const { description: _old, ...rest } = current;
          byArn.set(change.arn, {
            ...rest,
            ...(change.document.description === undefined
              ? {}
              : { description: change.document.description }),
            distributions: stored(change.document.distributions, seed),
            tags: applyTags(current.tags, change.tags),
          });
        } else {
          byArn.set(change.arn, { ...current, tags: applyTags(current.tags, change.tags) });
        }
        break;
      }
      case "tag": {
        const current = byArn.get(change.arn);
        if (current === undefined) throw new Error(`bug: no live ${change.arn}`);
        byArn.set(change.arn, { ...current, tags: applyTags(current.tags, change.tags) });
        break;
      }
      case "delete":
        if (change.executed && deletes(change.arn)) byArn.delete(change.arn);
        break;
      case "no-op":
      case "conflict":
        break;
    }
  }
  return [...byArn.values()];
}
