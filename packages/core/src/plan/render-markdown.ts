/**
 * The plan as a pull-request comment: a hidden marker, the headline and what merging does, the
 * sharing summary, the changes (destructive first, each warning on its own row), one `<details>`
 * per changed configuration; at most `maxLength` characters, and user content escaped so it cannot
 * break the layout, mention people or inject HTML.
 */

import { imageSections } from "../images/consequences.js";
import { canonicalJson } from "./canonical-json.js";
import {
  ACTION_SYMBOLS,
  actionLabel,
  diffLines,
  diffTopic,
  effectLine,
  escapeUnsafe,
  formatValueLines,
  isExecuted,
  planSummaryLine,
  reviewOrder,
  showsAmiNames,
} from "./describe.js";
import {
  accessLines,
  copiesSentence,
  mustSeeSharingSentences,
  otherSharingSentences,
  sharedConfigurationOf,
  sharingSentences,
  shortTarget,
} from "./describe-sharing.js";
import type { Change, ConfigurationDocument, FieldDiff, Plan } from "./plan-model.js";
import { sha256Hex } from "./sha256.js";
import type { Grant } from "./sharing.js";

/** GitHub rejects comment bodies longer than this (422 "Body is too long"). */
export const GITHUB_COMMENT_MAX_LENGTH = 65_536;

export interface MarkdownRenderOptions {
  /** Longest output, in UTF-16 code units (never more characters than that). Default 65,536. */
  maxLength?: number;
  /** The comment key, so matrix shards keep separate comments. Default `default`. */
  marker?: string;
  /** The heading. Default `Waybill plan for stack "<stack>"`, as the CLI says it. */
  title?: string;
  /** Say what merging does (`Merging applies 3 changes; …`): for a pull request's plan. Default false. */
  onMerge?: boolean;
  /**
   * More sections from the caller (an approval the policy needs, a preflight's findings), shown
   * after the sharing summary and before the changes; their text is escaped like user content.
   */
  sections?: readonly PlanSection[];
  /**
   * A drift check's plan: changes of access said from the repository's side (`live also lets
   * 555555555555 launch web-base in us-east-1: not in the repository`). Default false.
   */
  drift?: boolean;
}

/**
 * A section a caller adds to a rendered plan: a bold title and one list item per line. With
 * `alert`, it is a GitHub alert (`> [!IMPORTANT]`) shown right under the headline, with the plan's
 * own alerts, for what a reviewer must not miss (an approval needed, preflight errors).
 */
export interface PlanSection {
  title: string;
  lines: readonly string[];
  alert?: "CAUTION" | "IMPORTANT" | "WARNING";
}

const MARKER_PATTERN = /<!-- waybill:plan key=(\S+) sha=([0-9a-f]{64})(?: live=\S+)? -->/;

/** Hex SHA-256 of the plan's compact canonical JSON: the hash the comment marker carries. */
export function planHash(plan: Plan): string {
  return sha256Hex(canonicalJson(plan));
}

/**
 * The hidden marker that starts a plan comment: `<!-- waybill:plan key=<key> sha=<hash> -->`, and
 * with `live`, the live-state fingerprint before the end (` live=sha256:…`): the only place a
 * comment keeps it. The key is URI-encoded, so it cannot end the comment early. Without `sha`, the
 * part that identifies a comment for `key` whatever plan it shows (use with `startsWith`/`includes`).
 */
export function planCommentMarker(key: string, sha?: string, live?: string): string {
  const prefix = `<!-- waybill:plan key=${encodeURIComponent(key)} sha=`;
  if (sha === undefined) return prefix;
  return `${prefix}${sha}${live === undefined ? "" : ` live=${encodeURIComponent(live).replace(/%3A/g, ":")}`} -->`;
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
  return codeSpan(text, true);
}

/** A code span; in a table cell `|` must be escaped, elsewhere the backslash would show. */
function codeSpan(text: string, inTable: boolean): string {
  const oneLine = escapeUnsafe(text.replace(/\r?\n|\r/g, " "));
  const content = (inTable ? oneLine.replace(/\|/g, "\\|") : oneLine).replace(MENTION, NEUTRAL_AT);
  const ticks = "`".repeat(longestRun(content, "`") + 1);
  const pad = content.startsWith("`") || content.endsWith("`") ? " " : "";
  return `${ticks}${pad}${content}${pad}${ticks}`;
}

/**
 * A name, region or code for a narrow table cell: its hyphens as non-breaking hyphens (U+2011,
 * drawn the same), so a column never wraps `ap-southeast-2` into `ap-/southeast-/2`. GitHub strips
 * `style`, so `white-space: nowrap` is no option. The change's details keep the plain text to copy.
 */
