import { readFileSync } from "node:fs";
import { getOctokit } from "@actions/github";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type ActionEvent, readActionEvent } from "./event.js";
import { createOctokitGitHub } from "./github/octokit-github.js";
import type { ActionInputs } from "./inputs.js";
import { type ActionDependencies, runAction } from "./run-action.js";
import type { PlannedChange } from "./runner.js";
import { type FakeGitHub, startFakeGitHub } from "./testing/fake-github-server.js";
import { applied, fakeRunner, planReport } from "./testing/fake-runner.js";

const repository = { owner: "acme", repo: "image-distribution" };
const mergeSha = "c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff";

function event(name: string, file: string): ActionEvent {
  const payload: unknown = JSON.parse(
    readFileSync(new URL(`../test/fixtures/events/${file}`, import.meta.url), "utf8"),
  );
  const result = readActionEvent(name, payload, { ref: "refs/heads/main", sha: mergeSha });
  if (!result.success) throw new Error(result.errors.join("\n"));
  return result.event;
}

const inputs = (overrides: Partial<ActionInputs> = {}): ActionInputs => ({
  paths: [],
  mode: "auto",
  region: undefined,
  stack: undefined,
  prune: undefined,
  adopt: undefined,
  githubToken: "t",
  comment: true,
  commentKey: "",
  endpointUrl: undefined,
  ...overrides,
});

const update: PlannedChange = {
  action: "update",
  name: "web-base",
  region: "us-west-2",
  source: "waybill/web.yaml",
};
const create: PlannedChange = {
  action: "create",
  name: "db-base",
  region: "eu-west-1",
  source: "waybill/db.yaml",
};
const unchanged: PlannedChange = { action: "no-op", name: "ci-base", region: "us-west-2" };

let fake: FakeGitHub;
let logs: string[];
beforeEach(async () => {
  fake = await startFakeGitHub();
  logs = [];
});
afterEach(async () => {
  await fake.close();
});

function deps(
  overrides: Partial<ActionDependencies> & Pick<ActionDependencies, "runner" | "event">,
): ActionDependencies {
  return {
    github: createOctokitGitHub(getOctokit("t", { baseUrl: fake.url })),
    inputs: inputs(),
    repository,
    runUrl: "https://github.com/acme/image-distribution/actions/runs/1",
    log: { info: (message) => logs.push(message) },
    ...overrides,
  };
}

describe("pull request", () => {
  test("posts the plan as one comment, updates it on the next run, and writes the same plan to the summary", async () => {
    const runner = fakeRunner({
      plan: { status: "planned", plan: planReport([update, unchanged]), diagnostics: [] },
    });
    const first = await runAction(deps({ runner, event: event("pull_request", "pull_request.json") }));
    expect(first.conclusion).toBe("success");
    expect(first.outputs).toMatchObject({
      "has-changes": "true",
      "update-count": "1",
      "unchanged-count": "1",
    });
    expect(first.outputs.summary).toBe("0 to create, 1 to update, 0 to delete");
    expect(first.planJson).toContain('"web-base"');
    const [comment] = fake.comments(42);
    expect(comment?.body).toContain("| update | web-base | us-west-2 |");
    expect(first.summaryMarkdown).toContain("| update | web-base | us-west-2 |");
    expect(first.outputs["comment-url"]).toContain(`#issuecomment-${comment?.id}`);

    const runner2 = fakeRunner({ plan: { status: "planned", plan: planReport([create]), diagnostics: [] } });
    await runAction(deps({ runner: runner2, event: event("pull_request", "pull_request.json") }));
    const comments = fake.comments(42);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain("| create | db-base | eu-west-1 |");
    expect(comments[0]?.body).not.toContain("web-base");
  });

  test("with no changes the comment says so", async () => {
    const runner = fakeRunner({
      plan: { status: "planned", plan: planReport([unchanged]), diagnostics: [] },
    });
    const report = await runAction(deps({ runner, event: event("pull_request", "pull_request.json") }));
    expect(report.outputs["has-changes"]).toBe("false");
    expect(fake.comments(42)[0]?.body).toContain("**No changes**");
  });

  test("invalid configurations: a comment and an annotation per diagnostic, and the step fails", async () => {
    const diagnostics = [
      {
        file: "waybill/web.yaml",
        line: 7,
        column: 5,
        path: "distributions[0].amiDistributionConfiguration.name",
        code: "ami-name-missing-build-date",
        severity: "error" as const,
        message: "The AMI name must contain {{imagebuilder:buildDate}}",
        hint: "add {{imagebuilder:buildDate}}",
      },
      {
        file: "waybill/db.yaml",
        line: 3,
        column: 1,
        code: "unknown-key",
        severity: "error" as const,
        message: "Unknown key launchPermissions | typo?",
      },
    ];
    const runner = fakeRunner({ plan: { status: "invalid", diagnostics } });
    const report = await runAction(deps({ runner, event: event("pull_request", "pull_request.json") }));
    expect(report.conclusion).toBe("failure");
    expect(report.annotations).toEqual([
      expect.objectContaining({ level: "error", file: "waybill/web.yaml", line: 7, column: 5 }),
      expect.objectContaining({ level: "error", file: "waybill/db.yaml", line: 3, column: 1 }),
    ]);
    const body = fake.comments(42)[0]?.body ?? "";
    expect(body).toContain("`waybill/web.yaml:7:5`");
    expect(body).toContain("`waybill/db.yaml:3:1`");
    expect(body).toContain("launchPermissions \\| typo?");
  });

  test("from a fork: summary only, no comment requests, success", async () => {
    const runner = fakeRunner({ plan: { status: "planned", plan: planReport([update]), diagnostics: [] } });
    const report = await runAction(deps({ runner, event: event("pull_request", "pull_request-fork.json") }));
    expect(report.conclusion).toBe("success");
    expect(report.summaryMarkdown).toContain("web-base");
    expect(fake.requests).toHaveLength(0);
  });

  test("a read-only token that is not from a fork degrades to the summary with a warning", async () => {
    fake.readOnly = true;
    const runner = fakeRunner({ plan: { status: "planned", plan: planReport([update]), diagnostics: [] } });
    const report = await runAction(deps({ runner, event: event("pull_request", "pull_request.json") }));
    expect(report.conclusion).toBe("success");
    expect(report.annotations).toEqual([expect.objectContaining({ level: "warning" })]);
    expect(fake.comments()).toHaveLength(0);
  });

  test("never applies, even with mode: apply", async () => {
    const runner = fakeRunner({
      plan: { status: "planned", plan: planReport([update]), diagnostics: [] },
      apply: { status: "applied", plan: planReport([update]), results: [], diagnostics: [] },
    });
    const report = await runAction(
      deps({ runner, event: event("pull_request", "pull_request.json"), inputs: inputs({ mode: "apply" }) }),
    );
    expect(runner.requests.map((r) => r.kind)).toEqual(["plan"]);
    expect(report.decision.kind).toBe("plan");
    expect(report.annotations[0]?.message).toMatch(/never applies/);
  });

  test("comment: false writes no comment", async () => {
    const runner = fakeRunner({ plan: { status: "planned", plan: planReport([update]), diagnostics: [] } });
    await runAction(
      deps({ runner, event: event("pull_request", "pull_request.json"), inputs: inputs({ comment: false }) }),
    );
    expect(fake.requests).toHaveLength(0);
  });

  test("inputs reach the runner", async () => {
    const runner = fakeRunner({ plan: { status: "planned", plan: planReport([]), diagnostics: [] } });
    await runAction(
      deps({
        runner,
        event: event("pull_request", "pull_request.json"),
        inputs: inputs({
          paths: ["a/*.yaml"],
          stack: "s",
          region: "eu-west-1",
          prune: true,
          endpointUrl: "http://x",
        }),
      }),
    );
    expect(runner.requests[0]?.request).toEqual({
      paths: ["a/*.yaml"],
      stack: "s",
      region: "eu-west-1",
      prune: true,
      adopt: undefined,
      endpointUrl: "http://x",
    });
  });
});

