/** The plan as terminal text, like `terraform plan`; colour only when the caller asks for it. */
import {
  ACTION_SYMBOLS,
  actionLabel,
  diffLines,
  escapeUnsafe,
  planSummaryLine,
  showsAmiNames,
} from "./describe.js";
import type { Change, ChangeAction, Plan } from "./types.js";

export interface TextRenderOptions {
  /** ANSI colours. The caller decides (a TTY and no `NO_COLOR`); the renderer never reads the environment. */
  color: boolean;
  /** Show the live-state fingerprint (`live state sha256:…`) under the heading. Default false. */
  fingerprint?: boolean;
}

const RESET = "\u001b[0m";
const COLORS = {
  green: "\u001b[32m",
  yellow: "\u001b[33m",
  red: "\u001b[31m",
  magenta: "\u001b[35m",
  cyan: "\u001b[36m",
  bold: "\u001b[1m",
  dim: "\u001b[2m",
} as const;
type Color = keyof typeof COLORS;

const ACTION_COLORS: Readonly<Record<ChangeAction, Color>> = {
  create: "green",
  update: "yellow",
  tag: "yellow",
  replace: "magenta",
  delete: "red",
  adopt: "cyan",
  conflict: "red",
  "no-op": "dim",
};

const LINE_COLORS: Readonly<Record<string, Color>> = { "+": "green", "-": "red", "~": "yellow" };

/**
 * Renders `plan` for a terminal. No-ops are counted in the summary, not listed; the live-state
 * fingerprint only with `fingerprint: true`.
 */
export function renderPlanText(plan: Plan, options: TextRenderOptions): string {
  const paint = (color: Color, text: string) => (options.color ? `${COLORS[color]}${text}${RESET}` : text);
  const lines: string[] = [];
  lines.push(paint("bold", `Waybill plan for stack ${escapeUnsafe(JSON.stringify(plan.stack))}`));
  if (options.fingerprint === true) lines.push(paint("dim", `live state ${plan.fingerprint}`));
  lines.push("");

  for (const change of plan.changes) {
    if (change.action === "no-op") continue;
    lines.push(...changeLines(change, paint));
    lines.push("");
  }

  if (plan.warnings.length > 0) {
    lines.push(paint("bold", "Warnings:"));
    for (const warning of plan.warnings)
      lines.push(`  ${paint("yellow", "!")} ${escapeUnsafe(warning.message)}`);
    lines.push("");
  }
  lines.push(paint("bold", planSummaryLine(plan)));
  return `${lines.join("\n")}\n`;
}

function changeLines(change: Change, paint: (color: Color, text: string) => string): string[] {
  const color = ACTION_COLORS[change.action];
  const symbol = change.action === "delete" && !change.executed ? "-" : ACTION_SYMBOLS[change.action];
  const heading = `${symbol} ${actionLabel(change)} ${escapeUnsafe(change.name)} (${escapeUnsafe(change.region)})`;
  const lines = [`  ${paint(color, heading)}`];
  const details: string[] = [];
  if (change.arn !== undefined) details.push(paint("dim", escapeUnsafe(change.arn)));
  if (change.action === "replace") {
    details.push(`replaces ${escapeUnsafe(change.replaces.name)} (${escapeUnsafe(change.replaces.arn)})`);
  }
  if (change.action === "delete" && change.replacedBy !== undefined) {
    const by = change.replacedBy;
    details.push(`finishes the replace by ${escapeUnsafe(by.name)} (${escapeUnsafe(by.arn)})`);
  }
  if (change.source !== undefined) details.push(paint("dim", `from ${escapeUnsafe(change.source)}`));
  for (const diff of change.diffs) {
    for (const line of diffLines(diff, "text")) {
      const lineColor = LINE_COLORS[line[0] ?? ""];
      details.push(lineColor === undefined ? line : paint(lineColor, line));
    }
  }
  if (showsAmiNames(change) && change.amiNames.length > 0) {
    details.push("AMI names:");
    for (const ami of change.amiNames) {
      details.push(`  ${escapeUnsafe(ami.region)}: ${escapeUnsafe(ami.preview)}`);
    }
  }
  return [...lines, ...details.map((line) => `      ${line}`)];
}
