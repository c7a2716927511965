/** Turns run outcomes into what GitHub shows: markdown for comments and summaries, annotations, outputs. */
import { CHANGE_ACTIONS, type Diagnostic, hasChanges } from "@waybill/core";
import { escapeMarkdownText, inlineCode } from "@waybill/core/render";
import { type AppliedChange, isDrift, type PlannedChange, type PlanReport } from "./runner.js";

export interface Annotation {
  level: "error" | "warning" | "notice";
  message: string;
  title?: string;
  file?: string;
  line?: number;
  column?: number;
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

/**
 * A code, name or region for a narrow table cell: hyphens as non-breaking hyphens (U+2011, drawn
 * the same), so `unknown-template-variable` never wraps at its hyphens, as in the plan's tables.
 */
function unbroken(text: string): string {
  return text.replace(/-/g, "\u2011");
}

export function planOutputs(plan: PlanReport): Record<string, string> {
  const outputs: Record<string, string> = {
    "has-changes": String(hasChanges(plan)),
    // The comment's headline, word for word: one way to say what a plan does.
    summary: plan.headline,
  };
  for (const action of CHANGE_ACTIONS) {
    outputs[`${action === "no-op" ? "unchanged" : action}-count`] = String(plan.counts[action]);
  }
  return outputs;
}

/** Where a file's line is shown on GitHub (at a commit), or undefined when there is no such page. */
export type LineLink = (file: string, line: number) => string | undefined;

/**
 * `https://github.com/<owner>/<repo>/blob/<sha>/<file>#L<line>`: each path segment URI-encoded
 * (parentheses too), so a file name cannot end the markdown link or add to it.
 */
export function blobLineLink(
  serverUrl: string,
  repository: { owner: string; repo: string },
  sha: string,
): LineLink {
  return (file, line) => {
    const path = file
      .split("/")
      .map((segment) =>
        encodeURIComponent(segment).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
      )
      .join("/");
    return `${serverUrl}/${encodeURIComponent(repository.owner)}/${encodeURIComponent(repository.repo)}/blob/${encodeURIComponent(sha)}/${path}#L${line}`;
  };
}

/**
 * The diagnostics as a table, cut to `maxBytes` (UTF-8) with an "… and N more" line; with `link`,
 * each position links to its line (at the pull request's head commit).
 */
export function diagnosticsTable(
  diagnostics: readonly Diagnostic[],
  maxBytes: number,
  link?: LineLink,
): string {
  return cappedTable(
    ["| where | | code | message |", "| --- | --- | --- | --- |"],
    diagnostics.length,
    (i) => {
      const d = diagnostics[i] as Diagnostic;
      const message =
        d.hint === undefined
          ? escapeMarkdownText(d.message)
          : `${escapeMarkdownText(d.message)}<br>hint: ${escapeMarkdownText(d.hint)}`;
      const path = d.path === undefined || d.path === "" ? "" : `<br>at ${inlineCode(d.path)}`;
      const position = inlineCode(`${d.file}:${d.line}:${d.column}`);
      const url = link?.(d.file, d.line);
      const where = url === undefined ? position : `[${position}](${url})`;
      return `| ${where} | ${d.severity} | ${inlineCode(unbroken(d.code))} | ${message}${path} |`;
    },
    maxBytes,
    "diagnostic",
  );
}

/** `2 errors, 1 warning`: how many diagnostics of each severity. */
function countWords(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  return `${errors} error${errors === 1 ? "" : "s"}${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}`;
}

export function diagnosticCounts(diagnostics: readonly Diagnostic[]): string {
  return `**${countWords(diagnostics)}**`;
}

/** Invalid files: the verdict's headline in bold (the `summary` output, word for word), then the table. */
export function diagnosticsMarkdown(
  headline: string,
  diagnostics: readonly Diagnostic[],
  maxBytes: number,
  link?: LineLink,
): string {
  return `**${headline}**\n\n${diagnosticsTable(diagnostics, maxBytes, link)}`;
}

/**
 * The outputs of a run that planned nothing (invalid files, validation only, an error): whether
 * anything would change is `unknown` (action.yml), and `summary` is the run's headline. The
 * counts are not set: there is nothing to count.
 */
export function unplannedOutputs(headline: string): Record<string, string> {
  return { "has-changes": "unknown", summary: headline };
}

export function diagnosticAnnotations(diagnostics: readonly Diagnostic[]): Annotation[] {
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
      return `| ${icon[result.status]} | ${inlineCode(unbroken(result.name))} (${unbroken(escapeMarkdownText(result.region))}) | ${result.action} | ${escapeMarkdownText(detail)} |`;
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
