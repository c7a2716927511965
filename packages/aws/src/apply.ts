// Executes a plan against EC2 Image Builder: creates and updates first, deletes last, every result as data.
import {
  APPLIED_TAG,
  appliedRecord,
  arnResourceName,
  type Change,
  type ConfigurationDocument,
  clientTokenFor,
  contentDigest,
  type Plan,
} from "@waybill/core";
import { createLimiter, mapWithConcurrency } from "./concurrency.js";
import { GatewayError, type ImageBuilderGateway } from "./gateway.js";

/** What happened to one change. */
export interface ApplyResult {
  change: Change;
  /** `skipped`: not attempted (a conflict, a delete without prune, or a step it depends on failed). */
  status: "ok" | "failed" | "skipped";
  /** For `failed`: the service's error type and the contextual message. */
  error?: { type: string; message: string };
  /** For `skipped`: why. */
  reason?: string;
  /** The ARN a create or replace produced. */
  arn?: string;
}

export interface ApplyOptions {
  clientFor(region: string): ImageBuilderGateway;
  /** Changes in flight per home region. Default 8. */
  concurrency?: number;
  /** Called as each change finishes (for progress output). */
  onResult?(result: ApplyResult, done: number, total: number): void;
}

/**
 * Applies every executable change of `plan` and returns one result per change that is not a no-op,
 * in plan order. Creates, replacements' creates, adoptions, updates and tag changes run first;
 * deletes (pruned configurations, and the old side of each replacement whose create succeeded)
 * run after all of them, so nothing is deleted before its successor exists. Each region runs at
 * most `concurrency` changes at a time. One failure never stops the others. Every create and
 * update carries a `clientToken` derived from the request and the plan's id
 * ({@link clientTokenFor}), so a retried or repeated apply of one plan never acts twice, and
 * another plan is never answered from the memory of an earlier one.
 */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyResult[]> {
  const concurrency = options.concurrency ?? 8;
  const results = new Map<Change, ApplyResult>();
  const steps = new Map(plan.changes.map((change) => [change, stepOf(change)]));
  const pending = plan.changes.filter((change) => steps.get(change)?.phase !== "none");
  const total = pending.length;
  let done = 0;
  const record = (result: ApplyResult) => {
    results.set(result.change, result);
    done++;
    options.onResult?.(result, done, total);
  };

  for (const change of pending) {
    const step = steps.get(change);
    if (step?.phase === "skipped") record({ change, status: "skipped", reason: step.reason });
  }

  const firstPhase = pending.filter((change) => steps.get(change)?.phase === "first");
  // A replacement's result waits for its delete; keep the created ARN until then.
  const replaced = new Map<Change, string>();
  // Each created configuration gets its `waybill:applied` record, in a queue of its own per region
  // so that the next writes need not wait for it (an update's or adoption's record rides on the
  // Tag of its own tag changes, within the change: see executeFirstPhase).
  const recorders = new Map<string, ReturnType<typeof createLimiter>>();
  const recordings: Promise<void>[] = [];
  await runByRegion(firstPhase, concurrency, async (change) => {
    try {
      const gateway = options.clientFor(change.region);
      const arn = await executeFirstPhase(change, gateway, plan.id);
      if (change.action === "replace") replaced.set(change, arn ?? "");
      else record({ change, status: "ok", ...(arn ? { arn } : {}) });
      const written = createdContent(change, arn);
      if (written !== undefined) {
        let limit = recorders.get(change.region);
        if (limit === undefined) {
          limit = createLimiter(concurrency);
          recorders.set(change.region, limit);
        }
        recordings.push(limit(() => recordApplied(gateway, written)));
      }
    } catch (error) {
      record({ change, status: "failed", error: describe(error) });
    }
  });

  const deletes = pending.filter((change) => steps.get(change)?.phase === "last" || replaced.has(change));
  await runByRegion(deletes, concurrency, async (change) => {
    const created = replaced.get(change);
    try {
      const { arn, name, region } = change.action === "replace" ? change.replaces : deleted(change);
      await options.clientFor(region).delete(arn, name);
      record({ change, status: "ok", ...(change.action === "replace" ? { arn: created ?? "" } : {}) });
    } catch (error) {
      record({
        change,
        status: "failed",
        error: describe(error),
        ...(created ? { arn: created } : {}),
      });
    }
  });

  await Promise.all(recordings);
  return pending.map(
    (change) =>
      results.get(change) ?? {
        change,
        status: "skipped",
        reason: "not executed",
      },
  );
}

