/** The engine's verdict as the action says it: failure messages, annotations, and one report of invalid files for every flow. */
import type { Verdict, VerdictReason } from "@waybill/engine";
import type { RunDecision } from "../event.js";
import {
  type Annotation,
  diagnosticAnnotations,
  diagnosticsMarkdown,
  type LineLink,
  unplannedOutputs,
} from "../report.js";
import type { PlanReport } from "../runner.js";
import {
  type ActionDependencies,
  type ActionReport,
  COMMENT_CONTENT_LIMIT,
  fitSummary,
  footer,
  lineLink,
  SUMMARY_TABLE_BYTES,
} from "./shared.js";

/**
 * Invalid files (or settings): the diagnostics in the comment and summary under the verdict's
 * headline (the `summary` output too), an annotation each, and the step fails. One report for
 * every flow; `link` links each place to its line.
 */
export function invalidReport(
  verdict: Verdict,
  title: string,
  link: LineLink | undefined,
): {
  comment: string;
  summary: string;
  report: Omit<ActionReport, "summaryMarkdown" | "annotations" | "decision">;
  annotations: Annotation[];
} {
  const reason = verdict.reasons.find((r) => r.kind === "invalid");
  const diagnostics = reason?.diagnostics ?? [];
  const errors = reason?.errors ?? 0;
  const markdown = (maxBytes: number) =>
    `${title}\n\n${diagnosticsMarkdown(verdict.headline, diagnostics, maxBytes, link)}`;
  return {
    comment: markdown(COMMENT_CONTENT_LIMIT),
    summary: markdown(SUMMARY_TABLE_BYTES),
    report: {
      conclusion: "failure",
      failureMessage: `${errors} configuration error${errors === 1 ? "" : "s"}: see the annotations and the job summary.`,
      outputs: unplannedOutputs(verdict.headline),
    },
    annotations: diagnosticAnnotations(diagnostics),
  };
}

/** A run with invalid files that comments nowhere (drift, apply): the summary, the annotations, a failed step. */
export function invalidOnlyReport(
  deps: ActionDependencies,
  decision: RunDecision,
  verdict: Verdict,
  title: string,
): ActionReport {
  const sha = deps.event.sha;
  const invalid = invalidReport(verdict, title, lineLink(deps, sha));
  return {
    decision,
    ...invalid.report,
    summaryMarkdown: fitSummary(`${invalid.summary}${footer(deps, sha)}`),
    annotations: invalid.annotations,
  };
}

/** Adds a line to the report's failure message (the step fails). */
function failWith(report: ActionReport, message: string, annotations: Annotation[] = []): ActionReport {
  return {
    ...report,
    conclusion: "failure",
    failureMessage: report.failureMessage === undefined ? message : `${report.failureMessage}\n${message}`,
    annotations: [...report.annotations, ...annotations],
  };
}

/**
 * The engine's verdict on a plan or an apply, rendered: conflicts (never applied) fail the step,
 * each named with its reason and annotated at its file; preflight's errors (what would fail hours
 * later, at build time) fail it, each annotated at its place in the file (warnings are
 * annotations only); failed changes are listed. The engine decided; this only says it.
 */
export function failOnVerdict(
  report: ActionReport,
  verdict: Verdict,
  plan: PlanReport,
  failureList?: string,
): ActionReport {
  let result = report;
  const failed = verdict.reasons.find((r) => r.kind === "failed");
  if (failed !== undefined) result = failWith(result, `${failed.message}:\n${failureList ?? ""}`);
  const conflicts = verdict.reasons.filter(
    (r): r is Extract<VerdictReason, { kind: "conflict" }> => r.kind === "conflict",
  );
  if (conflicts.length > 0) {
    const list = conflicts
      .map((c) => `- conflict ${c.message}${c.source === undefined ? "" : ` (${c.source})`}`)
      .join("\n");
    result = failWith(
      result,
      `${conflicts.length} configuration${conflicts.length === 1 ? " is" : "s are"} in conflict and will not be applied (unmanaged: set \`adopt: true\` to take over; another stack's or a missing update target: rename or fix the file):\n${list}`,
      conflicts.map(
        (c): Annotation => ({
          level: "error",
          title: "Waybill conflict",
          message: `${c.name} (${c.region}) is in conflict and will not be applied: ${c.message}`,
          ...(c.source === undefined ? {} : { file: c.source }),
        }),
      ),
    );
  }
  // Every finding is annotated, warnings too; the errors fail the step when the verdict says so.
  const findings = plan.preflight?.findings ?? [];
  const annotations = findings.map(
    (finding): Annotation => ({
      level: finding.severity === "error" ? "error" : "warning",
      title: `Waybill preflight: ${finding.code}`,
      message: finding.message,
      file: finding.file,
      line: finding.line,
      column: finding.column,
    }),
  );
  const preflight = verdict.reasons.find((r) => r.kind === "preflight");
  if (preflight === undefined) return { ...result, annotations: [...result.annotations, ...annotations] };
  return failWith(result, `${preflight.message} (see the Preflight section of the plan)`, annotations);
}
