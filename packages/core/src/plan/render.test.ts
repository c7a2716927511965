import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { hasChanges, isExecuted } from "./describe.js";
import { plan } from "./plan.js";
import { APPLIED_TAG, CHANGE_ACTIONS, MANAGED_BY_TAG } from "./plan-model.js";
import { parsePlanJson, renderPlanJson } from "./render-json.js";
import {
  GITHUB_COMMENT_MAX_LENGTH,
  parsePlanCommentMarker,
  planCommentMarker,
  planHash,
  renderPlanMarkdown,
} from "./render-markdown.js";
import { renderPlanText } from "./render-text.js";
import { aDesired, aDistribution, aLive, STACK } from "./testing/builders.js";
import { hostilePlan, largeEstate, NOW, realisticPlan } from "./testing/scenarios.js";

const fixtures = new URL("./fixtures/", import.meta.url);

/**
 * Compares with a reviewed golden file. `WAYBILL_UPDATE_GOLDENS=1` rewrites them instead; read
 * the diff before committing.
 */
function expectGolden(name: string, actual: string): void {
  const file = new URL(name, fixtures);
  if (process.env.WAYBILL_UPDATE_GOLDENS === "1") writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, "utf8"));
}

/** Every fence and `<details>` opened is closed, in order. */
function expectBalanced(markdown: string): void {
  const stack: string[] = [];
  for (const line of markdown.split("\n")) {
    const fence = /^(`{3,})/.exec(line)?.[1];
    const top = stack.at(-1);
    if (top?.startsWith("`")) {
      if (line === top) stack.pop();
      continue;
    }
    if (fence !== undefined) stack.push(fence);
    else if (line === "<details>") stack.push("<details>");
    else if (line === "</details>") expect(stack.pop()).toBe("<details>");
  }
  expect(stack).toEqual([]);
}