export function unbrokenCode(text: string): string {
  return inlineCode(text.replace(/-/g, "\u2011"));
}

/** A region in a table cell, unbroken like {@link unbrokenCode} but as text. */
function unbrokenText(text: string): string {
  return escapeMarkdownText(text).replace(/-/g, "\u2011");
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

const MAX_TOPICS_IN_TABLE = 3;
/** Sharing sentences shown under the headline; the rest are in the folded table's section. */
const MAX_SHARING_SENTENCES = 8;

/** A short account of what a change does, for a narrow table cell: no long paths or ARNs. */
function whatChanges(change: Change): string {
  if (change.action === "delete") {
    const regions = regionsOf(change.destroys);
    if (change.replacedBy !== undefined)
      return `finishes the replace by ${inlineCode(change.replacedBy.name)}; destroys ${regions}`;
    return `${change.executed ? "destroys" : "would destroy"} ${regions}`;
  }
  if (change.action === "create") return `creates ${regionsOf(change.document)}`;
  if (change.action === "conflict" && change.diffs.length === 0) return "left alone";
  // Who gains or loses access comes first: the members a set gained or lost, named.
  const diffs = change.diffs.filter((d) => d.path !== "name");
  const named = diffs.filter((d) => membersOf(d, "added").length + membersOf(d, "removed").length > 0);
  const topics = [...new Set([...named, ...diffs.filter((d) => !named.includes(d))].map(topicWithMembers))];
  const shown = topics.slice(0, MAX_TOPICS_IN_TABLE).map(escapeMarkdownText);
  if (topics.length > MAX_TOPICS_IN_TABLE) shown.push(`and ${topics.length - MAX_TOPICS_IN_TABLE} more`);
  const replaces = change.action === "replace" ? [`replaces ${inlineCode(change.replaces.name)}`] : [];
  return [...replaces, ...shown].join(", ");
}

const MAX_MEMBERS_IN_TABLE = 3;

/** What a list gained (or lost): a set's members, or a whole list of names that appeared (or went). */
function membersOf(diff: FieldDiff, side: "added" | "removed"): string[] {
  if (diff.kind === "set") return [...(diff[side] ?? [])];
  const value =
    side === "added" && diff.kind === "added"
      ? diff.after
      : side === "removed" && diff.kind === "removed"
        ? diff.before
        : undefined;
  return Array.isArray(value) && value.every((member) => typeof member === "string")
    ? (value as string[])
    : [];
}

/**
 * A diff's topic with the members a set gained or lost, so the row names who
 * (`targetAccountIds +444444444444 (us-east-1)`); organizations and OUs by their id.
 */
function topicWithMembers(diff: FieldDiff): string {
  const topic = diffTopic(diff);
  const members = [
    ...membersOf(diff, "added").map((member) => `+${shortTarget(member)}`),
    ...membersOf(diff, "removed").map((member) => `-${shortTarget(member)}`),
  ];
  if (members.length === 0) return topic;
  const named = members.slice(0, MAX_MEMBERS_IN_TABLE).join(" ");
  const more =
    members.length > MAX_MEMBERS_IN_TABLE ? ` and ${members.length - MAX_MEMBERS_IN_TABLE} more` : "";
  const region = / \(([^)]+)\)$/.exec(topic);
  return region === null
    ? `${topic} ${named}${more}`
    : `${topic.slice(0, region.index)} ${named}${more} (${region[1]})`;
}

function regionsOf(document: ConfigurationDocument): string {
  const regions = [...new Set(document.distributions.map((d) => d.region))].sort();
  return escapeMarkdownText(regions.join(", "));
}

/** The marker column: the action's symbol (which reads without colour), and ⚠️ when it destroys. */
function marker(change: Change): string {
  const symbol = inlineCode(ACTION_SYMBOLS[change.action]);
  if (change.action === "delete") return change.executed ? `⚠️ ${symbol}` : `⏸ ${symbol}`;
  if (change.action === "replace") return `⚠️ ${symbol}`;
  return symbol;
}

const CONFIGURATION_ARN =
  /arn:aws[a-z-]*:imagebuilder:[a-z0-9-]+:\d{12}:distribution-configuration\/([a-z0-9_-]+)/g;

/**
 * A warning for a table cell: a configuration's ARN (long, no spaces: a narrow column would break
 * it mid-word) as `the ARN of <name>`; the change's details below have the ARNs in full.
 */
