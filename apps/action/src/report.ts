/** Turns run outcomes into what GitHub shows: markdown for comments and summaries, annotations, outputs. */
import {
  type AppliedChange,
  isDrift,
  isEffective,
  PLAN_ACTIONS,
  type PlanAction,
  type PlannedChange,
  type PlanReport,
  type RunDiagnostic,
} from "./runner.js";

export interface Annotation {
  level: "error" | "warning" | "notice";
  message: string;
  title?: string;
  file?: string;
  line?: number;
  column?: number;
}

/** Table cells: no line breaks, no unescaped pipes; code spans with a fence longer than any backtick run. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

export function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${cell(text)}${pad}${fence}`;
}

export function where(change: { name: string; region: string; source?: string | undefined }): string {
  return `${change.name} (${change.region}${change.source === undefined ? "" : `, ${change.source}`})`;
}

/** `2 to create, 1 to update, 0 to delete`, plus the rarer actions when they occur. */
export function summaryLine(counts: Record<PlanAction, number>, changes: readonly PlannedChange[]): string {
  const deletes = changes.filter((change) => change.action === "delete" && change.executed === true).length;
  const parts = [`${counts.create} to create`, `${counts.update} to update`, `${deletes} to delete`];
  if (counts.replace > 0) parts.push(`${counts.replace} to replace`);
  if (counts.tag > 0) parts.push(`${counts.tag} to retag`);
  if (counts.adopt > 0) parts.push(`${counts.adopt} to adopt`);
  const reported = counts.delete - deletes;
  if (reported > 0) parts.push(`${reported} orphaned (prune is off)`);
  if (counts.conflict > 0) parts.push(`${counts.conflict} in conflict`);
  return parts.join(", ");
}

export function planOutputs(plan: PlanReport): Record<string, string> {
  const outputs: Record<string, string> = {
    "has-changes": String(plan.changes.some(isEffective)),
    summary: summaryLine(plan.counts, plan.changes),
  };
  for (const action of PLAN_ACTIONS) {
    outputs[`${action === "no-op" ? "unchanged" : action}-count`] = String(plan.counts[action]);
  }
  return outputs;
}

export function diagnosticsMarkdown(diagnostics: readonly RunDiagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const lines = [
    `**${errors} error${errors === 1 ? "" : "s"}${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}** in the configuration files: nothing was planned.`,
    "",
    "| where | | code | message |",
    "| --- | --- | --- | --- |",
  ];
  for (const d of diagnostics) {
    const message = d.hint === undefined ? d.message : `${d.message}<br>hint: ${d.hint}`;
    const path = d.path === undefined || d.path === "" ? "" : `<br>at ${codeSpan(d.path)}`;
    lines.push(
      `| ${codeSpan(`${d.file}:${d.line}:${d.column}`)} | ${d.severity} | ${codeSpan(d.code)} | ${cell(message)}${path} |`,
    );
  }
  return lines.join("\n");
}

export function diagnosticAnnotations(diagnostics: readonly RunDiagnostic[]): Annotation[] {
  return diagnostics.map((d) => ({
    level: d.severity === "error" ? "error" : "warning",
    title: `waybill ${d.code}`,
    message: d.hint === undefined ? d.message : `${d.message}\nhint: ${d.hint}`,
    file: d.file,
    line: d.line,
    column: d.column,
  }));
}

export function driftAnnotations(changes: readonly PlannedChange[]): Annotation[] {
  return changes.filter(isDrift).map((change) => ({
    level: "error",
    title: "waybill drift",
    message: `${where(change)}: live differs from the repository (${change.action})`,
    ...(change.source === undefined ? {} : { file: change.source }),
  }));
}

export function applyResultsMarkdown(results: readonly AppliedChange[]): string {
  if (results.length === 0) return "Nothing to apply: live state already matches the repository.";
  const icon = { ok: "✅", failed: "❌", skipped: "⏭️" } as const;
  const lines = ["| | configuration | action | result |", "| --- | --- | --- | --- |"];
  for (const result of results) {
    const detail = result.detail === undefined ? result.status : `${result.status}: ${result.detail}`;
    lines.push(
      `| ${icon[result.status]} | ${codeSpan(result.name)} (${result.region}) | ${result.action} | ${cell(detail)} |`,
    );
  }
  return lines.join("\n");
}

export function failureList(results: readonly AppliedChange[]): string {
  return results
    .filter((result) => result.status === "failed")
    .map((result) => `- ${result.action} ${where(result)}: ${result.detail ?? "failed"}`)
    .join("\n");
}