/**
 * When apply runs a change: in the first phase (creates, a replace's create, adoptions, updates,
 * retags), in the last (deletes; a replace's delete also runs there, once its create succeeded),
 * `skipped` with a reason (conflicts, deletes without prune), or not at all (no-ops). An exhaustive
 * switch: a new action does not compile until it is given a phase here.
 */
type Step = { phase: "first" } | { phase: "last" } | { phase: "skipped"; reason: string } | { phase: "none" };

function stepOf(change: Change): Step {
  switch (change.action) {
    case "create":
    case "replace":
    case "adopt":
    case "update":
    case "tag":
      return { phase: "first" };
    case "delete":
      return change.executed ? { phase: "last" } : { phase: "skipped", reason: "delete needs prune" };
    case "conflict":
      return { phase: "skipped", reason: `conflict: ${change.reason}` };
    case "no-op":
      return { phase: "none" };
  }
}

/** The configuration a last-phase change deletes (a replace's old half is handled by its caller). */
function deleted(change: Change): { arn: string; name: string; region: string } {
  if (change.action !== "delete") throw new Error(`bug: ${change.action} is not a last-phase change`);
  return change;
}

/** Runs the changes with at most `concurrency` in flight per home region; regions side by side. */
async function runByRegion(
  changes: Change[],
  concurrency: number,
  work: (change: Change) => Promise<void>,
): Promise<void> {
  const byRegion = new Map<string, Change[]>();
  for (const change of changes) byRegion.set(change.region, [...(byRegion.get(change.region) ?? []), change]);
  await Promise.all([...byRegion.values()].map((group) => mapWithConcurrency(group, concurrency, work)));
}

/** Create/Update/Tag/Untag for one change; returns the ARN a create produced. */
async function executeFirstPhase(
  change: Change,
  gateway: ImageBuilderGateway,
  planId: string,
): Promise<string | undefined> {
  switch (change.action) {
    case "create":
    case "replace": {
      const request = createRequest(change.document);
      return gateway.create({
        ...request,
        // The target is home region and ARN name, not the ARN: the same whether or not the
        // account was known when the plan was made, so every apply of the plan sends the same token.
        clientToken: clientTokenFor(
          "create",
          `${change.region}/${arnResourceName(change.name)}`,
          request,
          planId,
        ),
      });
    }
    case "update":
    case "adopt": {
      if (change.action === "update" || change.contentChanged) {
        const request = updateRequest(change.arn, change.document);
        await gateway.update(
          {
            ...request,
            clientToken: clientTokenFor("update", change.arn, request, planId),
          },
          change.name,
        );
      }
      // The record's read-back, then the tags to add and the record in one Tag: one call fewer
      // than a Tag of its own for each.
      await tagWithRecord(
        gateway,
        { arn: change.arn, name: change.name, document: change.document },
        change.tags.add,
      );
      if (change.tags.remove.length > 0) await gateway.untag(change.arn, change.tags.remove, change.name);
      return undefined;
    }
    case "tag":
      await applyTagChanges(change, change.arn, gateway);
      return undefined;
    case "delete":
    case "no-op":
    case "conflict":
      throw new Error(`bug: ${change.action} is not a first-phase change`);
  }
}

/**
 * The configuration a create or a replace's create made, and its content, for its record; undefined
 * for every other change (an update or adoption records within the change; a retag leaves the
 * content and its dates as they were, so an earlier record still holds).
 */
