/**
 * The plan as a pull-request comment: summary, warnings, a table, one `<details>` per changed
 * configuration, a hidden marker with the plan's hash; at most `maxLength` characters, and user
 * content escaped so it cannot break the layout, mention people or inject HTML.
 */
import { actionLabel, diffLines, escapeUnsafe, isExecuted, planSummaryLine } from "./describe.js";
import { renderPlanJson } from "./render-json.js";
import { sha256Hex } from "./sha256.js";
import type { Change, Plan } from "./types.js";

/** GitHub rejects comment bodies longer than this (422 "Body is too long"). */
export const GITHUB_COMMENT_MAX_LENGTH = 65_536;

export interface MarkdownRenderOptions {
  /** Longest output, in UTF-16 code units (never more characters than that). Default 65,536. */
  maxLength?: number;
  /** The comment key, so matrix shards keep separate comments. Default `default`. */
  marker?: string;
  /** The heading. Default `Waybill plan: stack <stack>`. */
  title?: string;
}

const MARKER_PATTERN = /<!-- waybill:plan key=(\S+) sha=([0-9a-f]{64}) -->/;

/** Hex SHA-256 of the plan's JSON rendering: the hash the comment marker carries. */
export function planHash(plan: Plan): string {
  return sha256Hex(renderPlanJson(plan));
}

/**
 * The hidden marker that starts a plan comment: `<!-- waybill:plan key=<key> sha=<hash> -->`.
 * The key is URI-encoded, so it cannot end the comment early. Without `sha`, the part that
 * identifies a comment for `key` whatever plan it shows (use with `startsWith`/`includes`).
 */
export function planCommentMarker(key: string, sha?: string): string {
  const prefix = `<!-- waybill:plan key=${encodeURIComponent(key)} sha=`;
  return sha === undefined ? prefix : `${prefix}${sha} -->`;
}

/** The key and plan hash of the first plan marker in a comment body, if it has one. */
export function parsePlanCommentMarker(body: string): { key: string; sha: string } | undefined {
  const match = MARKER_PATTERN.exec(body);
  if (match === null) return undefined;
  try {
    return { key: decodeURIComponent(match[1] ?? ""), sha: match[2] ?? "" };
  } catch {
    return undefined;
  }
}

const MENTION = /@/g;
/** `@` followed by a zero-width space: GitHub links no mention and notifies nobody. */
const NEUTRAL_AT = "@\u200b";

/** Text for prose and table cells: no HTML, no markdown syntax, no mentions, one line. */
export function escapeMarkdownText(text: string): string {
  return escapeUnsafe(text.replace(/\r?\n|\r/g, " "))
    .replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`)
    .replace(/[\\`*_{}[\]()#+\-.!|~:]/g, (char) => `\\${char}`)
    .replace(MENTION, NEUTRAL_AT);
}

