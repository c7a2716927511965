/**
 * What a reviewer saw, carried on the pull request's plan comment, and how the apply's re-plan is
 * compared with it: the apply runs only the plan that was reviewed (see docs/action.md).
 */
import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { ChangeAction } from "@waybill/core";

/** One change as reviewed: its identity, whether it runs (a delete), and a digest of all it does. */
export interface ReviewedChange {
  action: ChangeAction;
  name: string;
  region: string;
  /** For delete: whether it runs (prune) or is only reported. */
  executed?: boolean;
  /** The change's content, hashed: two changes with the same digest do the same thing. */
  digest: string;
}

/**
 * The reviewed plan, as the comment carries it: `hash` covers the whole plan (every change, its
 * warnings, the settings); `changes` lists the plan's changes other than no-op, so a difference can
 * be named. `changes` is absent when the list would not fit in a comment (then only the hash says
 * whether the plans differ).
 */
export interface ReviewRecord {
  hash: string;
  prune: boolean;
  adopt: boolean;
  changes?: readonly ReviewedChange[];
}

/** The line right after the plan marker: `<!-- waybill:review sha=<hex> -->`, as earlier versions wrote it. */
const HASH_LINE = /^<!-- waybill:review sha=([0-9a-f]{64}) -->$/m;
/**
 * The line after it: the record as JSON, deflated (`z.`) or not (as earlier versions wrote it), in
 * base64url (no `--` can end the HTML comment early).
 */
const RECORD_LINE = /^<!-- waybill:reviewed (z\.)?([A-Za-z0-9_-]+) -->$/m;
/** A record longer than this keeps only its hash and settings: the comment's room is the plan's. */
export const REVIEW_RECORD_LIMIT = 16_000;
/** What a deflated record may inflate to at most (a record of tens of thousands of changes). */
const INFLATED_LIMIT = 8 * 1024 * 1024;

/** The hidden lines that carry `record` on the plan comment. */
export function reviewMarkerLines(record: ReviewRecord): string {
  // Deflated: names, actions and keys repeat, so a record lists several hundred changes within the
  // limit, and a re-run after a partial failure of a large plan can still be matched change by change.
  const encode = (value: ReviewRecord) =>
    `z.${deflateRawSync(Buffer.from(JSON.stringify(value), "utf8")).toString("base64url")}`;
  let encoded = encode(record);
  if (encoded.length > REVIEW_RECORD_LIMIT) {
    const { changes: _omitted, ...settings } = record;
    encoded = encode(settings);
  }
  return `<!-- waybill:review sha=${record.hash} -->\n<!-- waybill:reviewed ${encoded} -->`;
}

/**
 * The record a plan comment carries: the hash alone from an earlier version's comment (prune and
 * adopt then unknown), undefined when the comment carries none.
 */
export function parseReviewMarker(
  body: string,
): (Omit<ReviewRecord, "prune" | "adopt"> & { prune?: boolean; adopt?: boolean }) | undefined {
  const hash = HASH_LINE.exec(body)?.[1];
  if (hash === undefined) return undefined;
  const line = RECORD_LINE.exec(body);
  const encoded = line?.[2];
  if (encoded === undefined) return { hash };
  try {
    const bytes = Buffer.from(encoded, "base64url");
    const json = line?.[1] === undefined ? bytes : inflateRawSync(bytes, { maxOutputLength: INFLATED_LIMIT });
    const record = JSON.parse(json.toString("utf8")) as Partial<ReviewRecord>;
    return {
      hash,
      ...(typeof record.prune === "boolean" ? { prune: record.prune } : {}),
      ...(typeof record.adopt === "boolean" ? { adopt: record.adopt } : {}),
      ...(Array.isArray(record.changes) ? { changes: record.changes } : {}),
    };
  } catch {
    // A record someone edited is no record: the hash still decides.
    return { hash };
  }
}

function onOff(value: boolean): string {
  return value ? "on" : "off";
}

function describeChange(change: ReviewedChange): string {
  const reported = change.action === "delete" && change.executed === false ? " (reported only)" : "";
  return `${change.action} ${change.name} (${change.region})${reported}`;
}

function identity(change: ReviewedChange): string {
  return `${change.region}\u0000${change.name}`;
}

/**
 * How the plan about to be applied differs from the reviewed one, one line each, or an empty list
 * when it applies nothing the review did not show: the same settings, and every change that does
 * something is one the review listed, doing the same. A reviewed change no longer planned is no
 * difference: live already is as reviewed (a re-run after a partial failure finds only what failed).
 * Without a list of changes (an earlier version's comment, or a plan too long to record), the
 * plans must hash the same.
 */
export function reviewDifferences(
  reviewed: NonNullable<ReturnType<typeof parseReviewMarker>>,
  current: ReviewRecord,
): string[] {
  if (reviewed.hash === current.hash) return [];
  const lines: string[] = [];
  if (reviewed.prune !== undefined && reviewed.prune !== current.prune) {
    lines.push(
      `prune: the reviewed plan was made with prune ${onOff(reviewed.prune)}, this apply has prune ${onOff(current.prune)}`,
    );
  }
  if (reviewed.adopt !== undefined && reviewed.adopt !== current.adopt) {
    lines.push(
      `adopt: the reviewed plan was made with adopt ${onOff(reviewed.adopt)}, this apply has adopt ${onOff(current.adopt)}`,
    );
  }
  if (reviewed.changes === undefined || current.changes === undefined) {
    if (lines.length === 0)
      lines.push(
        "the plan differs from the reviewed one (the plan comment records no list of its changes to name it)",
      );
    return lines;
  }
  const before = new Map<string, ReviewedChange[]>();
  for (const change of reviewed.changes)
    before.set(identity(change), [...(before.get(identity(change)) ?? []), change]);
  for (const change of current.changes) {
    const was = before.get(identity(change)) ?? [];
    if (
      was.some(
        (seen) =>
          seen.action === change.action && seen.executed === change.executed && seen.digest === change.digest,
      )
    )
      continue;
    const now = describeChange(change);
    if (was.length === 0) lines.push(`not in the reviewed plan: ${now}`);
    else {
      const wasText = was.map(describeChange).join(", ");
      lines.push(
        wasText === now
          ? `${now}: what it does differs from the reviewed plan (live state or the file changed since)`
          : `${now}: the reviewed plan had ${wasText}`,
      );
    }
  }
  return lines;
}
