/** WaybillRunner over @waybill/engine: the run opened by `openRun` (as the CLI does), with the inputs on top of waybill.config.yaml. */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  canonicalJson,
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
  renderPreflightMarkdown,
  renderStatusHtml,
  statusSummaryLine,
} from "@waybill/core/render";
import {
  applyRepository,
  openRun,
  planRepository,
  type Run,
  rolloutRepository,
  statusRepository,
  validateRepository,
} from "@waybill/engine";
import type { ReviewRecord } from "./review.js";
import type { AppliedChange, PlanReport, RunDiagnostic, RunRequest, WaybillRunner } from "./runner.js";

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

export function planReportOf(plan: Plan, rule?: SharingApproval, preflight?: PreflightReport): PlanReport {
  const widening = plan.sharing.widening.length;
  // Preflight's section follows the plan in the comment; the plan gets what room is left.
  const section = preflight ? `\n${renderPreflightMarkdown(preflight)}` : "";
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
    changes: plan.changes.map((change) => ({
      action: change.action,
      name: change.name,
      region: change.region,
      ...(change.source === undefined ? {} : { source: change.source }),
      ...(change.action === "delete" ? { executed: change.executed } : {}),
    })),
    counts: { ...plan.summary },
    renderMarkdown: ({ maxLength, title, key, onMerge, sections, drift }) =>
      renderPlanMarkdown(plan, {
        maxLength: Math.max(1000, maxLength - section.length),
        title,
        marker: key === "" ? "default" : key,
        ...(onMerge === undefined ? {} : { onMerge }),
        ...(sections === undefined ? {} : { sections }),
        ...(drift === undefined ? {} : { drift }),
      }) + section,
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

type Prepared = { ok: true; run: Run } | { ok: false; diagnostics: RunDiagnostic[] };

/** The run, opened as the CLI opens its own: same checks, same diagnostics. */
async function prepare(options: EngineRunnerOptions, request: RunRequest): Promise<Prepared> {
  const opened = await openRun({
    root: options.root,
    env: options.env,
    overrides: {
      stack: request.stack,
      defaultRegion: request.region,
      paths: request.paths.length === 0 ? undefined : request.paths,
      prune: request.prune,
      adopt: request.adopt,
      endpointUrl: request.endpointUrl,
    },
    names: inputNames,
  });
  return opened.ok ? { ok: true, run: opened.run } : { ok: false, diagnostics: opened.diagnostics };
}

export function createEngineRunner(options: EngineRunnerOptions): WaybillRunner {
  return {
    async plan(request) {
      const prepared = await prepare(options, request);
      if (!prepared.ok) return { status: "invalid", diagnostics: prepared.diagnostics };
      let result: Awaited<ReturnType<typeof planRepository>>;
      try {
        result = await planRepository({
          root: options.root,
          settings: prepared.run.settings,
          aws: prepared.run.aws,
          refresh: request.refresh,
          pruneAll: request.pruneAll,
        });
      } catch (error) {
        if (!isMissingCredentials(error)) throw error;
        // Live state was the first thing to need AWS, so the files were valid: say which.
        const report = await validateRepository({
          root: options.root,
          settings: prepared.run.settings,
          pruneAll: request.pruneAll,
        });
        return {
          status: "no-credentials",
          message: error instanceof Error ? error.message : String(error),
          files: report.files,
          diagnostics: report.diagnostics,
        };
      }
      if (result.status === "invalid") return { status: "invalid", diagnostics: result.diagnostics };
      const rule = prepared.run.settings.policy.sharingApproval;
      return {
        status: "planned",
        plan: planReportOf(result.plan, rule, result.preflight),
        diagnostics: result.diagnostics,
      };
    },

    async status(request, { htmlPath }) {
      const prepared = await prepare(options, request);
      if (!prepared.ok) return { status: "invalid", diagnostics: prepared.diagnostics };
      const result = await statusRepository({
        root: options.root,
        settings: prepared.run.settings,
        aws: prepared.run.aws,
      });
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
      const prepared = await prepare(options, request);
      if (!prepared.ok) return { status: "invalid", diagnostics: prepared.diagnostics };
      const result = await rolloutRepository({
        root: options.root,
        settings: prepared.run.settings,
        aws: prepared.run.aws,
        execute: true,
      });
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
      const prepared = await prepare(options, request);
      if (!prepared.ok) return { status: "invalid", diagnostics: prepared.diagnostics };
      const rule = prepared.run.settings.policy.sharingApproval;
      let differences: string[] | undefined;
      let approvedBy: string | undefined;
      const result = await applyRepository({
        root: options.root,
        settings: prepared.run.settings,
        aws: prepared.run.aws,
        refresh: request.refresh,
        pruneAll: request.pruneAll,
        approve: async (plan) => {
          // First: is this the plan that was reviewed? Then the policy's sharing gate: a plan that
          // widens who may launch needs the pull request's approval.
          const verdict = review?.(planReportOf(plan, rule));
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
      if (result.status === "invalid") return { status: "invalid", diagnostics: result.diagnostics };
      if (result.status === "refused")
        return {
          status: "refused",
          plan: planReportOf(result.plan, rule),
          reason: result.reason,
          ...(differences === undefined ? {} : { differences }),
          diagnostics: result.diagnostics,
        };
      // Only a saved plan can be stale, and the action always re-plans.
      if (result.status === "stale") throw new Error(`Unexpected stale plan: ${result.reason}`);
      return {
        status: "applied",
        plan: planReportOf(result.plan, rule),
        diagnostics: result.diagnostics,
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
