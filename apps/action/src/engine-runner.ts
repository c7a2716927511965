/** WaybillRunner over @waybill/engine: settings from waybill.config.yaml with the inputs on top, AWS from the environment. */
import { type AwsAccess, createAwsAccess } from "@waybill/aws";
import { canonicalJson, type Plan, renderPlanJson, renderPlanMarkdown, sha256Hex } from "@waybill/core";
import {
  applyRepository,
  loadSettings,
  planRepository,
  type Settings,
  validateRepository,
} from "@waybill/engine";
import type { AppliedChange, PlanReport, RunDiagnostic, RunRequest, WaybillRunner } from "./runner.js";

export interface EngineRunnerOptions {
  /** The checked-out configuration repository. */
  root: string;
  /** Where AWS_ENDPOINT_URL(_IMAGEBUILDER) may come from; the SDK reads credentials and region itself. */
  env: Readonly<Record<string, string | undefined>>;
}

export function planReportOf(plan: Plan): PlanReport {
  return {
    changes: plan.changes.map((change) => ({
      action: change.action,
      name: change.name,
      region: change.region,
      ...(change.source === undefined ? {} : { source: change.source }),
      ...(change.action === "delete" ? { executed: change.executed } : {}),
    })),
    counts: { ...plan.summary },
    renderMarkdown: ({ maxLength, title, key }) =>
      renderPlanMarkdown(plan, { maxLength, title, marker: key === "" ? "default" : key }),
    renderJson: () => renderPlanJson(plan),
    reviewHash: reviewHash(plan),
  };
}

/** The plan's hash without what changes by itself between runs: AMI name previews (the date) and the live-state fingerprint. */
export function reviewHash(plan: Plan): string {
  return sha256Hex(
    canonicalJson({
      stack: plan.stack,
      changes: plan.changes.map((change) => ({
        ...change,
        amiNames: change.amiNames.map(({ region, template }) => ({ region, template })),
      })),
      warnings: plan.warnings,
    }),
  );
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

type Prepared =
  | { ok: true; settings: Settings; aws: AwsAccess }
  | { ok: false; diagnostics: RunDiagnostic[] };

async function prepare(options: EngineRunnerOptions, request: RunRequest): Promise<Prepared> {
  const loaded = await loadSettings({
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
  });
  if (!loaded.ok) return { ok: false, diagnostics: loaded.diagnostics };
  const aws = createAwsAccess({ endpointUrl: loaded.settings.endpointUrl, env: options.env });
  // configure-aws-credentials sets AWS_REGION: the home region of files that name none.
  const defaultRegion = loaded.settings.defaultRegion ?? (await aws.defaultRegion());
  return { ok: true, settings: { ...loaded.settings, defaultRegion }, aws };
}

export function createEngineRunner(options: EngineRunnerOptions): WaybillRunner {
  return {
    async plan(request) {
      const prepared = await prepare(options, request);
      if (!prepared.ok) return { status: "invalid", diagnostics: prepared.diagnostics };
      let result: Awaited<ReturnType<typeof planRepository>>;
      try {
        result = await planRepository({ root: options.root, settings: prepared.settings, aws: prepared.aws });
      } catch (error) {
        if (!isMissingCredentials(error)) throw error;
        // Live state was the first thing to need AWS, so the files were valid: say which.
        const report = await validateRepository({ root: options.root, settings: prepared.settings });
        return {
          status: "no-credentials",
          message: error instanceof Error ? error.message : String(error),
          files: report.files,
          diagnostics: report.diagnostics,
        };
      }
      if (result.status === "invalid") return { status: "invalid", diagnostics: result.diagnostics };
      return { status: "planned", plan: planReportOf(result.plan), diagnostics: result.diagnostics };
    },

    async apply(request) {
      const prepared = await prepare(options, request);
      if (!prepared.ok) return { status: "invalid", diagnostics: prepared.diagnostics };
      const result = await applyRepository({
        root: options.root,
        settings: prepared.settings,
        aws: prepared.aws,
      });
      if (result.status === "invalid") return { status: "invalid", diagnostics: result.diagnostics };
      // Only a saved plan can be stale, and the action always re-plans.
      if (result.status === "stale") throw new Error(`Unexpected stale plan: ${result.reason}`);
      return {
        status: "applied",
        plan: planReportOf(result.plan),
        diagnostics: result.diagnostics,
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