function warningCell(message: string): string {
  let cell = "";
  let cursor = 0;
  for (const match of message.matchAll(CONFIGURATION_ARN)) {
    cell += `${escapeMarkdownText(message.slice(cursor, match.index))}the ARN of ${inlineCode(match[1] ?? "")}`;
    cursor = (match.index ?? 0) + match[0].length;
  }
  return cell + escapeMarkdownText(message.slice(cursor));
}

/** A `<details>` block: lines inside know which closers they need if the comment is cut there. */
function details(summary: string, inner: readonly Line[]): Line[] {
  const close = ["", "</details>"];
  return [
    { text: "<details>", closers: ["</details>"] },
    { text: `<summary>${summary}</summary>`, closers: close },
    { text: "", closers: close },
    ...inner.map((line) => ({ text: line.text, closers: [...line.closers, ...close] })),
    { text: "", closers: ["</details>"] },
    { text: "</details>", closers: [] },
    { text: "", closers: [] },
  ];
}

function fenced(info: string, lines: readonly string[]): Line[] {
  const block = fencedBlock(info, lines.map(escapeUnsafe));
  return [
    { text: block.open, closers: [block.close] },
    ...block.body.map((text) => ({ text, closers: [block.close] })),
    { text: block.close, closers: [] },
  ];
}

const plain = (text: string): Line => ({ text, closers: [] });

/** A whole configuration document as `diff` lines, every one marked `sign`. */
function documentLines(sign: "+" | "-", document: ConfigurationDocument): string[] {
  const { name: _name, ...content } = document;
  return formatValueLines(content as never).map((line) => `${sign} ${line}`);
}

function changeDetails(change: Change): Line[] {
  const summary = `<code>${escapeHtml(ACTION_SYMBOLS[change.action])}</code> ${escapeHtml(actionLabel(change))} <code>${escapeHtml(change.name)}</code> in ${escapeHtml(change.region)}`;
  const facts: string[] = [];
  const code = (value: string) => codeSpan(value, false);
  if (change.arn !== undefined) facts.push(`- ARN ${code(change.arn)}`);
  if (change.action === "replace") facts.push(`- replaces ${code(change.replaces.arn)}`);
  if (change.action === "delete" && change.replacedBy !== undefined)
    facts.push(`- finishes the replace by ${code(change.replacedBy.arn)}`);
  if (change.source !== undefined) facts.push(`- from ${code(change.source)}`);
  const inner: Line[] = facts.map(plain);
  const shared = sharedConfigurationOf(change);
  if (change.action === "create" || change.action === "delete") {
    // A compact summary; the whole document (what is created, what is destroyed) folded below it.
    const document = change.action === "create" ? change.document : change.destroys;
    const verb = change.action === "create" ? "Creates" : isExecuted(change) ? "Destroys" : "Would destroy";
    inner.push(plain(""), plain(`**${verb}:**`), plain(""));
    for (const [label, value] of shared === undefined ? [] : accessLines(shared))
      inner.push(plain(`- ${escapeMarkdownText(label)}: ${escapeMarkdownText(value)}`));
    inner.push(plain(""));
    inner.push(
      ...details(
        change.action === "create" ? "The whole configuration" : "The whole configuration, as it is live",
        fenced("diff", documentLines(change.action === "create" ? "+" : "-", document)),
      ),
    );
  } else {
    const content: string[] = [];
    for (const diff of change.diffs) content.push(...diffLines(diff, "unified"));
    if (content.length > 0) inner.push(plain(""), ...fenced("diff", content), plain(""));
  }
  if (showsAmiNames(change) && change.amiNames.length > 0) {
    if (inner.at(-1)?.text !== "") inner.push(plain(""));
    inner.push(plain("AMI names:"), plain(""));
    for (const ami of change.amiNames)
      inner.push(plain(`- ${escapeMarkdownText(ami.region)}: ${codeSpan(ami.preview, false)}`));
  }
  while (inner.at(-1)?.text === "") inner.pop();
  return details(summary, inner);
}

