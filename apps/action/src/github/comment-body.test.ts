import { describe, expect, test } from "vitest";
import { COMMENT_BODY_LIMIT, fitCommentBody } from "./comment-body.js";

const notice = "The full plan is in the job summary.";

describe("fitCommentBody", () => {
  test("leaves a body that fits untouched", () => {
    const body = "<!-- marker -->\n## Plan\nno changes";
    expect(fitCommentBody(body, notice)).toEqual({ body, truncated: false });
  });

  test("a body of exactly the limit fits", () => {
    const body = "x".repeat(COMMENT_BODY_LIMIT);
    expect(fitCommentBody(body, notice).truncated).toBe(false);
  });

  test("cuts on a line boundary, keeps the first line and says what was left out", () => {
    const lines = [
      "<!-- marker -->",
      ...Array.from({ length: 5000 }, (_, i) => `line ${i} ${"-".repeat(20)}`),
    ];
    const body = lines.join("\n");
    const fitted = fitCommentBody(body, notice);
    expect(fitted.truncated).toBe(true);
    expect(fitted.body.length).toBeLessThanOrEqual(COMMENT_BODY_LIMIT);
    expect(fitted.body.startsWith("<!-- marker -->\n")).toBe(true);
    const kept = fitted.body.split("\n").filter((line) => line.startsWith("line "));
    // every kept line is a whole line of the original
    const original = new Set(lines);
    expect(kept.filter((line) => !original.has(line))).toEqual([]);
    expect(kept.length).toBeGreaterThan(1000);
    expect(fitted.body).toContain("characters left out");
    expect(fitted.body).toContain(notice);
  });

  test("closes a code fence and details left open by the cut", () => {
    const body = [
      "<!-- marker -->",
      "<details><summary>web-base</summary>",
      "",
      "````diff",
      ...Array.from({ length: 4000 }, (_, i) => `+ ${i} \`\`\` ${"y".repeat(20)}`),
      "````",
      "</details>",
    ].join("\n");
    const fitted = fitCommentBody(body, notice);
    expect(fitted.truncated).toBe(true);
    const tail = fitted.body.split("\n").slice(-4);
    expect(tail.slice(0, 2)).toEqual(["````", "</details>"]);
  });

  test("a single overlong line is cut inside rather than dropped", () => {
    const fitted = fitCommentBody("z".repeat(COMMENT_BODY_LIMIT * 2), notice, 1000);
    expect(fitted.truncated).toBe(true);
    expect(fitted.body.length).toBeLessThanOrEqual(1000);
    expect(fitted.body.startsWith("zzz")).toBe(true);
  });
});
