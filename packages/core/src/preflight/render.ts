// Preflight's section of a plan: terminal text and PR-comment markdown.
import { escapeMarkdownText, inlineCode } from "../plan/render-markdown.js";
import type { PreflightFinding } from "./preflight-model.js";

/** An account set as a run resolved it. */
export interface ResolvedAccountSet {
  name: string;
  /** `list`: written in the settings; `organizational-unit`: every active account under the OU. */
  source: "list" | "organizational-unit";
  /** The OU id, for sets resolved from Organizations. */
  organizationalUnit?: string;
  accounts: readonly string[];
}

/** What one preflight found: the findings, the sets it resolved and the calls it cost. */
export interface PreflightReport {
  findings: readonly PreflightFinding[];
  accountSets: readonly ResolvedAccountSet[];
  /** Facts gathered (each a small, fixed number of read calls; docs/preflight.md). */
  factsGathered: number;
  /** Read calls made to IAM, KMS, EC2, S3, STS and Organizations. */
  calls: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "2 errors, 1 warning" or "clean". */
export function preflightSummary(report: PreflightReport): string {
  const errors = report.findings.filter((f) => f.severity === "error").length;
  const warnings = report.findings.length - errors;
  if (report.findings.length === 0) return "clean";
  return [errors > 0 ? plural(errors, "error") : "", warnings > 0 ? plural(warnings, "warning") : ""]
    .filter(Boolean)
    .join(", ");
}

function setLine(set: ResolvedAccountSet): string {
  const from =
    set.source === "organizational-unit" ? ` (Organizations, under ${set.organizationalUnit})` : "";
  return `set:${set.name}${from}: ${set.accounts.length === 0 ? "no accounts" : set.accounts.join(", ")}`;
}

/** The preflight section as terminal lines (no colour: callers add it). */
export function renderPreflightText(report: PreflightReport): string {
  const lines = [
    `Preflight: ${preflightSummary(report)} (${plural(report.factsGathered, "fact")} read in ${plural(report.calls, "call")})`,
  ];
  for (const set of report.accountSets) lines.push(`  ${setLine(set)}`);
  for (const f of report.findings) {
    const where = f.path === "" ? "" : ` (at ${f.path})`;
    lines.push(`  ${f.file}:${f.line}:${f.column}: ${f.severity} ${f.code}: ${f.message}${where}`);
    if (f.hint) lines.push(`    hint: ${f.hint}`);
    lines.push(`    evidence: ${f.evidence}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The preflight section of a PR comment (a heading, the sets, one item per finding). */
export function renderPreflightMarkdown(report: PreflightReport): string {
  const lines = [`### Preflight: ${escapeMarkdownText(preflightSummary(report))}`, ""];
  if (report.accountSets.length > 0) {
    lines.push("Account sets:", "");
    for (const set of report.accountSets) lines.push(`- ${inlineCode(setLine(set))}`);
    lines.push("");
  }
  for (const f of report.findings) {
    const mark = f.severity === "error" ? "❌" : "⚠️";
    lines.push(
      `- ${mark} ${inlineCode(`${f.file}:${f.line}:${f.column}`)} ${inlineCode(f.code)}: ${escapeMarkdownText(f.message)}`,
    );
    if (f.hint) lines.push(`  - hint: ${escapeMarkdownText(f.hint)}`);
    lines.push(`  - evidence: ${escapeMarkdownText(f.evidence)}`);
  }
  if (report.findings.length > 0) lines.push("");
  lines.push(
    `<sub>${plural(report.factsGathered, "fact")} read in ${plural(report.calls, "call")}; preflight only reads.</sub>`,
  );
  return `${lines.join("\n")}\n`;
}
