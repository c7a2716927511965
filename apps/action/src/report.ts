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

/*
 * Escaping of user content (file names, keys, values, service messages) for comments and summaries.
 * @waybill/core escapes the plan it renders the same way but does not export its helpers
 * (escapeMarkdownText, inlineCode in packages/core/src/plan/render-markdown.ts): these are the
 * smallest local equivalents.
 */

/** Characters that could reorder, hide or inject: C0/C1 controls, bidi and zero-width marks (core's list). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
/** `@` followed by a zero-width space: GitHub links no mention and notifies nobody. */
const NEUTRAL_AT = "@\u200b";

function oneLine(text: string): string {
  return text
    .replace(/\r?\n|\r/g, " ")
    .replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Text for prose and table cells: one line, no HTML, no markdown syntax, no mentions. */
export function escapeText(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_[\]|~#!:]/g, (char) => `\\${char}`)
    .replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`)
    .replace(/@/g, NEUTRAL_AT);
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    if (current > longest) longest = current;
  }
  return longest;
}

/**
 * A code span for a table cell: one line, `|` escaped for GFM tables, no mentions, and a backtick
 * run longer than any inside (so `<`, `<!--` and the like stay literal text inside it).
 */
export function codeSpan(text: string): string {
  const content = oneLine(text).replace(/\|/g, "\\|").replace(/@/g, NEUTRAL_AT);
  const fence = "`".repeat(longestRun(content, "`") + 1);
  const pad = content.startsWith("`") || content.endsWith("`") ? " " : "";
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** UTF-8 bytes: GitHub's job summary limit (1 MiB) counts bytes, not characters. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/**
 * Header lines, then as many rows as fit in `maxBytes`, then "… and N more" when some did not.
 * Rows are made lazily, so a huge list costs only what is shown.
 */
function cappedTable(
  header: readonly string[],
  count: number,
  row: (index: number) => string,
  maxBytes: number,
  noun: string,
): string {
  const lines = [...header];
  let bytes = byteLength(lines.join("\n"));
  // Room for the "… and N more" line.
  const budget = maxBytes - 200;
  for (let i = 0; i < count; i++) {
    const line = row(i);
    const added = byteLength(line) + 1;
    if (bytes + added > budget) {
      lines.push("", `… and ${count - i} more ${noun}${count - i === 1 ? "" : "s"} (not shown: too long).`);
      break;
    }
    lines.push(line);
    bytes += added;
  }
  return lines.join("\n");
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

/** The diagnostics as a table, cut to `maxBytes` (UTF-8) with an "… and N more" line. */
export function diagnosticsTable(diagnostics: readonly RunDiagnostic[], maxBytes: number): string {
  return cappedTable(
    ["| where | | code | message |", "| --- | --- | --- | --- |"],
    diagnostics.length,
    (i) => {
      const d = diagnostics[i] as RunDiagnostic;
      const message =
        d.hint === undefined
          ? escapeText(d.message)
          : `${escapeText(d.message)}<br>hint: ${escapeText(d.hint)}`;
      const path = d.path === undefined || d.path === "" ? "" : `<br>at ${codeSpan(d.path)}`;
      return `| ${codeSpan(`${d.file}:${d.line}:${d.column}`)} | ${d.severity} | ${codeSpan(d.code)} | ${message}${path} |`;
    },
    maxBytes,
    "diagnostic",
  );
}

/** "N errors, M warnings" in bold. */
export function diagnosticCounts(diagnostics: readonly RunDiagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  return `**${errors} error${errors === 1 ? "" : "s"}${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}**`;
}

export function diagnosticsMarkdown(diagnostics: readonly RunDiagnostic[], maxBytes: number): string {
  return `${diagnosticCounts(diagnostics)} in the configuration files: nothing was planned.\n\n${diagnosticsTable(diagnostics, maxBytes)}`;
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

export function applyResultsMarkdown(results: readonly AppliedChange[], maxBytes: number): string {
  if (results.length === 0) return "Nothing to apply: live state already matches the repository.";
  const icon = { ok: "✅", failed: "❌", skipped: "⏭️" } as const;
  return cappedTable(
    ["| | configuration | action | result |", "| --- | --- | --- | --- |"],
    results.length,
    (i) => {
      const result = results[i] as AppliedChange;
      const detail = result.detail === undefined ? result.status : `${result.status}: ${result.detail}`;
      return `| ${icon[result.status]} | ${codeSpan(result.name)} (${escapeText(result.region)}) | ${result.action} | ${escapeText(detail)} |`;
    },
    maxBytes,
    "result",
  );
}

export function failureList(results: readonly AppliedChange[]): string {
  return results
    .filter((result) => result.status === "failed")
    .map((result) => `- ${result.action} ${where(result)}: ${result.detail ?? "failed"}`)
    .join("\n");
}