/** One configuration and region's access, as a row of the folded table; `changed` marks a row the plan changes. */
function accessRow(
  configuration: string,
  region: string,
  grants: readonly Grant[],
  changed: boolean,
): string {
  const of = (...kinds: Grant["kind"][]) =>
    escapeMarkdownText(
      grants
        .filter((g) => kinds.includes(g.kind))
        .map((g) =>
          g.kind === "ssm-parameter"
            ? `SSM ${g.target} in ${shortTarget(g.account ?? "")}`
            : g.kind === "launch-template"
              ? `launch template ${g.target} in ${shortTarget(g.account ?? "")}`
              : g.kind === "fast-launch"
                ? `fast launch in ${g.target}`
                : g.kind === "launch-group" && g.target === "all"
                  ? "everyone (public)"
                  : shortTarget(g.target),
        )
        .join(", "),
    );
  return `| ${changed ? "✎" : ""} | ${unbrokenCode(configuration)} | ${unbrokenText(region)} | ${of("copy")} | ${of("launch-account", "launch-organization", "launch-ou", "launch-group")} | ${of("ssm-parameter", "launch-template", "fast-launch", "s3-export", "container")} |`;
}

/** The short sharing summary under the headline: flags, then the changes of access, most telling first. */
function* sharingLines(plan: Plan, drift: boolean): Generator<Line> {
  const { sharing } = plan;
  const created = createdConfigurations(plan);
  // New accounts, organizations and OUs on configurations that already exist: the point of the
  // change, first and never folded; then the rest, most telling first, up to the cap. A drift
  // check says every difference from the repository's side instead.
  const mustSee = drift ? [] : mustSeeSharingSentences(sharing, created);
  const others = drift ? sharingSentences(sharing, { drift }) : otherSharingSentences(sharing, created);
  const room = Math.max(0, MAX_SHARING_SENTENCES - mustSee.length);
  yield plain(`**Sharing** · ${escapeMarkdownText(copiesSentence(sharing))}`);
  yield plain("");
  for (const flag of sharing.flags)
    yield plain(
      `- ⚠️ **${flag.code === "public" ? "public" : "outside the allow-list"}:** ${escapeMarkdownText(flag.message)}`,
    );
  if (mustSee.length + others.length === 0)
    yield plain("- no change in who receives or may launch the images");
  for (const text of mustSee) yield sentenceLine(text, true);
  for (const text of others.slice(0, room)) yield sentenceLine(text);
  if (others.length > room)
    yield plain(`- … and ${others.length - room} more, in the details under the changes`);
  yield plain("");
}

/** The configurations the plan creates, as `<name>\n<home region>`: their grants are new by nature. */
function createdConfigurations(plan: Plan): Set<string> {
  return new Set(
    plan.changes
      .filter((change) => change.action === "create")
      .map((change) => `${change.name}\n${change.region}`),
  );
}

/**
 * The plan's own alerts, right under the headline: what destroys (deletes that run, replaces),
 * as GitHub's `[!CAUTION]`; then the caller's alert sections.
 */
function* alertLines(plan: Plan, sections: readonly PlanSection[]): Generator<Line> {
  const destructive = reviewOrder(plan.changes).filter(
    (change) => (change.action === "delete" && change.executed) || change.action === "replace",
  );
  if (destructive.length > 0) {
    const named = destructive
      .slice(0, MAX_DESTRUCTIVE_NAMED)
      .map(
        (change) =>
          `${escapeMarkdownText(change.action)} ${unbrokenCode(change.name)} (${unbrokenText(change.region)})`,
      );
    if (destructive.length > MAX_DESTRUCTIVE_NAMED)
      named.push(`and ${destructive.length - MAX_DESTRUCTIVE_NAMED} more, each in the table below`);
    yield plain("> [!CAUTION]");
    yield plain(
      `> **${destructive.length === 1 ? "1 change destroys" : `${destructive.length} changes destroy`} a configuration:** ${named.join(", ")}. Pipelines that use a destroyed configuration's ARN break.`,
    );
    yield plain("");
  }
  for (const section of sections) {
    if (section.alert === undefined) continue;
    yield plain(`> [!${section.alert}]`);
    yield plain(`> **${escapeMarkdownText(section.title)}**`);
    for (const text of section.lines) yield plain(`> - ${escapeMarkdownText(text)}`);
    yield plain("");
  }
}

const MAX_DESTRUCTIVE_NAMED = 10;

/** A change of access as a list item; `mustSee` (new access to an existing configuration) in bold. */
const sentenceLine = (text: string, mustSee = false): Line => {
  const words = escapeMarkdownText(text.slice(2));
  return plain(`- ${inlineCode(text.slice(0, 1))} ${mustSee ? `**${words}**` : words}`);
};

