/** WaybillRunner over @waybill/engine: the run opened by `openRun` (as the CLI does), with the inputs on top of waybill.config.yaml; the engine's verdict passed on. */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  canonicalJson,
  type Diagnostic,
  type Plan,
  type PreflightReport,
  type SharingApproval,
  sha256Hex,
  sharingApprovalWords,
  sharingGate,
} from "@waybill/core";
import {
  formatTargets,
  planSummaryLine,
  renderPlanJson,
  renderPlanMarkdown,
  renderStatusHtml,
  statusSummaryLine,
} from "@waybill/core/render";
import { openRun, type PlanMarkdownOptions, type Run, type Verdict } from "@waybill/engine";
import type { ReviewRecord } from "./review.js";
import type { ActionRunRequest, AppliedChange, PlanReport, WaybillRunner } from "./runner.js";

export interface EngineRunnerOptions {
  /** The checked-out configuration repository. */
  root: string;
  /**
   * The run's environment (the runner's `process.env`), handed to `openRun`: the endpoint, the
   * default region (`AWS_REGION`, which configure-aws-credentials sets), `AWS_MAX_ATTEMPTS` and
   * credentials come from it, checked as the CLI checks them.
   */
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * The engine's plan in the action's terms: with `verdict` (the plan's, or the apply's that ran it)
 * and `markdown` (the engine's, preflight's section included, for a plan the run made).
 */
export function planReportOf(
  plan: Plan,
  verdict: Verdict,
  rule?: SharingApproval,
  preflight?: PreflightReport,
  markdown: (options: PlanMarkdownOptions) => string = (options) => renderPlanMarkdown(plan, options),
): PlanReport {
  const widening = plan.sharing.widening.length;
  return {
    ...(rule !== undefined && widening > 0
      ? {
          approvalNeeded: {
            widening,
            approves: sharingApprovalWords(rule),
            reviewsApprove: rule.approvingReview === true,
            approvedBy: (evidence) => {
              const gate = sharingGate(plan.sharing, rule, evidence);
              return gate.status === "approved" ? gate.by : undefined;
            },
          },
        }
      : {}),
    ...(preflight ? { preflight: { findings: preflight.findings } } : {}),
    stack: plan.stack,
    headline: planSummaryLine(plan),
    verdict,
    changes: plan.changes.map((change) => ({
      action: change.action,
      name: change.name,
      region: change.region,
      ...(change.source === undefined ? {} : { source: change.source }),
      ...(change.action === "delete" ? { executed: change.executed } : {}),
    })),
    counts: { ...plan.summary },
    renderMarkdown: ({ maxLength, title, key, onMerge, sections, drift }) =>
      markdown({
        maxLength,
        title,
        marker: key === "" ? "default" : key,
        ...(onMerge === undefined ? {} : { onMerge }),
        ...(sections === undefined ? {} : { sections }),
        ...(drift === undefined ? {} : { drift }),
      }),
    renderJson: () => renderPlanJson(plan),
    review: reviewRecord(plan),
    settings: { ...plan.settings },
  };
}

/**
 * What a reviewer saw, without what changes by itself between runs (AMI name previews: the date;
 * the live-state fingerprint): the hash of the whole plan and a digest of each change that does
 * something, so the same plan made later compares equal and a different one names its difference.
 */
export function reviewRecord(plan: Plan): ReviewRecord {
  const changes = plan.changes.map((change) => ({
    ...change,
    amiNames: change.amiNames.map(({ region, template }) => ({ region, template })),
  }));
  return {
    hash: sha256Hex(
      canonicalJson({ stack: plan.stack, settings: plan.settings, changes, warnings: plan.warnings }),
    ),
    prune: plan.settings.prune,
    adopt: plan.settings.adopt,
    changes: changes
      .filter((change) => change.action !== "no-op")
      .map((change) => ({
        action: change.action,
        name: change.name,
        region: change.region,
        ...(change.action === "delete" ? { executed: change.executed } : {}),
        digest: sha256Hex(canonicalJson(change)).slice(0, 16),
      })),
  };
}

/**
 * The SDK's credential chain found nothing: its CredentialsProviderError, possibly wrapped by the
 * gateway (GatewayError keeps it as `cause` and its name as `type`).
 */
export function isMissingCredentials(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current.name === "CredentialsProviderError") return true;
    if ((current as { type?: unknown }).type === "CredentialsProviderError") return true;
    current = current.cause;
  }
  return false;
}

/** How the action's inputs are named in refusals. */
const inputNames = {
  stack: "input 'stack'",
  defaultRegion: "input 'region'",
  paths: "input 'path'",
  prune: "input 'prune'",
  adopt: "input 'adopt'",
  endpointUrl: "input 'endpoint-url'",
} as const;

type Opened = { ok: true; run: Run } | { ok: false; diagnostics: Diagnostic[]; verdict: Verdict };

/** The run, opened as the CLI opens its own: same request, same checks, same diagnostics. */
function open(options: EngineRunnerOptions, request: ActionRunRequest): Promise<Opened> {
  return openRun({
    root: options.root,
    paths: { globs: request.paths },
    pruneAll: request.pruneAll,
    env: options.env,
    settings: {
      stack: request.stack,
      defaultRegion: request.region,
      prune: request.prune,
      adopt: request.adopt,
      endpointUrl: request.endpointUrl,
    },
    names: inputNames,
  });
}