/** Text inside an HTML element on an HTML line (`<summary>`): entities only, markdown is not parsed there. */
function escapeHtml(text: string): string {
  return escapeUnsafe(text.replace(/\r?\n|\r/g, " "))
    .replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
    .replace(MENTION, "&#64;\u200b");
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

/** A code span for a table cell: a backtick run longer than any inside, `|` escaped for GFM tables. */
export function inlineCode(text: string): string {
  const content = escapeUnsafe(text.replace(/\r?\n|\r/g, " "))
    .replace(/\|/g, "\\|")
    .replace(MENTION, NEUTRAL_AT);
  const ticks = "`".repeat(longestRun(content, "`") + 1);
  const pad = content.startsWith("`") || content.endsWith("`") ? " " : "";
  return `${ticks}${pad}${content}${pad}${ticks}`;
}

/** A fenced code block whose fence is longer than any backtick run in `lines`. */
export function fencedBlock(
  info: string,
  lines: readonly string[],
): { open: string; body: string[]; close: string } {
  const body = lines.map((line) => line.replace(MENTION, NEUTRAL_AT));
  const fence = "`".repeat(Math.max(3, ...body.map((line) => longestRun(line, "`") + 1)));
  return { open: `${fence}${info}`, body, close: fence };
}

/** One output line and the lines that close what is open after it (a fence, `</details>`). */
interface Line {
  text: string;
  closers: readonly string[];
}

const MAX_PATHS_IN_TABLE = 3;

function whatChanges(change: Change): string {
  if (change.action === "delete")
    return change.executed ? "configuration deleted" : "would be deleted with prune";
  if (change.action === "replace") return `replaces ${inlineCode(change.replaces.name)}`;
  if (change.action === "conflict" && change.diffs.length === 0) return "left alone";
  const paths = change.diffs.map((diff) => diff.path);
  const shown = paths.slice(0, MAX_PATHS_IN_TABLE).map(inlineCode);
  if (paths.length > MAX_PATHS_IN_TABLE) shown.push(`and ${paths.length - MAX_PATHS_IN_TABLE} more`);
  return shown.length === 0 ? "" : shown.join(", ");
}

function detailsLines(change: Change): Line[] {
  const summary = `<summary>${escapeHtml(actionLabel(change))} <code>${escapeHtml(change.name)}</code> in ${escapeHtml(change.region)}</summary>`;
  const content: string[] = [];
  if (change.arn !== undefined) content.push(`# ${change.arn}`);
  if (change.action === "replace") content.push(`# replaces ${change.replaces.arn}`);
  if (change.source !== undefined) content.push(`# from ${change.source}`);
  for (const diff of change.diffs) content.push(...diffLines(diff, "unified"));
  if (change.action !== "delete" && change.action !== "conflict" && change.amiNames.length > 0) {
    content.push("# AMI names");
    for (const ami of change.amiNames) content.push(`#   ${ami.region}: ${ami.preview}`);
  }
  const block = fencedBlock("diff", content.map(escapeUnsafe));
  const inDetails = ["", "</details>"];
  const inFence = [block.close, ...inDetails];
  return [
    { text: "<details>", closers: ["</details>"] },
    { text: summary, closers: inDetails },
    { text: "", closers: inDetails },
    { text: block.open, closers: inFence },
    ...block.body.map((text) => ({ text, closers: inFence })),
    { text: block.close, closers: inDetails },
    { text: "", closers: ["</details>"] },
    { text: "</details>", closers: [] },
    { text: "", closers: [] },
  ];
}

/**
 * Renders `plan` as a GitHub comment. When longer than `maxLength`, the body is cut on a line
 * boundary, open fences and `<details>` are closed, and a note says how much is shown; the
 * marker's hash still covers the whole plan.
 */
export function renderPlanMarkdown(plan: Plan, options: MarkdownRenderOptions = {}): string {
  const maxLength = options.maxLength ?? GITHUB_COMMENT_MAX_LENGTH;
  const title = options.title ?? `Waybill plan: stack ${plan.stack}`;
  const head = [
    planCommentMarker(options.marker ?? "default", planHash(plan)),
    `### ${escapeMarkdownText(title)}`,
    "",
    `**${escapeMarkdownText(planSummaryLine(plan))}**`,
    "",
  ];

  const body: Line[] = [];
  const line = (text: string): Line => ({ text, closers: [] });
  if (plan.warnings.length > 0) {
    body.push(line("**Warnings**"), line(""));
    for (const warning of plan.warnings) body.push(line(`- ⚠️ ${escapeMarkdownText(warning.message)}`));
    body.push(line(""));
  }
  const shown = plan.changes.filter((change) => change.action !== "no-op");
  if (shown.length > 0) {
    body.push(
      line("| Configuration | Home region | Action | What changes |"),
      line("| --- | --- | --- | --- |"),
    );
    for (const change of shown) {
      const action = `${isExecuted(change) ? "" : "⏸ "}${escapeMarkdownText(actionLabel(change))}`;
      body.push(
        line(
          `| ${inlineCode(change.name)} | ${inlineCode(change.region)} | ${action} | ${whatChanges(change)} |`,
        ),
      );
    }
    body.push(line(""));
    for (const change of shown) body.push(...detailsLines(change));
  }
  body.push(line(`<sub>Live state ${inlineCode(plan.fingerprint)}</sub>`));

  const full = [...head, ...body.map((l) => l.text)].join("\n");
  if (full.length <= maxLength) return `${full}\n`;
  return truncated(head, body, maxLength);
}

function truncated(head: string[], body: Line[], maxLength: number): string {
  const totalLines = head.length + body.length;
  const note = (shownLines: number) =>
    `> **Note:** this plan is too long for one comment; it is cut after ${shownLines} of ${totalLines} lines. The full plan is in the job summary and the JSON output.`;
  const longestNote = note(totalLines).length;
  const out = [...head];
  let length = out.join("\n").length + 1;
  let kept = 0;
  for (const entry of body) {
    const closing = entry.closers.reduce((sum, closer) => sum + closer.length + 1, 0);
    const next = length + entry.text.length + 1;
    // The note needs a blank line before it and a newline after.
    if (next + closing + 1 + longestNote + 1 > maxLength) break;
    out.push(entry.text);
    length = next;
    kept += 1;
  }
  const lastClosers = kept === 0 ? [] : (body[kept - 1]?.closers ?? []);
  out.push(...lastClosers, "", note(head.length + kept));
  return `${out.join("\n")}\n`;
}
