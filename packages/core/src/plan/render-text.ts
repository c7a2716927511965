/** The plan as terminal text, like `terraform plan`; colour only when the caller asks for it. */

import { imageSections } from "../images/consequences.js";
import type { Distribution } from "../schema.js";
import {
  ACTION_SYMBOLS,
  actionLabel,
  diffLines,
  effectLine,
  escapeUnsafe,
  formatValue,
  isDestructive,
  isExecuted,
  planSummaryLine,
  reviewOrder,
  showsAmiNames,
} from "./describe.js";
import { accessLines, copiesSentence, sharedConfigurationOf, sharingSentences } from "./describe-sharing.js";
import { APPLIED_TAG, type Change, type ChangeAction, type Plan } from "./plan-model.js";
import type { PlanSection } from "./render-markdown.js";

export interface TextRenderOptions {
  /** ANSI colours. The caller decides (a TTY and no `NO_COLOR`); the renderer never reads the environment. */
  color: boolean;
  /** Show the live-state fingerprint (`live state sha256:…`) under the heading. Default false. */
  fingerprint?: boolean;
  /** Say what merging (not applying) does: for a plan shown on a pull request. Default false. */
  onMerge?: boolean;
  /** More sections from the caller, after the sharing summary (see `MarkdownRenderOptions.sections`). */
  sections?: readonly PlanSection[];
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
type Paint = (color: Color, text: string) => string;

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

const LINE_COLORS: Readonly<Record<string, Color>> = {
  "+": "green",
  "-": "red",
  "~": "yellow",
  "!": "yellow",
};

/** Sharing sentences shown before "… and N more", so the destructive changes stay on the first screen. */
const MAX_SHARING_LINES = 12;

/**
 * Renders `plan` for a terminal: the summary, what applying does, the changes of who gets the
 * images, then the changes, destructive ones first. No-ops are counted, not listed; the live-state
 * fingerprint only with `fingerprint: true`. Every marker (`+ ~ ± - !`) reads without colour.
 */
export function renderPlanText(plan: Plan, options: TextRenderOptions): string {
  const paint: Paint = (color, text) => (options.color ? `${COLORS[color]}${text}${RESET}` : text);
  const lines: string[] = [];
  lines.push(paint("bold", `Waybill plan for stack ${escapeUnsafe(JSON.stringify(plan.stack))}`));
  if (options.fingerprint === true) lines.push(paint("dim", `live state ${plan.fingerprint}`));
  lines.push("");
  lines.push(paint("bold", planSummaryLine(plan)));
  lines.push(effectLine(plan, options.onMerge === true));
  lines.push("");
  lines.push(...sharingSection(plan, paint));
  for (const section of [...imageSections(plan.images), ...(options.sections ?? [])]) {
    lines.push(paint("bold", `${escapeUnsafe(section.title)}:`));
    for (const text of section.lines) lines.push(`  ${escapeUnsafe(text)}`);
    lines.push("");
  }

  const ordered = reviewOrder(plan.changes);
  const destructive = ordered.filter(isDestructive);
  const others = ordered.filter((change) => !isDestructive(change));
  if (destructive.length > 0) {
    lines.push(paint("bold", "Destructive changes:"), "");
    for (const change of destructive) lines.push(...changeLines(change, paint), "");
  }
  if (others.length > 0) {
    lines.push(paint("bold", destructive.length > 0 ? "Other changes:" : "Changes:"), "");
    for (const change of others) lines.push(...changeLines(change, paint), "");
  }
  if (ordered.length > 0) lines.push(paint("bold", planSummaryLine(plan)));
  else lines.pop();
  return `${lines.join("\n")}\n`;
}

function sharingSection(plan: Plan, paint: Paint): string[] {
  const { sharing } = plan;
  const sentences = sharingSentences(sharing).map(escapeUnsafe);
  const flags = sharing.flags.map((flag) => `! ${escapeUnsafe(flag.message)}`);
  const lines = [paint("bold", "Sharing:")];
  for (const flag of flags) lines.push(`  ${paint("yellow", flag)}`);
  if (sentences.length === 0) lines.push("  no change in who receives or may launch the images");
  for (const sentence of sentences.slice(0, MAX_SHARING_LINES))
    lines.push(`  ${paint(LINE_COLORS[sentence[0] ?? ""] ?? "dim", sentence)}`);
  if (sentences.length > MAX_SHARING_LINES)
    lines.push(`  … and ${sentences.length - MAX_SHARING_LINES} more (the JSON plan lists every one)`);
  lines.push(`  ${copiesSentence(sharing)}`, "");
  return lines;
}

function changeLines(change: Change, paint: Paint): string[] {
  const color = ACTION_COLORS[change.action];
  const symbol = ACTION_SYMBOLS[change.action];
  const heading = `${symbol} ${actionLabel(change)} ${escapeUnsafe(change.name)} (${escapeUnsafe(change.region)})`;
  const lines = [`  ${paint(color, heading)}`];
  const details: string[] = [];
  // A change's warnings first, on their own lines: they say what breaks.
  for (const warning of change.warnings) details.push(paint("yellow", `! ${escapeUnsafe(warning.message)}`));
  if (change.arn !== undefined) details.push(paint("dim", escapeUnsafe(change.arn)));
  if (change.action === "replace") {
    details.push(`replaces ${escapeUnsafe(change.replaces.name)} (${escapeUnsafe(change.replaces.arn)})`);
  }
  if (change.action === "delete" && change.replacedBy !== undefined) {
    const by = change.replacedBy;
    details.push(`finishes the replace by ${escapeUnsafe(by.name)} (${escapeUnsafe(by.arn)})`);
  }
  if (change.source !== undefined) details.push(paint("dim", `from ${escapeUnsafe(change.source)}`));
  if (change.action === "create" || change.action === "delete") {
    details.push(...summaryLines(change, paint));
  } else {
    for (const diff of change.diffs) {
      for (const line of diffLines(diff, "text")) {
        const lineColor = LINE_COLORS[line[0] ?? ""];
        details.push(lineColor === undefined ? line : paint(lineColor, line));
      }
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

/** What each region's AMIs get, besides who receives and launches them (accessLines). */
const AMI_FACTS: ReadonlyArray<[label: string, pick: (distribution: Distribution) => string | undefined]> = [
  ["AMI description", (d) => d.amiDistributionConfiguration?.description],
  ["KMS key", (d) => d.amiDistributionConfiguration?.kmsKeyId],
  [
    "AMI tags",
    (d) => {
      const tags = d.amiDistributionConfiguration?.amiTags ?? {};
      const keys = Object.keys(tags).sort();
      return keys.length === 0 ? undefined : keys.map((key) => `${key}=${tags[key]}`).join(", ");
    },
  ],
];

/**
 * One value per region, compactly: the value alone when every region has it, else each value with
 * the regions that have it (`a (only us-west-2); b (only eu-west-1)`); undefined when none has one.
 */
function perRegion(
  distributions: readonly Distribution[],
  pick: (distribution: Distribution) => string | undefined,
): string | undefined {
  const where = new Map<string, string[]>();
  for (const distribution of distributions) {
    const value = pick(distribution);
    if (value === undefined) continue;
    where.set(value, [...(where.get(value) ?? []), distribution.region]);
  }
  if (where.size === 0) return undefined;
  const [only] = [...where];
  if (where.size === 1 && only !== undefined && only[1].length === distributions.length) return only[0];
  return [...where]
    .map(([value, regions]) => [value, regions.sort()] as const)
    .sort(([, a], [, b]) => (a[0] ?? "").localeCompare(b[0] ?? ""))
    .map(([value, regions]) => `${value} (only ${regions.join(", ")})`)
    .join("; ");
}

/** A create or delete as a compact summary: what it creates or destroys, not the whole document. */
function summaryLines(change: Change, paint: Paint): string[] {
  const shared = sharedConfigurationOf(change);
  const document =
    change.action === "create" ? change.document : change.action === "delete" ? change.destroys : undefined;
  if (shared === undefined || document === undefined) return [];
  const sign = change.action === "create" ? "+" : "-";
  const color: Color = sign === "+" ? "green" : "red";
  const lines = [
    change.action === "create" ? "creates:" : isExecuted(change) ? "destroys:" : "would destroy:",
  ];
  if (document.description !== undefined)
    lines.push(paint(color, `${sign} description = ${formatValue(document.description)}`));
  for (const [label, value] of accessLines(shared))
    lines.push(paint(color, `${sign} ${label}: ${escapeUnsafe(value)}`));
  for (const [label, pick] of AMI_FACTS) {
    const value = perRegion(document.distributions, pick);
    if (value !== undefined) lines.push(paint(color, `${sign} ${label}: ${escapeUnsafe(value)}`));
  }
  // The applied record is Waybill's bookkeeping, not something the user wrote or loses.
  const tags = Object.keys(document.tags)
    .filter((key) => key !== APPLIED_TAG)
    .sort()
    .map((key) => `${escapeUnsafe(key)}=${escapeUnsafe(document.tags[key] ?? "")}`);
  if (tags.length > 0) lines.push(paint(color, `${sign} tags: ${tags.join(", ")}`));
  return lines;
}
