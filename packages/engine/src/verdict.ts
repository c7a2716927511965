// Whether a run failed, why, and its headline: decided here once, for every front end to render.
import type { ApplyResult } from "@waybill/aws";
import { type Change, type Diagnostic, hasChanges, type Plan, type PreflightReport } from "@waybill/core";
import { planSummaryLine } from "@waybill/core/render";

type ConflictChange = Extract<Change, { action: "conflict" }>;
type PreflightFinding = PreflightReport["findings"][number];

/** One reason a run fails. `message` is the engine's words; front ends may phrase it their way. */
export type VerdictReason =
  | {
      /** Files (or settings, or account sets) are not valid, or a delete would fail: nothing was planned or applied. */
      kind: "invalid";
      /** One line: what is not valid, and that nothing was planned (or applied). */
      message: string;
      /** Every diagnostic, warnings included, in the order found. */
      diagnostics: readonly Diagnostic[];
      /** How many of them are errors. */
      errors: number;
    }
  | {
      /** A configuration the plan will not touch: it fails the run (the repository and live state disagree). */
      kind: "conflict";
      name: string;
      region: string;
      source: string | undefined;
      reason: ConflictChange["reason"];
      /** Which configuration and why (`web-base in us-west-2 exists and is not managed by Waybill`). */
      message: string;
      /** What to do about it, naming the front end's own flag or input. */
      hint: string;
    }
  | {
      /** Preflight found errors: the next build would fail. */
      kind: "preflight";
      message: string;
      /** The error findings (warnings do not fail a run). */
      findings: readonly PreflightFinding[];
    }
  | {
      /** Nothing was applied: live state moved since the saved plan (`stale`), or a gate refused it. */
      kind: "stale" | "refused";
      message: string;
    }
  | {
      /** Some changes of the apply failed (each result says why); a re-run retries them. */
      kind: "failed";
      message: string;
      failed: number;
      of: number;
    };

/**
 * A run's verdict: its exit status (`0` done, or nothing to do; `1` failed, see `reasons`; `2` a
 * plan with changes and nothing wrong), every reason it failed, its headline (the plan's summary
 * line, the apply's count, or what was not valid) and the warnings to show with it.
 */
export interface Verdict {
  exitCode: 0 | 1 | 2;
  headline: string;
  reasons: readonly VerdictReason[];
  warnings: readonly Diagnostic[];
}

