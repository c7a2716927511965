/** Words and lines shared by the plan renderers: summaries, action symbols, field diffs as lines. */
import { canonicalJson, type JsonValue } from "./canonical-json.js";
import { CHANGE_ACTIONS, type Change, type ChangeAction, type FieldDiff, type Plan } from "./plan-model.js";

/** Characters that could reorder, hide or inject in a terminal or a comment: C0/C1 controls, bidi and zero-width marks. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** `text` with unsafe characters written as `\uXXXX`, so it shows on one line, as it is. */
export function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** One-line value: strings quoted, objects as compact canonical JSON. */
export function formatValue(value: JsonValue | undefined): string {
  return escapeUnsafe(canonicalJson(value ?? null));
}

/** Multi-line value: objects as indented canonical JSON, one entry per line. */
export function formatValueLines(value: JsonValue | undefined): string[] {
  return canonicalJson(value ?? null, 2)
    .split("\n")
    .map(escapeUnsafe);
}

export const ACTION_SYMBOLS: Readonly<Record<ChangeAction, string>> = {
  create: "+",
  update: "~",
  tag: "~",
  replace: "±",
  delete: "-",
  adopt: "~",
  conflict: "!",
  "no-op": " ",
};

/** Whether the change sends a desired document, so its AMI name previews are worth showing. */
export function showsAmiNames(change: Change): boolean {
  switch (change.action) {
    case "create":
    case "update":
    case "replace":
    case "adopt":
      return true;
    case "tag":
    case "delete":
    case "no-op":
    case "conflict":
      return false;
  }
}

/**
 * Whether apply does something for this change: everything but no-ops, conflicts (never executed)
 * and deletes made without prune (only reported). Takes any change-like value with an `action`
 * (and, for deletes, `executed`), so front ends that keep their own copy of a change ask here too.
 */
export function isExecuted(change: { readonly action: ChangeAction; readonly executed?: boolean }): boolean {
  switch (change.action) {
    case "create":
    case "update":
    case "tag":
    case "replace":
    case "adopt":
      return true;
    case "delete":
      return change.executed === true;
    case "no-op":
    case "conflict":
      return false;
  }
}

/**
 * Whether applying `plan` would change anything: a create, replace, adopt, update, retag or
 * executed delete (see {@link isExecuted}). Drift is a fresh plan that has changes. The one
 * definition the CLI's exit codes, the Action's `has-changes` output and the summaries share.
 */
export function hasChanges(plan: {
  readonly changes: readonly { readonly action: ChangeAction; readonly executed?: boolean }[];
}): boolean {
  return plan.changes.some(isExecuted);
}

/** The action as the renderers word it (`delete (not executed)`, `conflict: unmanaged`). */
export function actionLabel(change: Change): string {
  if (change.action === "delete" && !change.executed) return "delete (not executed: prune is off)";
  if (change.action === "delete" && change.replacedBy !== undefined) return "delete (finishes a replace)";
  if (change.action === "conflict")
    return `conflict: ${change.reason}${change.owner ? ` (${change.owner})` : ""}`;
  return change.action;
}

const ACTION_PHRASES: Readonly<Record<ChangeAction, string>> = {
  create: "to create",
  replace: "to replace",
  adopt: "to adopt",
  update: "to update",
  tag: "to retag",
  delete: "to delete",
  conflict: "conflicting",
  "no-op": "unchanged",
};

/** `1 configuration`, `2 configurations`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Whether a change destroys something: a delete (run or reported) or a replace (its old half). */
export function isDestructive(change: Change): boolean {
  return change.action === "delete" || change.action === "replace";
}

function reviewRank(change: Change): number {
  if (change.action === "delete") return change.executed ? 0 : 2;
  if (change.action === "replace") return 1;
  return 3;
}

/**
 * The changes as a reviewer reads them: deletes that run, then replaces, then deletes only
 * reported, then the rest in plan order (home region, name). No-ops are left out.
 */
export function reviewOrder(changes: readonly Change[]): Change[] {
  return changes
    .filter((change) => change.action !== "no-op")
    .map((change, index) => ({ change, index }))
    .sort((a, b) => reviewRank(a.change) - reviewRank(b.change) || a.index - b.index)
    .map(({ change }) => change);
}

/**
 * What applying (or, with `onMerge`, merging) will do, in one sentence:
 * `Merging applies 6 changes; prune is on: 1 delete will run.` or `…; 1 delete is reported only (prune off).`;
 * with no delete, the prune setting the apply will use (`Merging applies 2 changes; prune is off.`).
 */
