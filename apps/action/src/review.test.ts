import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import {
  parseReviewMarker,
  REVIEW_RECORD_LIMIT,
  type ReviewRecord,
  reviewDifferences,
  reviewMarkerLines,
} from "./review.js";

const update = { action: "update" as const, name: "web-base", region: "us-west-2", digest: "aaaa" };
const create = { action: "create" as const, name: "db-base", region: "eu-west-1", digest: "bbbb" };
const reportedDelete = {
  action: "delete" as const,
  name: "old-base",
  region: "us-west-2",
  executed: false,
  digest: "cccc",
};
const record = (changes: ReviewRecord["changes"], extra: Partial<ReviewRecord> = {}): ReviewRecord => ({
  hash: JSON.stringify({ changes, ...extra })
    .length.toString(16)
    .padStart(64, "0"),
  prune: false,
  adopt: false,
  changes,
  ...extra,
});

describe("the review marker", () => {
  test("round-trips through the comment, and an earlier version's hash-only line still reads", () => {
    const reviewed = record([update, create]);
    const body = `<!-- waybill:plan key=default -->\n${reviewMarkerLines(reviewed)}\n### Waybill plan`;
    expect(parseReviewMarker(body)).toEqual(reviewed);
    expect(parseReviewMarker(`<!-- waybill:review sha=${"a".repeat(64)} -->`)).toEqual({
      hash: "a".repeat(64),
    });
    expect(parseReviewMarker("no marker")).toBeUndefined();
  });

  test("a record of 500 changes (16-hex digests, as the runner makes) fits, deflated, and reads back whole", () => {
    const digest = (i: number) => createHash("sha256").update(String(i)).digest("hex").slice(0, 16);
    const many = Array.from({ length: 500 }, (_, i) => ({
      ...create,
      name: `web-base-${i}`,
      digest: digest(i),
    }));
    const lines = reviewMarkerLines(record(many));
    expect(lines).toMatch(/^<!-- waybill:reviewed z\.[A-Za-z0-9_-]+ -->$/m);
    expect(lines.length).toBeLessThan(REVIEW_RECORD_LIMIT + 200);
    expect(parseReviewMarker(lines)?.changes).toEqual(many);
  });

  test("an earlier version's record (base64url JSON, not deflated) still reads", () => {
    const reviewed = record([update]);
    const plain = Buffer.from(JSON.stringify(reviewed), "utf8").toString("base64url");
    const body = `<!-- waybill:review sha=${reviewed.hash} -->\n<!-- waybill:reviewed ${plain} -->`;
    expect(parseReviewMarker(body)).toEqual(reviewed);
  });

  test("a record too long for a comment keeps its hash and settings", () => {
    const digest = (i: number) => createHash("sha256").update(String(i)).digest("hex").slice(0, 16);
    const many = Array.from({ length: 5000 }, (_, i) => ({ ...create, name: `c-${i}`, digest: digest(i) }));
    const lines = reviewMarkerLines(record(many, { prune: true }));
    expect(lines.length).toBeLessThan(REVIEW_RECORD_LIMIT + 200);
    const parsed = parseReviewMarker(lines);
    expect(parsed?.changes).toBeUndefined();
    expect(parsed?.prune).toBe(true);
  });

  test("an edited record is no record: the hash alone decides", () => {
    const body = `<!-- waybill:review sha=${"b".repeat(64)} -->\n<!-- waybill:reviewed bm90IGpzb24 -->`;
    expect(parseReviewMarker(body)).toEqual({ hash: "b".repeat(64) });
  });
});

describe("reviewDifferences", () => {
  test("the same plan, or what is left of it after a partial apply, is no difference", () => {
    const reviewed = record([update, create]);
    expect(reviewDifferences(reviewed, reviewed)).toEqual([]);
    expect(reviewDifferences(reviewed, record([create]))).toEqual([]);
  });

  test("a delete the review did not show is named", () => {
    const reviewed = record([update, reportedDelete]);
    const applied = record([update, { ...reportedDelete, executed: true, digest: "dddd" }], { prune: true });
    expect(reviewDifferences(reviewed, applied)).toEqual([
      "prune: the reviewed plan was made with prune off, this apply has prune on",
      "delete old-base (us-west-2): the reviewed plan had delete old-base (us-west-2) (reported only)",
    ]);
  });

  test("a change made outside between review and merge: a change not reviewed, or one that does something else", () => {
    const reviewed = record([update]);
    expect(reviewDifferences(reviewed, record([{ ...update, digest: "ffff" }, create]))).toEqual([
      "update web-base (us-west-2): what it does differs from the reviewed plan (live state or the file changed since)",
      "not in the reviewed plan: create db-base (eu-west-1)",
    ]);
  });

  test("adopt differing is named; without a list of changes only the hash decides", () => {
    expect(reviewDifferences(record([update]), record([update], { adopt: true }))).toEqual([
      "adopt: the reviewed plan was made with adopt off, this apply has adopt on",
    ]);
    expect(reviewDifferences({ hash: "1".repeat(64) }, record([update]))).toEqual([
      "the plan differs from the reviewed one (the plan comment records no list of its changes to name it)",
    ]);
  });
});