/** Every change of access and the per-region table, folded: after the changes, so a cut comment keeps them. */
function* sharingDetails(plan: Plan, drift: boolean): Generator<Line> {
  const { sharing } = plan;
  const sentences = sharingSentences(sharing, { drift });
  if (sharing.grants.length === 0 && sentences.length <= MAX_SHARING_SENTENCES) return;
  const sentence = sentenceLine;
  const inner: Line[] = [];
  if (sentences.length > MAX_SHARING_SENTENCES) {
    inner.push(plain("Every change of access:"), plain(""));
    for (const text of sentences) inner.push(sentence(text));
    inner.push(plain(""));
  }
  if (sharing.grants.length > 0) {
    // Rows the plan changes are marked ✎, so a long table still shows where to look.
    const rowKey = (ref: { configuration: string; homeRegion: string; region: string }) =>
      `${ref.configuration}\n${ref.homeRegion}\n${ref.region}`;
    const changedRows = new Set(
      [...sharing.added, ...sharing.removed, ...sharing.regionsAdded, ...sharing.regionsRemoved].map(rowKey),
    );
    const changedCount = new Set(sharing.grants.map(rowKey).filter((key) => changedRows.has(key))).size;
    inner.push(
      plain(
        `${changedCount === 0 ? "No row changes" : `✎ marks the ${changedCount === 1 ? "row" : `${changedCount} rows`} this plan changes`}.`,
      ),
      plain(""),
    );
    inner.push(plain("| | Configuration | Region | Copies in | May launch | Writes and exports |"));
    inner.push(plain("| --- | --- | --- | --- | --- | --- |"));
    let group: Grant[] = [];
    const flush = function* () {
      const first = group[0];
      if (first !== undefined)
        yield plain(accessRow(first.configuration, first.region, group, changedRows.has(rowKey(first))));
      group = [];
    };
    for (const grant of sharing.grants) {
      const first = group[0];
      if (
        first !== undefined &&
        (first.configuration !== grant.configuration ||
          first.homeRegion !== grant.homeRegion ||
          first.region !== grant.region)
      )
        inner.push(...flush());
      group.push(grant);
    }
    inner.push(...flush());
  }
  yield* details("Who gets the images, per configuration and region (after apply)", inner);
}

/**
 * Renders `plan` as a GitHub comment. When longer than `maxLength`, the body is cut on a line
 * boundary, open fences and `<details>` are closed, and a note says so; the marker's hash still
 * covers the whole plan. Lines are produced lazily, so a huge plan costs only what is shown.
 */
export function renderPlanMarkdown(plan: Plan, options: MarkdownRenderOptions = {}): string {
  const maxLength = options.maxLength ?? GITHUB_COMMENT_MAX_LENGTH;
  const title = options.title ?? `Waybill plan for stack ${JSON.stringify(plan.stack)}`;
  const head = [
    planCommentMarker(options.marker ?? "default", planHash(plan), plan.fingerprint),
    `### ${escapeMarkdownText(title)}`,
    "",
    `**${escapeMarkdownText(planSummaryLine(plan))}**`,
    "",
    escapeMarkdownText(effectLine(plan, options.onMerge === true)),
    "",
  ];
  const out = [...head];
  let length = head.join("\n").length + 1;
  // The longest prefix that still leaves room for its closers and the note.
  let fits = { count: head.length, closers: [] as readonly string[] };
  let complete = true;
  for (const line of bodyLines(
    plan,
    [...imageSections(plan.images), ...(options.sections ?? [])],
    options.drift === true,
  )) {
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

function* bodyLines(plan: Plan, sections: readonly PlanSection[], drift: boolean): Generator<Line> {
  yield* alertLines(plan, sections);
  yield* sharingLines(plan, drift);
  for (const section of sections) {
    if (section.alert !== undefined) continue;
    yield plain(`**${escapeMarkdownText(section.title)}**`);
    yield plain("");
    for (const text of section.lines) yield plain(`- ${escapeMarkdownText(text)}`);
    yield plain("");
  }
  const shown = reviewOrder(plan.changes);
  if (shown.length === 0) {
    yield* sharingDetails(plan, drift);
    return;
  }
  yield plain("**Changes**, destructive first");
  yield plain("");
  yield plain("| | Configuration | Home region | Action | What changes |");
  yield plain("| --- | --- | --- | --- | --- |");
  for (const change of shown) {
    yield plain(
      `| ${marker(change)} | ${unbrokenCode(change.name)} | ${unbrokenText(change.region)} | ${escapeMarkdownText(actionLabel(change))} | ${whatChanges(change)} |`,
    );
    // Each warning on its own row, under its change: what breaks is read with what causes it.
    for (const warning of change.warnings)
      yield plain(`| ⚠️ | | | warning | ${warningCell(warning.message)} |`);
  }
  yield plain("");
  yield* sharingDetails(plan, drift);
  for (const change of shown) yield* changeDetails(change);
}
