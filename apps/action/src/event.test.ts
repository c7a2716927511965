import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { type ActionEvent, decideRun, readActionEvent } from "./event.js";

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/events/${name}`, import.meta.url), "utf8"));

function event(name: string, file: string, ref = "refs/heads/main"): ActionEvent {
  const result = readActionEvent(name, fixture(file), {
    ref,
    sha: "0123456789abcdef0123456789abcdef01234567",
  });
  if (!result.success) throw new Error(result.errors.join("\n"));
  return result.event;
}

describe("readActionEvent", () => {
  test("a pull request from a branch of the same repository", () => {
    expect(event("pull_request", "pull_request.json").pullRequest).toEqual({
      number: 42,
      fromFork: false,
      headSha: "feedfacefeedfacefeedfacefeedfacefeedface",
      labels: ["infra"],
    });
  });

  test("a pull request from a fork", () => {
    expect(event("pull_request", "pull_request-fork.json").pullRequest?.fromFork).toBe(true);
  });

  test("a push knows the default branch", () => {
    const push = event("push", "push.json");
    expect(push.defaultBranch).toBe("main");
    expect(push.pullRequest).toBeUndefined();
  });

  test("a payload of the wrong shape is reported, not thrown", () => {
    const result = readActionEvent("pull_request", { pull_request: { number: "x" } }, { ref: "", sha: "" });
    expect(result.success).toBe(false);
  });
});

describe("decideRun", () => {
  test("auto: pull_request plans, push to the default branch applies, schedule and dispatch check drift", () => {
    expect(decideRun("auto", event("pull_request", "pull_request.json")).kind).toBe("plan");
    expect(decideRun("auto", event("push", "push.json")).kind).toBe("apply");
    expect(decideRun("auto", event("schedule", "schedule.json")).kind).toBe("drift");
    expect(decideRun("auto", event("workflow_dispatch", "schedule.json")).kind).toBe("drift");
  });

  test("auto: a push to another branch only plans", () => {
    expect(decideRun("auto", event("push", "push.json", "refs/heads/feature")).kind).toBe("plan");
  });

  test("never applies on a pull-request event, whatever the mode says", () => {
    for (const name of ["pull_request", "pull_request_target", "pull_request_review"]) {
      const decision = decideRun("apply", event(name, "pull_request.json"));
      expect(decision.kind).toBe("plan");
      expect(decision.warning).toMatch(/never applies/);
    }
  });

  test("explicit modes are followed elsewhere", () => {
    expect(decideRun("apply", event("workflow_dispatch", "schedule.json")).kind).toBe("apply");
    expect(decideRun("drift", event("push", "push.json")).kind).toBe("drift");
    expect(decideRun("plan", event("push", "push.json")).kind).toBe("plan");
  });
});
