/**
 * The plan as a pull-request comment: summary, warnings, a table, one `<details>` per changed
 * configuration, a hidden marker with the plan's hash; at most `maxLength` characters, and user
 * content escaped so it cannot break the layout, mention people or inject HTML.
 */

import { canonicalJson } from "./canonical-json.js";
import {
  actionLabel,
  diffLines,
  escapeUnsafe,
  isExecuted,
  planSummaryLine,
  showsAmiNames,
} from "./describe.js";
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

/** Hex SHA-256 of the plan's compact canonical JSON: the hash the comment marker carries. */
export function planHash(plan: Plan): string {
  return sha256Hex(canonicalJson(plan));
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
    .replace(/[\\`*_[\]|~#!:]/g, (char) => `\\${char}`)
    .replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`)
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
  if (change.action === "delete") {
    if (change.replacedBy !== undefined)
      return `finishes the replace by ${inlineCode(change.replacedBy.name)}`;
    return change.executed ? "configuration deleted" : "would be deleted with prune";
  }
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
  if (change.action === "delete" && change.replacedBy !== undefined)
    content.push(`# finishes the replace by ${change.replacedBy.arn}`);
  if (change.source !== undefined) content.push(`# from ${change.source}`);
  for (const diff of change.diffs) content.push(...diffLines(diff, "unified"));
  if (showsAmiNames(change) && change.amiNames.length > 0) {
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
 * boundary, open fences and `<details>` are closed, and a note says so; the marker's hash still
 * covers the whole plan. Lines are produced lazily, so a huge plan costs only what is shown.
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
  const out = [...head];
  let length = head.join("\n").length + 1;
  // The longest prefix that still leaves room for its closers and the note.
  let fits = { count: head.length, closers: [] as readonly string[] };
  let complete = true;
  for (const line of bodyLines(plan)) {
    length += line.text.length + 1;
    if (length > maxLength) {
      complete = false;
      break;
    }
    out.push(line.text);
    const closing = line.closers.reduce((sum, closer) => sum + closer.length + 1, 0);
    if (length + closing + truncationNote(out.length).length + 2 <= maxLength) {
      fits = { count: out.length, closers: line.closers };
    }
  }
  if (complete) return `${out.join("\n")}\n`;
  const kept = [...out.slice(0, fits.count), ...fits.closers, "", truncationNote(fits.count)];
  return `${kept.join("\n")}\n`;
}

function truncationNote(lines: number): string {
  return `> **Note:** this plan is too long for one comment and is cut after ${lines} lines; the JSON plan has all of it.`;
}

function* bodyLines(plan: Plan): Generator<Line> {
  const line = (text: string): Line => ({ text, closers: [] });
  if (plan.warnings.length > 0) {
    yield line("**Warnings**");
    yield line("");
    for (const warning of plan.warnings) yield line(`- ⚠️ ${escapeMarkdownText(warning.message)}`);
    yield line("");
  }
  const shown = plan.changes.filter((change) => change.action !== "no-op");
  if (shown.length > 0) {
    yield line("| Configuration | Home region | Action | What changes |");
    yield line("| --- | --- | --- | --- |");
    for (const change of shown) {
      const action = `${isExecuted(change) ? "" : "⏸ "}${escapeMarkdownText(actionLabel(change))}`;
      yield line(
        `| ${inlineCode(change.name)} | ${inlineCode(change.region)} | ${action} | ${whatChanges(change)} |`,
      );
    }
    yield line("");
    for (const change of shown) yield* detailsLines(change);
  }
  yield line(`<sub>Live state ${inlineCode(plan.fingerprint)}</sub>`);
}