/** The lines a reader sees as markup: everything outside fenced code blocks. */
function outsideFences(markdown: string): string {
  let fence: string | undefined;
  const kept: string[] = [];
  for (const line of markdown.split("\n")) {
    if (fence !== undefined) {
      if (line === fence) fence = undefined;
      continue;
    }
    const opening = /^(`{3,})/.exec(line)?.[1];
    if (opening !== undefined) fence = opening;
    else kept.push(line);
  }
  return kept.join("\n");
}

describe("renderPlanText", () => {
  test("golden: a realistic plan, without colour", () => {
    const text = renderPlanText(realisticPlan(), { color: false });
    expect(text).not.toContain("\u001b");
    expectGolden("realistic.txt", text);
  });

  test("golden: the same plan, coloured", () => {
    const text = renderPlanText(realisticPlan(), { color: true });
    expect(text).toContain("\u001b[32m");
    expectGolden("realistic.color.txt", text);
  });

  test("a create's summary has each region's AMI description, KMS key and AMI tags; a delete's leaves out the applied record", () => {
    const ami = (region: string, kmsKeyId: string) =>
      aDistribution(region, {
        amiDistributionConfiguration: {
          name: "web-base {{imagebuilder:buildDate}}",
          description: "Golden web AMI",
          kmsKeyId,
          amiTags: { team: "web", os: "al2023" },
          targetAccountIds: region === "us-west-2" ? ["222222222222", "333333333333"] : ["222222222222"],
        },
      });
    const desired = aDesired("web-base", {
      distributions: [ami("us-west-2", "alias/west"), ami("eu-west-1", "alias/eu")],
    });
    const created = renderPlanText(plan([desired], [], { stack: STACK }), { color: false });
    expect(created).toContain("+ AMI description: Golden web AMI\n");
    expect(created).toContain("+ KMS key: alias/eu (only eu-west-1); alias/west (only us-west-2)\n");
    expect(created).toContain("+ AMI tags: os=al2023, team=web\n");
    // Which account receives copies where, without a region list that seems to cover them all.
    expect(created).toContain("+ copies in: 222222222222 (every region); 333333333333 (only us-west-2)\n");

    const live = aLive("old-base", {
      tags: { team: "web", [MANAGED_BY_TAG]: STACK, [APPLIED_TAG]: "v1:abc" },
    });
    const deleted = renderPlanText(plan([], [live], { stack: STACK, prune: false }), { color: false });
    expect(deleted).toContain("would destroy:");
    expect(deleted).toMatch(/- tags: team=web, waybill:managed-by=platform/);
    expect(deleted).not.toContain(APPLIED_TAG);
  });

  test("an account a set brought in is named with its set in the diff (an OU that gained an account)", () => {
    const shared = (accounts: string[]) => [
      aDistribution("us-west-2", {
        amiDistributionConfiguration: {
          name: "web-base {{imagebuilder:buildDate}}",
          launchPermission: { userIds: accounts },
        },
      }),
    ];
    const live = aLive("web-base", { distributions: shared(["111111111111"]) });
    const desired = aDesired("web-base", {
      distributions: shared(["111111111111", "222222222222", "333333333333"]),
      accountSetOf: { "111111111111": "org", "222222222222": "org" },
    });
    const result = plan([desired], [live], { stack: STACK });
    const diff = result.changes[0]?.diffs.find((d) => d.kind === "set");
    expect(diff?.fromSets).toEqual({ "222222222222": "org" });
    const text = renderPlanText(result, { color: false });
    expect(text).toContain("+222222222222 (set:org)");
    expect(text).toMatch(/\+333333333333(?! \(set)/);
    expect(parsePlanJson(renderPlanJson(result))).toMatchObject({ success: true });
  });

  test("shows the live-state fingerprint only when asked", () => {
    const realistic = realisticPlan();
    const line = `live state ${realistic.fingerprint}`;
    expect(renderPlanText(realistic, { color: false })).not.toContain("sha256:");
    expect(renderPlanText(realistic, { color: false, fingerprint: false })).not.toContain("sha256:");
    const shown = renderPlanText(realistic, { color: false, fingerprint: true });
    expect(shown.split("\n").slice(0, 3)).toEqual(['Waybill plan for stack "platform"', line, ""]);
    expect(renderPlanText(realistic, { color: true, fingerprint: true })).toContain(
      `\u001b[2m${line}\u001b[0m`,
    );
  });

  test("hostile content cannot move the cursor, change colours or reorder text", () => {
    const text = renderPlanText(hostilePlan(), { color: false });
    expect(text).not.toContain("\u001b");
    expect(text).not.toContain("\u202e");
    expect(text).toContain("\\u001b[31mred\\u202e");
  });

  test("says so when there is nothing to do", () => {
    const text = renderPlanText(plan([aDesired("web-base")], [aLive("web-base")], { stack: STACK }), {
      color: false,
    });
    expect(text).toContain("No changes: 1 unchanged.");
    expect(text).not.toContain("web-base (");
  });
});

describe("renderPlanMarkdown", () => {
  test("golden: a realistic plan", () => {
    const markdown = renderPlanMarkdown(realisticPlan(), { marker: "us-west-2" });
    expectBalanced(markdown);
    expectGolden("realistic.md", markdown);
  });

  test("golden: hostile descriptions and tags cannot break out, mention or inject", () => {
    const markdown = renderPlanMarkdown(hostilePlan(), { title: "Plan for @octocat </details>" });
    expectBalanced(markdown);
    expect(markdown).not.toMatch(/@[A-Za-z]/);
    // No element from user content: render-gfm.test.ts checks that on the HTML GitHub would make.
    const markup = outsideFences(markdown);
    expect(markup.match(/<\/details>/g)?.length).toBe(markup.match(/^<details>$/gm)?.length);
    expect(markdown).toContain("&#60;/details&#62;");
    expectGolden("hostile.md", markdown);
  });

  test("golden: cut on line boundaries to the limit, with fences and details closed and a note", () => {
    const markdown = renderPlanMarkdown(realisticPlan(), { maxLength: 3_000 });
    expect(markdown.length).toBeLessThanOrEqual(3_000);
    expectBalanced(markdown);
    expect(markdown).toContain("> **Note:** this plan is too long for one comment and is cut after");
    expectGolden("truncated.md", markdown);
  });

  test("a 2,000-configuration plan is cut to GitHub's 65,536 characters", () => {
    const { desired, live } = largeEstate(2_000);
    const big = plan(desired, live, { stack: STACK, now: NOW });
    const markdown = renderPlanMarkdown(big);
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_LENGTH);
    expect(markdown.length).toBeGreaterThan(GITHUB_COMMENT_MAX_LENGTH - 2_000);
    expectBalanced(markdown);
    expect(markdown.startsWith(planCommentMarker("default", planHash(big), big.fingerprint))).toBe(true);
    expect(markdown.trimEnd().split("\n").at(-1)).toMatch(/^> \*\*Note:\*\* .* cut after \d+ lines/);
  });

  test("every limit gives a balanced body within it", () => {
    const full = renderPlanMarkdown(realisticPlan());
    for (let maxLength = 600; maxLength < full.length + 10; maxLength += 97) {
      const markdown = renderPlanMarkdown(realisticPlan(), { maxLength });
      expect(markdown.length).toBeLessThanOrEqual(maxLength);
      expectBalanced(markdown);
    }
  });
});

describe("the plan comment marker", () => {
  test("carries the key and the hash of the full plan, and is found again", () => {
    const realistic = realisticPlan();
    const markdown = renderPlanMarkdown(realistic, { marker: "shard us-east-1 -->" });
    // The live-state fingerprint is in the hidden marker only, nowhere a reader sees it.
    expect(markdown.split("\n", 1)[0]).toBe(
      `<!-- waybill:plan key=shard%20us-east-1%20--%3E sha=${planHash(realistic)} live=${realistic.fingerprint} -->`,
    );
    expect(markdown.split("\n").slice(1).join("\n")).not.toContain(realistic.fingerprint.slice(7));
    expect(parsePlanCommentMarker(markdown)).toEqual({
      key: "shard us-east-1 -->",
      sha: planHash(realistic),
    });
    expect(markdown.startsWith(planCommentMarker("shard us-east-1 -->"))).toBe(true);
    expect(parsePlanCommentMarker("no marker here")).toBeUndefined();
  });

  test("the hash changes with the plan", () => {
    const other = plan([aDesired("web-base")], [], { stack: STACK });
    expect(planHash(other)).not.toBe(planHash(realisticPlan()));
  });
});

describe("renderPlanJson and parsePlanJson", () => {
  test("golden: versioned, keys sorted", () => {
    const json = renderPlanJson(realisticPlan());
    expect(JSON.parse(json).version).toBe(3);
    expectGolden("realistic.json", json);
  });

  test("stable: the same inputs in another order give the same text", () => {
    const { desired, live } = largeEstate(40);
    const a = renderPlanJson(plan(desired, live, { stack: STACK, now: NOW }));
    const b = renderPlanJson(plan([...desired].reverse(), [...live].reverse(), { stack: STACK, now: NOW }));
    expect(b).toBe(a);
  });

  test("a saved plan parses back to the same plan", () => {
    const realistic = realisticPlan();
    const parsed = parsePlanJson(renderPlanJson(realistic));
    expect(parsed).toEqual({ success: true, plan: JSON.parse(JSON.stringify(realistic)) });
  });

  test("the round trip covers every change action, so every change shape the schema declares", () => {
    const realistic = realisticPlan();
    expect(new Set(realistic.changes.map((change) => change.action))).toEqual(new Set(CHANGE_ACTIONS));
    const parsed = parsePlanJson(renderPlanJson(realistic));
    if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
    for (const [index, change] of realistic.changes.entries()) {
      expect(Object.keys(parsed.plan.changes[index] ?? {}).sort()).toEqual(
        Object.keys(JSON.parse(JSON.stringify(change))).sort(),
      );
    }
  });

  test("a saved plan keeps its id (its client tokens); a plan without one is refused", () => {
    const withId = plan([aDesired("web-base")], [], { stack: STACK, id: "0b7e3f0e-a-plan" });
    const json = renderPlanJson(withId);
    expect(JSON.parse(json).id).toBe("0b7e3f0e-a-plan");
    expect(parsePlanJson(json)).toMatchObject({ success: true, plan: { id: "0b7e3f0e-a-plan" } });
    const { id: _, ...withoutId } = JSON.parse(json);
    expect(parsePlanJson(JSON.stringify(withoutId))).toMatchObject({
      success: false,
      issues: [{ path: "id" }],
    });
    expect(parsePlanJson(JSON.stringify({ ...withoutId, id: "" }))).toMatchObject({
      success: false,
      issues: [{ path: "id" }],
    });
  });

  test("bad input is reported, not thrown", () => {
    expect(parsePlanJson("{")).toMatchObject({ success: false, issues: [{ path: "" }] });
    // Version 1 (before the sharing summary and a delete's `destroys`) and version 2 (before the
    // settings that decided the plan) are refused, not half read.
    for (const version of [1, 2])
      expect(parsePlanJson(`{"version": ${version}}`)).toMatchObject({
        success: false,
        issues: [
          {
            path: "version",
            message: `plan version ${version} is not supported (this Waybill reads version 3)`,
          },
        ],
      });
    const broken = JSON.parse(renderPlanJson(realisticPlan()));
    broken.changes[0].action = "explode";
    const result = parsePlanJson(JSON.stringify(broken));
    expect(result.success).toBe(false);
    if (!result.success) expect(result.issues[0]?.path).toMatch(/^changes\.0/);
  });
});

describe("isExecuted and hasChanges: the one definition of a plan that changes something", () => {
  test("no-ops, conflicts and deletes without prune change nothing; every other action does", () => {
    const realistic = realisticPlan();
    expect(hasChanges(realistic)).toBe(true);
    const inert = realistic.changes.filter((change) => !isExecuted(change));
    expect(new Set(inert.map((change) => change.action))).toEqual(new Set(["no-op", "conflict", "delete"]));
    expect(inert.every((change) => change.action !== "delete" || !change.executed)).toBe(true);
    expect(hasChanges({ ...realistic, changes: inert })).toBe(false);
    expect(hasChanges({ changes: [{ action: "delete", executed: true }] })).toBe(true);
    expect(hasChanges({ changes: [{ action: "delete" }, { action: "no-op" }, { action: "conflict" }] })).toBe(
      false,
    );
  });
});