export function effectLine(plan: Plan, onMerge: boolean): string {
  const executed = plan.changes.filter(isExecuted).length;
  const pruned = plan.changes.filter(
    (c) => c.action === "delete" && c.executed && c.replacedBy === undefined,
  ).length;
  const reported = plan.changes.filter((c) => c.action === "delete" && !c.executed).length;
  const conflicts = plan.summary.conflict ?? 0;
  const parts = [
    `${onMerge ? "Merging applies" : "Applying runs"} ${executed === 0 ? "no changes" : plural(executed, "change")}`,
  ];
  if (pruned > 0) parts.push(`prune is on: ${plural(pruned, "delete")} will run`);
  if (reported > 0)
    parts.push(`${plural(reported, "delete")} ${reported === 1 ? "is" : "are"} reported only (prune off)`);
  // The prune setting the apply will use, said even when nothing is deleted this time.
  if (pruned === 0 && reported === 0) parts.push(`prune is ${plan.settings.prune ? "on" : "off"}`);
  if (conflicts > 0)
    parts.push(`${plural(conflicts, "conflict")} ${conflicts === 1 ? "is" : "are"} left alone`);
  return `${parts.join("; ")}.`;
}

/** `Plan: 1 to create, 2 to update, 3 unchanged.` — also says when deletes are only reported. */
export function planSummaryLine(plan: Plan): string {
  const unexecutedDeletes = plan.changes.filter((c) => c.action === "delete" && !c.executed).length;
  const parts: string[] = [];
  for (const action of CHANGE_ACTIONS) {
    const count = plan.summary[action] ?? 0;
    if (count === 0 && action !== "no-op") continue;
    if (action === "delete" && unexecutedDeletes > 0) {
      const executed = count - unexecutedDeletes;
      if (executed > 0) parts.push(`${executed} to delete`);
      parts.push(`${unexecutedDeletes} would be deleted with prune`);
      continue;
    }
    parts.push(`${count} ${ACTION_PHRASES[action]}`);
  }
  return `${hasChanges(plan) ? "Plan" : "No changes"}: ${parts.join(", ")}.`;
}

/** A diff as lines, each starting with `+`, `-`, `~` or a space (for context). */
export function diffLines(diff: FieldDiff, style: "text" | "unified"): string[] {
  const path = escapeUnsafe(diff.path);
  const region = regionOfPath(diff.path);
  // A whole distribution added or removed is a region gained or lost: say so.
  if (region !== undefined && (diff.kind === "added" || diff.kind === "removed")) {
    const label = `region ${escapeUnsafe(region)}`;
    return diff.kind === "added" ? multiline("+", label, diff.after) : multiline("-", label, diff.before);
  }
  switch (diff.kind) {
    case "added":
      return multiline("+", path, diff.after);
    case "removed":
      return multiline("-", path, diff.before);
    case "changed":
      if (style === "text") return [`~ ${path}: ${formatValue(diff.before)} → ${formatValue(diff.after)}`];
      return [...multiline("-", path, diff.before), ...multiline("+", path, diff.after)];
    case "set": {
      const fromSet = (member: string) =>
        diff.fromSets?.[member] === undefined ? "" : ` (set:${diff.fromSets[member]})`;
      const added = (diff.added ?? []).map(
        (member) => `${escapeUnsafe(member)}${escapeUnsafe(fromSet(member))}`,
      );
      const removed = (diff.removed ?? []).map(escapeUnsafe);
      if (style === "text") {
        return [`~ ${path}: ${[...added.map((m) => `+${m}`), ...removed.map((m) => `-${m}`)].join(" ")}`];
      }
      return [`  ${path}`, ...added.map((m) => `+   ${m}`), ...removed.map((m) => `-   ${m}`)];
    }
  }
}

function multiline(symbol: string, path: string, value: JsonValue | undefined): string[] {
  const [first = "", ...rest] = formatValueLines(value);
  return [`${symbol} ${path} = ${first}`, ...rest.map((line) => `${symbol}   ${line}`)];
}

const LAUNCH_TOPICS: Readonly<Record<string, string>> = {
  userIds: "launch accounts",
  organizationArns: "launch organizations",
  organizationalUnitArns: "launch OUs",
  userGroups: "launch groups",
};

/** The region of a path that is a whole distribution (`distributions[eu-west-1]`), else undefined. */
export function regionOfPath(path: string): string | undefined {
  return /^distributions\[([^\]]+)\]$/.exec(path)?.[1];
}

/**
 * A diff as a short topic for a narrow table cell: `+ ca-central-1`, `- eu-central-1`,
 * `targetAccountIds (us-west-2)`, `description`, `tags`.
 */
export function diffTopic(diff: FieldDiff): string {
  const region = regionOfPath(diff.path);
  if (region !== undefined && diff.kind === "added") return `+ ${region}`;
  if (region !== undefined && diff.kind === "removed") return `- ${region}`;
  if (diff.path.startsWith("tags")) return "tags";
  const inRegion = /^distributions\[([^\]]+)\]\.(.*)$/.exec(diff.path);
  if (inRegion === null) return diff.path;
  const field = (inRegion[2] ?? "").replace(/^amiDistributionConfiguration\./, "").replace(/\[[^\]]*\]/g, "");
  const launch = /^launchPermission(?:\.(\w+))?/.exec(field);
  const topic =
    launch === null
      ? (field.split(".")[0] ?? field)
      : (LAUNCH_TOPICS[launch[1] ?? ""] ?? "launch permission");
  return `${topic} (${inRegion[1]})`;
}