describe("push to the default branch", () => {
  test("applies, writes the summary and replies on the merged pull request", async () => {
    fake.setPullRequestsForCommit(mergeSha, [{ number: 42, state: "closed", merged: true }]);
    const runner = fakeRunner({
      apply: {
        status: "applied",
        plan: planReport([update, create]),
        results: [applied(update, "ok"), applied(create, "ok")],
        diagnostics: [],
      },
    });
    const report = await runAction(deps({ runner, event: event("push", "push.json") }));
    expect(runner.requests.map((r) => r.kind)).toEqual(["apply"]);
    expect(report.conclusion).toBe("success");
    expect(report.outputs["failed-count"]).toBe("0");
    const [reply] = fake.comments(42);
    expect(reply?.body).toContain("### Waybill apply");
    expect(reply?.body).toContain("`web-base` (us-west-2) | update | ok");
    expect(report.summaryMarkdown).toContain("`db-base` (eu-west-1) | create | ok");
  });

  test("a partial failure lists every failure and fails the step", async () => {
    const runner = fakeRunner({
      apply: {
        status: "applied",
        plan: planReport([update, create]),
        results: [
          applied(update, "failed", "ResourceDependencyException: in use"),
          applied(create, "failed", "CallRateLimitExceededException: slow down"),
        ],
        diagnostics: [],
      },
    });
    const report = await runAction(deps({ runner, event: event("push", "push.json") }));
    expect(report.conclusion).toBe("failure");
    expect(report.failureMessage).toContain(
      "web-base (us-west-2, waybill/web.yaml): ResourceDependencyException",
    );
    expect(report.failureMessage).toContain(
      "db-base (eu-west-1, waybill/db.yaml): CallRateLimitExceededException",
    );
    expect(report.outputs["failed-count"]).toBe("2");
  });
});

describe("drift", () => {
  test("fails when live differs and says where", async () => {
    const runner = fakeRunner({
      plan: { status: "planned", plan: planReport([update, unchanged]), diagnostics: [] },
    });
    const report = await runAction(deps({ runner, event: event("schedule", "schedule.json") }));
    expect(report.decision.kind).toBe("drift");
    expect(report.conclusion).toBe("failure");
    expect(report.failureMessage).toContain("update web-base (us-west-2, waybill/web.yaml)");
    expect(report.annotations).toEqual([
      expect.objectContaining({ file: "waybill/web.yaml", level: "error" }),
    ]);
    expect(fake.requests).toHaveLength(0);
  });

  test("succeeds when live matches", async () => {
    const runner = fakeRunner({
      plan: { status: "planned", plan: planReport([unchanged]), diagnostics: [] },
    });
    const report = await runAction(deps({ runner, event: event("schedule", "schedule.json") }));
    expect(report.conclusion).toBe("success");
    expect(report.summaryMarkdown).toContain("**No drift.**");
  });
});

test("a runner failure fails the step with its message", async () => {
  const runner = fakeRunner({});
  const report = await runAction(deps({ runner, event: event("schedule", "schedule.json") }));
  expect(report.conclusion).toBe("failure");
  expect(report.failureMessage).toBe("Waybill could not drift: fakeRunner: no plan outcome given");
});