export function createEngineRunner(options: EngineRunnerOptions): WaybillRunner {
  // One run per request: a flow that calls the runner twice (drift's plan then status, apply then
  // rollout) uses the run it opened first, so settings are read and checked once and both calls
  // share one AWS access (one pacer, one set of call counts), as one CLI command does.
  const runs = new Map<string, Promise<Opened>>();
  const runFor = (request: ActionRunRequest): Promise<Opened> => {
    const { paths, pruneAll, stack, region, prune, adopt, endpointUrl } = request;
    const key = JSON.stringify([paths, pruneAll, stack, region, prune, adopt, endpointUrl]);
    const known = runs.get(key);
    if (known) return known;
    const opening = open(options, request);
    runs.set(key, opening);
    return opening;
  };
  return {
    async plan(request) {
      const opened = await runFor(request);
      if (!opened.ok) return { status: "invalid", diagnostics: opened.diagnostics, verdict: opened.verdict };
      let result: Awaited<ReturnType<Run["plan"]>>;
      try {
        result = await opened.run.plan({ refresh: request.refresh });
      } catch (error) {
        if (!isMissingCredentials(error)) throw error;
        // Live state was the first thing to need AWS, so the files were valid: say which.
        const report = await opened.run.validate();
        return {
          status: "no-credentials",
          message: error instanceof Error ? error.message : String(error),
          files: report.files,
          diagnostics: report.diagnostics,
        };
      }
      if (result.status === "invalid")
        return { status: "invalid", diagnostics: result.diagnostics, verdict: result.verdict };
      const rule = opened.run.settings.policy.sharingApproval;
      return {
        status: "planned",
        plan: planReportOf(result.plan, result.verdict, rule, result.preflight, result.markdown),
        diagnostics: result.diagnostics,
      };
    },

    async status(request, { htmlPath }) {
      const opened = await runFor(request);
      if (!opened.ok) return { status: "invalid", diagnostics: opened.diagnostics };
      const result = await opened.run.status();
      if (result.status === "invalid") return { status: "invalid", diagnostics: result.diagnostics };
      if (htmlPath !== undefined)
        await writeFile(resolve(htmlPath), renderStatusHtml(result.report, { generatedAt: new Date() }));
      const missing = result.report.configurations.flatMap((configuration) =>
        configuration.pipelines.flatMap((pipeline) =>
          pipeline.targets
            .filter((target) => target.state === "missing")
            .map(
              (target) =>
                `${configuration.name} (${configuration.region}): ${pipeline.name} ${pipeline.image?.version ?? ""} is not in ${target.region} (${target.accountId})`,
            ),
        ),
      );
      return {
        status: "read",
        headline: statusSummaryLine(result.report),
        missing,
      };
    },
    async rollout(request) {
      const opened = await runFor(request);
      if (!opened.ok) return { status: "invalid", diagnostics: opened.diagnostics };
      const result = await opened.run.rollout({ execute: true });
      if (result.status === "invalid") return { status: "invalid", diagnostics: result.diagnostics };
      if (result.status === "planned") return { status: "done", lines: [], failed: 0 };
      const lines = result.results.map((entry) => {
        const where = formatTargets(entry.item.targets);
        const what = `${entry.item.pipeline.name} ${entry.item.image.version} → ${where}`;
        return entry.status === "distributed" ? `ok: ${what}` : `failed: ${what}: ${entry.reason}`;
      });
      return {
        status: "done",
        lines,
        failed: result.results.filter((entry) => entry.status === "failed").length,
      };
    },
    async apply(request, approval, review) {
      const opened = await runFor(request);
      if (!opened.ok) return { status: "invalid", diagnostics: opened.diagnostics, verdict: opened.verdict };
      const rule = opened.run.settings.policy.sharingApproval;
      let differences: string[] | undefined;
      let approvedBy: string | undefined;
      const result = await opened.run.apply({
        refresh: request.refresh,
        approve: async (plan) => {
          // First: is this the plan that was reviewed? Then the policy's sharing gate: a plan that
          // widens who may launch needs the pull request's approval.
          const verdict = review?.(reviewRecord(plan));
          if (verdict !== undefined && !verdict.apply) {
            differences = verdict.differences;
            return { approved: false, reason: verdict.reason };
          }
          const needed = rule !== undefined && plan.sharing.widening.length > 0;
          const gate = sharingGate(
            plan.sharing,
            rule,
            needed
              ? await approval?.({
                  ...(rule.label === undefined ? {} : { label: rule.label }),
                  approvingReview: rule.approvingReview === true,
                })
              : undefined,
          );
          if (gate.status === "refused") return { approved: false, reason: gate.reason };
          if (gate.status === "approved" && needed) approvedBy = gate.by;
          return { approved: true };
        },
      });
      if (result.status === "invalid")
        return { status: "invalid", diagnostics: result.diagnostics, verdict: result.verdict };
      if (result.status === "refused")
        return {
          status: "refused",
          plan: planReportOf(result.plan, result.verdict, rule),
          reason: result.reason,
          ...(differences === undefined ? {} : { differences }),
          diagnostics: result.diagnostics,
          verdict: result.verdict,
        };
      // Only a saved plan can be stale, and the action always re-plans.
      if (result.status === "stale") throw new Error(`Unexpected stale plan: ${result.reason}`);
      return {
        status: "applied",
        plan: planReportOf(result.plan, result.verdict, rule),
        diagnostics: result.diagnostics,
        verdict: result.verdict,
        ...(approvedBy === undefined ? {} : { approvedBy }),
        results: result.results.map(
          (applied): AppliedChange => ({
            action: applied.change.action,
            name: applied.change.name,
            region: applied.change.region,
            ...(applied.change.source === undefined ? {} : { source: applied.change.source }),
            status: applied.status,
            ...(applied.error !== undefined
              ? { detail: `${applied.error.type}: ${applied.error.message}` }
              : applied.reason !== undefined
                ? { detail: applied.reason }
                : {}),
          }),
        ),
      };
    },
  };
}