function createdContent(change: Change, createdArn: string | undefined): Written | undefined {
  switch (change.action) {
    case "create":
    case "replace":
      return createdArn ? { arn: createdArn, name: change.name, document: change.document } : undefined;
    default:
      return undefined;
  }
}

/** A configuration apply wrote content to, and that content. */
interface Written {
  arn: string;
  name: string;
  document: ConfigurationDocument;
}

/**
 * The `waybill:applied` record of what was written (core's `appliedRecord`: the content's digest
 * with the ARN and the dates the service gave it), from one read-back Get: Create's and Update's
 * answers carry no dates, and only Get shows the content with them (docs/plans.md). Undefined when
 * the content read differs from what was written (someone changed it in between: the next plan
 * reads it) or cannot be read.
 */
async function readBackRecord(gateway: ImageBuilderGateway, written: Written): Promise<string | undefined> {
  try {
    const live = await gateway.get(written.arn, written.name);
    const digest = contentDigest(written.document);
    const readBack = contentDigest({
      ...(live.description === undefined ? {} : { description: live.description }),
      distributions: (live.distributions ?? []) as ConfigurationDocument["distributions"],
    });
    if (readBack !== digest) return undefined;
    return appliedRecord(digest, {
      arn: live.arn ?? written.arn,
      dateCreated: live.dateCreated,
      dateUpdated: live.dateUpdated,
    });
  } catch {
    return undefined;
  }
}

/**
 * A created configuration's record, which lets later plans skip its Get. A failure here fails
 * nothing: the change is made, and without a record the next plan simply Gets the configuration.
 */
async function recordApplied(gateway: ImageBuilderGateway, written: Written): Promise<void> {
  const value = await readBackRecord(gateway, written);
  if (value === undefined) return;
  await gateway.tag(written.arn, { [APPLIED_TAG]: value }, written.name).catch(() => undefined);
}

/**
 * An update's or adoption's tags to add and its record, in one Tag. The change fails only when its
 * own tags cannot be written: if the Tag with the record fails (the record one tag too many, say),
 * the tags are written alone, without a record; a failed read-back writes them alone too.
 */
async function tagWithRecord(
  gateway: ImageBuilderGateway,
  written: Written,
  add: Record<string, string>,
): Promise<void> {
  const record = await readBackRecord(gateway, written);
  const adds = Object.keys(add).length > 0;
  if (record !== undefined) {
    try {
      await gateway.tag(written.arn, { ...add, [APPLIED_TAG]: record }, written.name);
      return;
    } catch {
      if (!adds) return;
    }
  }
  if (adds) await gateway.tag(written.arn, add, written.name);
}

async function applyTagChanges(change: Change, arn: string, gateway: ImageBuilderGateway): Promise<void> {
  if (Object.keys(change.tags.add).length > 0) await gateway.tag(arn, change.tags.add, change.name);
  if (change.tags.remove.length > 0) await gateway.untag(arn, change.tags.remove, change.name);
}

function createRequest(document: ConfigurationDocument) {
  return {
    name: document.name,
    ...(document.description !== undefined ? { description: document.description } : {}),
    distributions: document.distributions,
    ...(Object.keys(document.tags).length > 0 ? { tags: document.tags } : {}),
  };
}

function updateRequest(arn: string, document: ConfigurationDocument) {
  return {
    distributionConfigurationArn: arn,
    ...(document.description !== undefined ? { description: document.description } : {}),
    distributions: document.distributions,
  };
}

function describe(error: unknown): { type: string; message: string } {
  if (error instanceof GatewayError) return { type: error.type, message: error.message };
  // Not a service answer: a bug in Waybill; still reported as data so the other results survive.
  const name = error instanceof Error ? error.name : "Error";
  return { type: `Internal${name}`, message: error instanceof Error ? error.message : String(error) };
}