/** How the front end names what the verdict's hints tell the user to set (`--adopt`, `input 'adopt'`). */
export interface VerdictNames {
  adopt?: string | undefined;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** `2 errors, 1 warning`: how many diagnostics of each severity. */
export function diagnosticCountWords(diagnostics: readonly { severity: string }[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  return `${plural(errors, "error")}${warnings > 0 ? `, ${plural(warnings, "warning")}` : ""}`;
}

/**
 * What the closing line of an invalid run names: the settings file when only it failed (an account
 * set that does not resolve, say), the config files when only they did, else both.
 */
export function invalidWhat(diagnostics: readonly { file: string; severity: string }[]): string {
  const files = new Set(diagnostics.filter((d) => d.severity === "error").map((d) => d.file));
  const settings = files.delete("waybill.config.yaml");
  if (settings && files.size === 0) return "waybill.config.yaml is not valid";
  return settings
    ? "waybill.config.yaml and the config files are not valid"
    : "the config files are not valid";
}

/** The verdict of a run that planned (or applied) nothing: its diagnostics are the reason. */
export function invalidVerdict(diagnostics: readonly Diagnostic[], stage: "plan" | "apply"): Verdict {
  const all = [...diagnostics];
  const inUse = all.some((diagnostic) => diagnostic.code === "configuration-in-use");
  const nothing = stage === "plan" ? "nothing was planned" : "nothing was applied";
  const message = inUse
    ? `a delete would fail${stage === "plan" ? " at apply" : ""} (an image pipeline uses the configuration); ${nothing}`
    : `${invalidWhat(all)}; ${nothing}`;
  return {
    exitCode: 1,
    // The same words whatever the run: the Action's `summary` output and bold line.
    headline: `${diagnosticCountWords(all)} in the configuration files: nothing was planned.`,
    reasons: [
      {
        kind: "invalid",
        message,
        diagnostics: all,
        errors: all.filter((diagnostic) => diagnostic.severity === "error").length,
      },
    ],
    warnings: [],
  };
}

/** A conflict, with what it is and what to do about it. */
function conflictReason(change: ConflictChange, stack: string, names: VerdictNames): VerdictReason {
  const what = `${change.name} in ${change.region}`;
  const said = (message: string, hint: string): VerdictReason => ({
    kind: "conflict",
    name: change.name,
    region: change.region,
    source: change.source,
    reason: change.reason,
    message,
    hint,
  });
  switch (change.reason) {
    case "unmanaged":
      return said(
        `${what} exists and is not managed by Waybill`,
        `pass ${names.adopt ?? "adopt"} to take it over, or give it another name`,
      );
    case "managed-by-other-stack":
      return said(
        `${what} is managed by stack '${change.owner ?? "?"}', not '${stack}'`,
        "leave it to that stack, or give it another name",
      );
    case "update-target-missing":
      return said(
        `${what}: ${change.source ?? "its file"} is an update request, but ${change.arn ?? "its configuration"} does not exist`,
        "remove distributionConfigurationArn to create it, or correct the ARN",
      );
    case "duplicate-desired":
      return said(
        `${what} is described more than once; ${change.source ?? "one file"} is ignored`,
        "keep one description",
      );
  }
}

function conflictReasons(plan: Plan, names: VerdictNames): VerdictReason[] {
  return plan.changes.flatMap((change) =>
    change.action === "conflict" ? [conflictReason(change, plan.stack, names)] : [],
  );
}

function preflightReasons(report: PreflightReport | undefined): VerdictReason[] {
  const errors = (report?.findings ?? []).filter((finding) => finding.severity === "error");
  if (errors.length === 0) return [];
  return [
    {
      kind: "preflight",
      message: `preflight found ${plural(errors.length, "error")}: the next build would fail`,
      findings: errors,
    },
  ];
}

/**
 * A plan's verdict: conflicts (never applied) and preflight's errors (the build would fail) fail
 * it; otherwise it exits 2 when it has changes, 0 when it has none.
 */
export function planVerdict(
  plan: Plan,
  preflight: PreflightReport | undefined,
  warnings: readonly Diagnostic[],
  names: VerdictNames,
): Verdict {
  const reasons = [...conflictReasons(plan, names), ...preflightReasons(preflight)];
  return {
    exitCode: reasons.length > 0 ? 1 : hasChanges(plan) ? 2 : 0,
    headline: planSummaryLine(plan),
    reasons,
    warnings: [...warnings],
  };
}

/** `Applied: 2 changes done, 1 failed, 0 skipped.`: an apply's headline. */
export function appliedCountLine(results: readonly Pick<ApplyResult, "status">[]): string {
  const count = (status: ApplyResult["status"]) => results.filter((r) => r.status === status).length;
  const done = count("ok");
  return `Applied: ${plural(done, "change")} done, ${count("failed")} failed, ${count("skipped")} skipped.`;
}

/** An apply's verdict: a failed change or a (skipped) conflict fails it. */
export function appliedVerdict(
  plan: Plan,
  results: readonly ApplyResult[],
  warnings: readonly Diagnostic[],
  names: VerdictNames,
): Verdict {
  const failed = results.filter((result) => result.status === "failed").length;
  const reasons: VerdictReason[] = [
    ...(failed > 0
      ? [
          {
            kind: "failed" as const,
            message: `${failed} of ${plural(results.length, "change")} failed`,
            failed,
            of: results.length,
          },
        ]
      : []),
    ...conflictReasons(plan, names),
  ];
  return {
    exitCode: reasons.length > 0 ? 1 : 0,
    headline: appliedCountLine(results),
    reasons,
    warnings: [...warnings],
  };
}

/** Nothing was applied: the saved plan is stale, or a gate (review, sharing approval) refused it. */
export function notAppliedVerdict(
  kind: "stale" | "refused",
  reason: string,
  warnings: readonly Diagnostic[],
): Verdict {
  return {
    exitCode: 1,
    headline: `Not applied: ${reason}.`,
    reasons: [{ kind, message: reason }],
    warnings: [...warnings],
  };
}
