import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type ActionEvent, readActionEvent } from "./event.js";
import { createOctokit } from "./github/octokit.js";
import { createOctokitGitHub } from "./github/octokit-github.js";
import { type ActionDependencies, runAction, SUMMARY_BYTE_LIMIT } from "./run-action.js";
import type { PlannedChange } from "./runner.js";
import { type FakeGitHub, startFakeGitHub } from "./testing/fake-github-server.js";
import { applied, fakeRunner, planReport } from "./testing/fake-runner.js";
import { anActionInputs } from "./testing/inputs.js";
import { expectNoInjection } from "./testing/markdown-safety.js";

const repository = { owner: "acme", repo: "image-distribution" };
const mergeSha = "c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff";

function event(name: string, file: string): ActionEvent {
  const payload: unknown = JSON.parse(
    readFileSync(new URL(`./fixtures/events/${file}`, import.meta.url), "utf8"),
  );
  const result = readActionEvent(name, payload, { ref: "refs/heads/main", sha: mergeSha });
  if (!result.success) throw new Error(result.errors.join("\n"));
  return result.event;
}

const inputs = anActionInputs;

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
const conflict: PlannedChange = {
  action: "conflict",
  name: "legacy-base",
  region: "us-west-2",
  source: "waybill/legacy.yaml",
};

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
    github: createOctokitGitHub(createOctokit("t", { baseUrl: fake.url })),
    inputs: inputs(),
    repository,
    runUrl: "https://github.com/acme/image-distribution/actions/runs/1",
    serverUrl: "https://github.com",
    log: { info: (message) => logs.push(message) },
    ...overrides,
  };
}

/** The plan comment a pull request's run leaves on #42: what the apply after merge compares with. */
async function reviewOn42(plan: ReturnType<typeof planReport>): Promise<void> {
  const runner = fakeRunner({ plan: { status: "planned", plan, diagnostics: [] } });
  await runAction(deps({ runner, event: event("pull_request", "pull_request.json") }));
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
    // The summary output is the comment's headline, word for word.
    expect(first.outputs.summary).toBe("Plan: 1 update, 1 unchanged.");
    expect(fake.comments(42)[0]?.body).toContain(`**${first.outputs.summary}**`);
    // The heading names the stack as the CLI's does; a pull request's plan says what merging does.
    expect(fake.comments(42)[0]?.body).toContain('### Waybill plan for stack "platform"\n');
    expect(fake.comments(42)[0]?.body).toContain("Merging applies the plan.");
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
    expect(fake.comments(42)[0]?.body).toContain("**No changes: 1 unchanged.**");
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
    // Codes never wrap at their hyphens in a narrow column (non-breaking hyphens, U+2011).
    expect(body).toContain("| error | `unknown\u2011key` |");
    // Each position links to its line at the pull request's head commit.
    const head = event("pull_request", "pull_request.json").pullRequest?.headSha;
    expect(body).toContain(
      `[\`waybill/web.yaml:7:5\`](https://github.com/acme/image-distribution/blob/${head}/waybill/web.yaml#L7)`,
    );
  });

  test("from a fork with AWS credentials: the plan goes to the job summary only, success", async () => {
    const runner = fakeRunner({ plan: { status: "planned", plan: planReport([update]), diagnostics: [] } });
    const report = await runAction(deps({ runner, event: event("pull_request", "pull_request-fork.json") }));
    expect(report.conclusion).toBe("success");
    expect(report.summaryMarkdown).toContain("web-base");
    expect(report.outputs["has-changes"]).toBe("true");
    expect(fake.requests).toHaveLength(0);
  });

  test("from a fork without AWS credentials: validates only, says why in the summary, no GitHub requests, success", async () => {
    const runner = fakeRunner({
      plan: {
        status: "no-credentials",
        message: "Could not load credentials from any providers",
        files: ["waybill/web.yaml", "waybill/db.yaml"],
        diagnostics: [],
      },
    });
    const report = await runAction(deps({ runner, event: event("pull_request", "pull_request-fork.json") }));
    expect(report.conclusion).toBe("success");
    expect(runner.requests.map((r) => r.kind)).toEqual(["plan"]);
    expect(report.summaryMarkdown).toContain(
      "Plan needs AWS credentials, not available to pull requests from forks: the files were validated only.",
    );
    const headline = "Validation passed for 2 configuration files: nothing was planned.";
    expect(report.summaryMarkdown).toContain(`**${headline}**`);
    expect(report.outputs).toEqual({ "has-changes": "unknown", summary: headline });
    expect(fake.requests).toHaveLength(0);
  });

  test("from a fork with invalid files: the diagnostics, annotations, and the step fails", async () => {
    const runner = fakeRunner({
      plan: {
        status: "invalid",
        diagnostics: [
          {
            file: "waybill/web.yaml",
            line: 3,
            column: 1,
            code: "unknown-key",
            severity: "error",
            message: "unknown key 'x'",
          },
        ],
      },
    });
    const report = await runAction(deps({ runner, event: event("pull_request", "pull_request-fork.json") }));
    expect(report.conclusion).toBe("failure");
    expect(report.summaryMarkdown).toContain("`waybill/web.yaml:3:1`");
    expect(report.annotations).toEqual([
      expect.objectContaining({ level: "error", file: "waybill/web.yaml" }),
    ]);
    expect(fake.requests).toHaveLength(0);
  });

  test("without AWS credentials (not a fork): the validation result is the comment, and the step succeeds", async () => {
    const runner = fakeRunner({
      plan: {
        status: "no-credentials",
        message:
          "Could not read distribution configurations in us-west-2: Could not load credentials from any providers",
        files: ["waybill/web.yaml"],
        diagnostics: [],
      },
    });
    const report = await runAction(deps({ runner, event: event("pull_request", "pull_request.json") }));
    expect(report.conclusion).toBe("success");
    const body = fake.comments(42)[0]?.body ?? "";
    expect(body).toContain(
      "Plan needs AWS credentials, and this run has none: the files were validated only.",
    );
    expect(body).toContain(`**${report.outputs.summary}**`);
    expect(report.outputs.summary).toBe("Validation passed for 1 configuration file: nothing was planned.");
    expect(report.summaryMarkdown).toContain("**Validation passed");
  });

  test("without AWS credentials outside a pull request, the step fails", async () => {
    const runner = fakeRunner({
      plan: {
        status: "no-credentials",
        message: "Could not load credentials from any providers",
        files: [],
        diagnostics: [],
      },
    });
    const report = await runAction(
      deps({ runner, event: event("schedule", "schedule.json"), inputs: inputs({ mode: "plan" }) }),
    );
    expect(report.conclusion).toBe("failure");
    expect(report.failureMessage).toBe(
      "Waybill could not plan: Could not load credentials from any providers",
    );
  });

  test("GitHub failing while commenting (502) keeps the plan: summary, outputs, success, and a warning", async () => {
    fake.failWith = 502;
    const runner = fakeRunner({ plan: { status: "planned", plan: planReport([update]), diagnostics: [] } });
    const report = await runAction(deps({ runner, event: event("pull_request", "pull_request.json") }));
    expect(report.conclusion).toBe("success");
    expect(report.outputs["has-changes"]).toBe("true");
    expect(report.outputs["update-count"]).toBe("1");
    expect(report.planJson).toContain("web-base");
    expect(report.summaryMarkdown).toContain("| update | web-base | us-west-2 |");
    expect(report.annotations).toEqual([
      expect.objectContaining({
        level: "warning",
        message: expect.stringMatching(/Could not comment on pull request #42: .*502/),
      }),
    ]);
    expect(fake.requests.length).toBeGreaterThan(0);
  });

  test("the summary stays within GitHub's 1 MiB in bytes, whatever the characters", async () => {
    // 600,000 three-byte characters: within a character limit of 900,000, but 1.8 MB.
    const runner = fakeRunner({
      plan: { status: "planned", plan: planReport([update], 600_000, "€"), diagnostics: [] },
    });
    const report = await runAction(deps({ runner, event: event("pull_request", "pull_request.json") }));
    expect(Buffer.byteLength(report.summaryMarkdown)).toBeLessThanOrEqual(SUMMARY_BYTE_LIMIT);
    expect(Buffer.byteLength(report.summaryMarkdown)).toBeGreaterThan(500_000);
    expect(report.summaryMarkdown).toContain("| update | web-base | us-west-2 |");
  });

  test('thousands of diagnostics are cut with an "… and N more" line in the comment and the summary', async () => {
    const diagnostics = Array.from({ length: 10_000 }, (_, i) => ({
      file: `waybill/f-${i}.yaml`,
      line: 1,
      column: 1,
      code: "unknown-key",
      severity: "error" as const,
      message: `unknown key 'k${i}' ${"ä".repeat(60)}`,
    }));
    const runner = fakeRunner({ plan: { status: "invalid", diagnostics } });
    const report = await runAction(deps({ runner, event: event("pull_request", "pull_request.json") }));
    const body = fake.comments(42)[0]?.body ?? "";
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/… and \d+ more diagnostics/);
    expect(body).not.toContain("Truncated");
    expect(report.summaryMarkdown).toMatch(/… and \d+ more diagnostics/);
    expect(Buffer.byteLength(report.summaryMarkdown)).toBeLessThanOrEqual(SUMMARY_BYTE_LIMIT);
    expect(report.annotations).toHaveLength(10_000);
  });

  test("user content in an invalid file cannot mention anyone, inject HTML or open an HTML comment", async () => {
    // What core reports for a file with the key `"@octocat <img src=x> <!-- "` and account `"@octocat<b>x</b>"`.
    const key = "@octocat <img src=x> <!-- ";
    const diagnostics = [
      {
        file: "waybill/@octocat.yaml",
        line: 5,
        column: 5,
        path: `distributions[0]["${key}"]`,
        code: "unknown-key",
        severity: "error" as const,
        message: `unknown key '${key}' in Distribution`,
        hint: "known keys: region, @octocat",
      },
      {
        file: "waybill/web.yaml",
        line: 9,
        column: 19,
        path: "distributions[0].amiDistributionConfiguration.launchPermission.userIds[0]",
        code: "pattern-mismatch",
        severity: "error" as const,
        message: `'userIds[0]' must match pattern ^[0-9]{12}$, got "@octocat<b>x</b>"`,
      },
    ];
    const runner = fakeRunner({ plan: { status: "invalid", diagnostics } });
    const report = await runAction(deps({ runner, event: event("pull_request", "pull_request.json") }));
    const body = fake.comments(42)[0]?.body ?? "";
    expect(body).toContain("octocat");
    for (const text of [body, report.summaryMarkdown]) expectNoInjection(text);
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

  test("a conflict still posts the plan but fails the step, naming the configuration and its file", async () => {
    const runner = fakeRunner({
      plan: { status: "planned", plan: planReport([update, conflict]), diagnostics: [] },
    });
    const report = await runAction(deps({ runner, event: event("pull_request", "pull_request.json") }));
    expect(fake.comments()).toHaveLength(1);
    expect(report.conclusion).toBe("failure");
    expect(report.failureMessage).toContain("conflict legacy-base");
    expect(report.annotations).toContainEqual(
      expect.objectContaining({ level: "error", file: "waybill/legacy.yaml" }),
    );
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
          pruneAll: true,
          refresh: true,
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
      pruneAll: true,
      refresh: true,
      endpointUrl: "http://x",
    });
  });
});

describe("the policy's sharing approval", () => {
  // What approves, as the engine runner asks core's sharingGate (tested with real plans in
  // engine-runner.test.ts): here the label, or an approving review.
  const widening = {
    ...planReport([update]),
    approvalNeeded: {
      widening: 2,
      approves: 'the label "sharing-approved" or an approving review',
      reviewsApprove: true,
      approvedBy: ({ labels, approvingReviews }: { labels: readonly string[]; approvingReviews: number }) =>
        labels.includes("sharing-approved")
          ? 'the label "sharing-approved"'
          : approvingReviews > 0
            ? "an approving review"
            : undefined,
    },
  };
  /** The pull request's event after a label was added. */
  const labeled = (labels: string[]): ActionEvent => {
    const payload = JSON.parse(
      readFileSync(new URL("./fixtures/events/pull_request.json", import.meta.url), "utf8"),
    ) as { action: string; pull_request: { labels?: { name: string }[] } };
    payload.action = "labeled";
    payload.pull_request.labels = labels.map((name) => ({ name }));
    const result = readActionEvent("pull_request", payload, { ref: "refs/pull/42/merge", sha: mergeSha });
    if (!result.success) throw new Error(result.errors.join("\n"));
    return result.event;
  };

  test("a pull request's comment says the approval its plan needs before merge", async () => {
    const runner = fakeRunner({ plan: { status: "planned", plan: widening, diagnostics: [] } });
    await runAction(deps({ runner, event: event("pull_request", "pull_request.json") }));
    expect(fake.comments(42)[0]?.body).toContain(
      '**Approval needed**: This plan widens who may launch or receive the images (2 new grants): the policy\'s sharingApproval needs the label "sharing-approved" or an approving review on this pull request.',
    );
  });

  test("once the label is on the pull request, the re-plan's comment says the sharing is approved", async () => {
    const runner = fakeRunner({ plan: { status: "planned", plan: widening, diagnostics: [] } });
    await runAction(deps({ runner, event: labeled(["infra", "sharing-approved"]) }));
    const body = fake.comments(42)[0]?.body ?? "";
    expect(body).toContain(
      '**Sharing approved**: This plan widens who may launch or receive the images (2 new grants); it is approved by the label "sharing-approved" on this pull request',
    );
    expect(body).not.toContain("Approval needed");
    // The label approves: the reviews are not asked for.
    expect(fake.requests.filter((request) => request.path.endsWith("/reviews"))).toEqual([]);
  });

  test("an approving review approves it too; another label does not", async () => {
    fake.setPullRequestsForCommit("feedface".repeat(5), [
      { number: 42, state: "open", merged: false, reviews: [{ login: "alice", state: "APPROVED" }] },
    ]);
    const runner = fakeRunner({ plan: { status: "planned", plan: widening, diagnostics: [] } });
    await runAction(deps({ runner, event: labeled(["infra"]) }));
    expect(fake.comments(42)[0]?.body).toContain(
      "it is approved by an approving review on this pull request",
    );
  });

  test("a policy that counts only the label never asks for the reviews", async () => {
    const labelOnly = {
      ...widening,
      approvalNeeded: { ...widening.approvalNeeded, reviewsApprove: false },
    };
    const runner = fakeRunner({ plan: { status: "planned", plan: labelOnly, diagnostics: [] } });
    await runAction(deps({ runner, event: labeled(["infra"]) }));
    expect(fake.comments(42)[0]?.body).toContain("**Approval needed**");
    expect(fake.requests.filter((request) => request.path.endsWith("/reviews"))).toEqual([]);
  });

  test("without label or approving review the comment still says the approval is needed", async () => {
    fake.setPullRequestsForCommit("feedface".repeat(5), [
      { number: 42, state: "open", merged: false, reviews: [{ login: "alice", state: "COMMENTED" }] },
    ]);
    const runner = fakeRunner({ plan: { status: "planned", plan: widening, diagnostics: [] } });
    const report = await runAction(deps({ runner, event: labeled(["infra"]) }));
    const body = fake.comments(42).at(-1)?.body ?? "";
    // The check fails until approved (the alert itself: bundle.workflows.e2e.test.ts).
    expect(body).toContain("Approval needed");
    expect(body).not.toContain("Sharing approved");
    expect(report.conclusion).toBe("failure");
    expect(report.failureMessage).toMatch(/^Sharing approval needed: /);
  });

  test("the apply asks what the merged pull request shows: its labels and approving reviewers", async () => {
    fake.setPullRequestsForCommit(mergeSha, [
      {
        number: 42,
        state: "closed",
        merged: true,
        labels: ["sharing-approved", "infra"],
        reviews: [
          { login: "alice", state: "APPROVED" },
          { login: "bob", state: "APPROVED" },
          { login: "bob", state: "CHANGES_REQUESTED" },
          { login: "carol", state: "COMMENTED" },
        ],
      },
    ]);
    await reviewOn42(widening);
    const runner = fakeRunner({
      apply: { status: "applied", plan: widening, results: [applied(update, "ok")], diagnostics: [] },
    });
    const before = fake.requests.length;
    await runAction(deps({ runner, event: event("push", "push.json") }));
    // The label approves: the reviews are not asked for.
    expect(runner.evidence).toEqual([{ labels: ["sharing-approved", "infra"], approvingReviews: 0 }]);
    expect(fake.requests.slice(before).filter((request) => request.path.endsWith("/reviews"))).toEqual([]);
  });

  test("without the label, the apply counts the approving reviewers", async () => {
    fake.setPullRequestsForCommit(mergeSha, [
      {
        number: 42,
        state: "closed",
        merged: true,
        labels: ["infra"],
        reviews: [
          { login: "alice", state: "APPROVED" },
          { login: "bob", state: "APPROVED" },
          { login: "bob", state: "CHANGES_REQUESTED" },
          { login: "carol", state: "COMMENTED" },
        ],
      },
    ]);
    await reviewOn42(widening);
    const runner = fakeRunner({
      apply: { status: "applied", plan: widening, results: [applied(update, "ok")], diagnostics: [] },
    });
    await runAction(deps({ runner, event: event("push", "push.json") }));
    // bob's latest review requests changes; carol only commented.
    expect(runner.evidence).toEqual([{ labels: ["infra"], approvingReviews: 1 }]);
  });

  test("a refused apply changes nothing, fails the step and says why on the pull request", async () => {
    fake.setPullRequestsForCommit(mergeSha, [{ number: 42, state: "closed", merged: true }]);
    await reviewOn42(widening);
    const reason =
      'the plan widens who may launch or receive the images (2 new grants) and the policy\'s sharingApproval needs the label "sharing-approved" on the pull request, which it does not have';
    const runner = fakeRunner({ apply: { status: "refused", plan: widening, reason, diagnostics: [] } });
    const report = await runAction(deps({ runner, event: event("push", "push.json") }));
    expect(report.conclusion).toBe("failure");
    expect(report.failureMessage).toBe(`Not applied: ${reason}.`);
    const reply = fake.comments(42).at(-1)?.body ?? "";
    expect(reply).toMatch(/^<!-- waybill:plan key=apply%3Adefault /);
    expect(reply).toContain("> [!CAUTION]");
    expect(reply).toContain("Nothing was changed.");
    expect(report.summaryMarkdown).toContain("The plan that was not applied");
  });
});

describe("push to the default branch", () => {
  test("with rollout: true, a successful apply is followed by the rollout, in the summary; a failed target fails the step", async () => {
    const applyOutcome = {
      status: "applied" as const,
      plan: planReport([update]),
      results: [applied(update, "ok")],
      diagnostics: [],
    };
    const done = fakeRunner({
      apply: applyOutcome,
      rollout: { status: "done", lines: ["ok: web-golden 1.0.0/1 → eu-west-1 (123456789012)"], failed: 0 },
    });
    const report = await runAction(
      deps({ runner: done, event: event("push", "push.json"), inputs: inputs({ rollout: true }) }),
    );
    expect(done.requests.map((r) => r.kind)).toEqual(["apply", "rollout"]);
    expect(report.conclusion).toBe("success");
    expect(report.summaryMarkdown).toContain("**Rollout**");
    expect(report.summaryMarkdown).toContain("web-golden 1.0.0/1 → eu-west-1 (123456789012)");

    const failing = fakeRunner({
      apply: applyOutcome,
      rollout: {
        status: "done",
        lines: ["failed: web-golden 1.0.0/1 → eu-west-1: FAILED: copy failed"],
        failed: 1,
      },
    });
    const failed = await runAction(
      deps({ runner: failing, event: event("push", "push.json"), inputs: inputs({ rollout: true }) }),
    );
    expect(failed.conclusion).toBe("failure");
    expect(failed.failureMessage).toContain("the rollout failed for 1 image");

    // Without the input, no rollout.
    const off = fakeRunner({ apply: applyOutcome });
    await runAction(deps({ runner: off, event: event("push", "push.json") }));
    expect(off.requests.map((r) => r.kind)).toEqual(["apply"]);
  });

  test("applies, writes the summary and replies on the merged pull request", async () => {
    fake.setPullRequestsForCommit(mergeSha, [{ number: 42, state: "closed", merged: true }]);
    await reviewOn42(planReport([update, create]));
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
    const reply = fake.comments(42).at(-1);
    // The reply's key is apply:<comment-key>, apply:default without one (docs/action.md).
    expect(reply?.body).toMatch(/^<!-- waybill:plan key=apply%3Adefault sha=[0-9a-f]{64} -->\n/);
    expect(reply?.body).toContain('### Waybill apply for stack "platform"');
    // Names and regions with non-breaking hyphens (U+2011): a narrow column never wraps inside them.
    expect(reply?.body).toContain("`web\u2011base` (us\u2011west\u20112) | update | ok");
    expect(report.summaryMarkdown).toContain("`db\u2011base` (eu\u2011west\u20111) | create | ok");
  });

  test("re-running a successful apply keeps the pull request's record of what was applied", async () => {
    fake.setPullRequestsForCommit(mergeSha, [{ number: 42, state: "closed", merged: true }]);
    await reviewOn42(planReport([update]));
    const first = fakeRunner({
      apply: {
        status: "applied",
        plan: planReport([update]),
        results: [applied(update, "ok")],
        diagnostics: [],
      },
    });
    await runAction(deps({ runner: first, event: event("push", "push.json") }));
    const recorded = fake.comments(42);
    // the plan comment, then the reply
    expect(recorded).toHaveLength(2);
    expect(recorded[1]?.body).toContain("`web\u2011base` (us\u2011west\u20112) | update | ok");

    const rerun = fakeRunner({
      apply: { status: "applied", plan: planReport([unchanged]), results: [], diagnostics: [] },
    });
    const report = await runAction(deps({ runner: rerun, event: event("push", "push.json") }));
    expect(report.conclusion).toBe("success");
    expect(fake.comments(42)).toEqual(recorded);
    expect(report.outputs["comment-url"]).toContain(`#issuecomment-${recorded[1]?.id}`);
    expect(report.summaryMarkdown).toContain(
      "Nothing was applied this time: the reply on #42 keeps its record of the apply that made these changes.",
    );
  });

  test("applies the rest but fails the step when a configuration is in conflict", async () => {
    fake.setPullRequestsForCommit(mergeSha, [{ number: 42, state: "closed", merged: true }]);
    await reviewOn42(planReport([update, conflict]));
    const runner = fakeRunner({
      apply: {
        status: "applied",
        plan: planReport([update, conflict]),
        results: [applied(update, "ok"), applied(conflict, "skipped")],
        diagnostics: [],
      },
    });
    const report = await runAction(deps({ runner, event: event("push", "push.json") }));
    expect(report.outputs["failed-count"]).toBe("0");
    expect(report.conclusion).toBe("failure");
    expect(report.failureMessage).toMatch(/1 configuration is in conflict[\s\S]*legacy-base/);
  });

  test("replies only on a merged pull request, preferring the one the pushed commit merged", async () => {
    fake.setPullRequestsForCommit(mergeSha, [
      { number: 7, state: "open", merged: false },
      { number: 41, state: "closed", merged: true, mergeCommitSha: "1".repeat(40) },
      { number: 42, state: "closed", merged: true, mergeCommitSha: mergeSha },
    ]);
    await reviewOn42(planReport([update]));
    const runner = fakeRunner({
      apply: {
        status: "applied",
        plan: planReport([update]),
        results: [applied(update, "ok")],
        diagnostics: [],
      },
    });
    const report = await runAction(deps({ runner, event: event("push", "push.json") }));
    // the plan comment, then the reply
    expect(fake.comments().map((c) => c.issueNumber)).toEqual([42, 42]);
    expect(report.outputs["comment-url"]).toContain("/pull/42#");
  });

  test("an open, unmerged pull request containing the commit gets no reply", async () => {
    fake.setPullRequestsForCommit(mergeSha, [{ number: 7, state: "open", merged: false }]);
    const runner = fakeRunner({
      apply: {
        status: "applied",
        plan: planReport([update]),
        results: [applied(update, "ok")],
        diagnostics: [],
      },
    });
    const report = await runAction(deps({ runner, event: event("push", "push.json") }));
    expect(report.conclusion).toBe("success");
    expect(fake.comments()).toEqual([]);
    expect(fake.requests.filter((r) => r.method !== "GET")).toEqual([]);
  });

  test("applies the reviewed plan and links it; a plan that changed since review is refused and says what differs", async () => {
    await reviewOn42(planReport([update]));
    const planUrl = `https://github.com/acme/image-distribution/pull/42#issuecomment-${fake.comments(42)[0]?.id}`;
    fake.setPullRequestsForCommit(mergeSha, [
      { number: 42, state: "closed", merged: true, mergeCommitSha: mergeSha },
    ]);
    const other = planReport([update, create]);
    const refusing = fakeRunner({
      apply: { status: "applied", plan: other, results: [], diagnostics: [] },
    });
    const refused = await runAction(deps({ runner: refusing, event: event("push", "push.json") }));
    expect(refused.conclusion).toBe("failure");
    expect(refused.failureMessage).toContain("Not applied: the plan differs from the one reviewed on #42.");
    expect(refused.failureMessage).toContain("- not in the reviewed plan: create db-base (eu-west-1)");
    const reply = fake.comments(42)[1]?.body ?? "";
    expect(reply).toContain("> [!CAUTION]");
    expect(reply).toContain(`[reviewed on #42](${planUrl})`);
    expect(reply).toContain("on-plan-change: apply");
    expect(refused.outputs.summary).toBe("Not applied: the plan differs from the one reviewed on #42.");

    // The same plan (again, as on a re-run): applied, with the link to what was reviewed.
    const same = fakeRunner({
      apply: {
        status: "applied",
        plan: planReport([update]),
        results: [applied(update, "ok")],
        diagnostics: [],
      },
    });
    const before = fake.requests.length;
    const report = await runAction(deps({ runner: same, event: event("push", "push.json") }));
    expect(report.conclusion).toBe("success");
    // pulls of the commit, the comments for the reviewed plan, the token's user once, the comments for the reply, the reply
    expect(fake.requests.slice(before).map((r) => `${r.method} ${r.path.split("/").slice(-1)[0]}`)).toEqual([
      "GET pulls",
      "GET comments",
      "GET user",
      "GET comments",
      `PATCH ${String(fake.comments(42)[1]?.id)}`,
    ]);
    const applied2 = fake.comments(42)[1]?.body ?? "";
    expect(applied2).toContain("**Applied: 1 change done, 0 failed, 0 skipped.**");
    expect(applied2).toContain(`Applied the plan [reviewed on #42](${planUrl}).`);
  });

  test("with on-plan-change: apply, a changed plan is applied with a warning that lists what was not reviewed", async () => {
    await reviewOn42(planReport([update]));
    fake.setPullRequestsForCommit(mergeSha, [
      { number: 42, state: "closed", merged: true, mergeCommitSha: mergeSha },
    ]);
    const runner = fakeRunner({
      apply: {
        status: "applied",
        plan: planReport([update, create]),
        results: [applied(update, "ok"), applied(create, "ok")],
        diagnostics: [],
      },
    });
    const report = await runAction(
      deps({ runner, event: event("push", "push.json"), inputs: inputs({ onPlanChange: "apply" }) }),
    );
    expect(report.conclusion).toBe("success");
    const note = "The plan changed since review and was applied anyway";
    expect(fake.comments(42)[1]?.body).toContain(note);
    expect(report.summaryMarkdown).toContain(note);
    expect(report.annotations.some((a) => a.message.includes("create db-base (eu-west-1)"))).toBe(true);
  });

  test("a merged pull request without a plan comment: nothing is applied", async () => {
    fake.setPullRequestsForCommit(mergeSha, [
      { number: 42, state: "closed", merged: true, mergeCommitSha: mergeSha },
    ]);
    const runner = fakeRunner({
      apply: { status: "applied", plan: planReport([update]), results: [], diagnostics: [] },
    });
    const report = await runAction(deps({ runner, event: event("push", "push.json") }));
    expect(report.conclusion).toBe("failure");
    expect(report.failureMessage).toContain(
      "Not applied: no reviewed plan was found (pull request #42 has no Waybill plan comment).",
    );
  });

  test("GitHub failing to say which pull request the push came from (502): nothing is applied", async () => {
    await reviewOn42(planReport([update]));
    fake.setPullRequestsForCommit(mergeSha, [
      { number: 42, state: "closed", merged: true, mergeCommitSha: mergeSha },
    ]);
    fake.failRoute("/pulls", 502);
    const runner = fakeRunner({
      apply: { status: "applied", plan: planReport([update, create]), results: [], diagnostics: [] },
    });
    const report = await runAction(deps({ runner, event: event("push", "push.json") }));
    expect(report.conclusion).toBe("failure");
    expect(report.failureMessage).toContain(
      "Not applied: no reviewed plan was found (GitHub could not say which pull request",
    );
    expect(report.outputs["has-changes"]).toBe("true");
  });

  test("comment: false still compares with the merged pull request's plan comment, and only stops writing", async () => {
    await reviewOn42(planReport([update]));
    fake.setPullRequestsForCommit(mergeSha, [
      { number: 42, state: "closed", merged: true, mergeCommitSha: mergeSha },
    ]);
    const changed = fakeRunner({
      apply: { status: "applied", plan: planReport([update, create]), results: [], diagnostics: [] },
    });
    const refused = await runAction(
      deps({ runner: changed, event: event("push", "push.json"), inputs: inputs({ comment: false }) }),
    );
    expect(refused.conclusion).toBe("failure");
    expect(refused.failureMessage).toContain("Not applied: the plan differs from the one reviewed on #42.");
    expect(fake.comments(42)).toHaveLength(1);
    expect(fake.requests.filter((r) => r.method !== "GET" && r.path.includes("/42/"))).toHaveLength(1);

    const same = fakeRunner({
      apply: {
        status: "applied",
        plan: planReport([update]),
        results: [applied(update, "ok")],
        diagnostics: [],
      },
    });
    const report = await runAction(
      deps({ runner: same, event: event("push", "push.json"), inputs: inputs({ comment: false }) }),
    );
    expect(report.conclusion).toBe("success");
    expect(report.summaryMarkdown).toContain("Applied the plan [reviewed on #42]");
  });

  test("with rollout: true, a rollout that cannot run keeps the apply's report and outputs and fails the step", async () => {
    const runner = fakeRunner({
      apply: {
        status: "applied",
        plan: planReport([update]),
        results: [applied(update, "ok")],
        diagnostics: [],
      },
    });
    const report = await runAction(
      deps({ runner, event: event("push", "push.json"), inputs: inputs({ rollout: true }) }),
    );
    expect(runner.requests.map((r) => r.kind)).toEqual(["apply", "rollout"]);
    expect(report.conclusion).toBe("failure");
    expect(report.failureMessage).toContain(
      "Applied, but the rollout could not run: fakeRunner: no rollout outcome given",
    );
    expect(report.outputs.summary).toBe("Applied: 1 change done, 0 failed, 0 skipped.");
    expect(report.outputs["failed-count"]).toBe("0");
    expect(report.summaryMarkdown).toContain("**Rollout** could not run");
  });

  test('a long result list is cut with an "… and N more" line; the summary stays within 1 MiB', async () => {
    const many = Array.from({ length: 20_000 }, (_, i): PlannedChange => ({ ...create, name: `c-${i}` }));
    fake.setPullRequestsForCommit(mergeSha, [
      { number: 42, state: "closed", merged: true, mergeCommitSha: mergeSha },
    ]);
    await reviewOn42(planReport(many, 400_000, "€"));
    const runner = fakeRunner({
      apply: {
        status: "applied",
        plan: planReport(many, 400_000, "€"),
        results: many.map((change) => applied(change, "failed", `ValidationException: ${"ü".repeat(40)}`)),
        diagnostics: [],
      },
    });
    const report = await runAction(deps({ runner, event: event("push", "push.json") }));
    expect(Buffer.byteLength(report.summaryMarkdown)).toBeLessThanOrEqual(SUMMARY_BYTE_LIMIT);
    expect(report.summaryMarkdown).toMatch(/… and \d+ more results/);
    expect(report.summaryMarkdown).toContain("The plan that was applied");
    const reply = fake.comments(42).at(-1)?.body ?? "";
    expect(reply.length).toBeLessThanOrEqual(65_536);
    expect(reply).toMatch(/… and \d+ more results/);
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
    expect(report.summaryMarkdown).toContain("**Drift: 1 configuration differs from the repository.**");
    expect(report.outputs.summary).toBe("Drift: 1 configuration differs from the repository.");
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
    expect(report.summaryMarkdown).toContain("**No drift: live state matches the repository.**");
    expect(report.outputs).toMatchObject({
      "has-changes": "false",
      summary: "No drift: live state matches the repository.",
    });
  });

  test("puts the image status (its line and the missing targets) in the summary", async () => {
    const runner = fakeRunner({
      plan: { status: "planned", plan: planReport([unchanged]), diagnostics: [] },
      status: {
        status: "read",
        headline: "1 configuration, 1 pipeline: 1 present, 1 missing, 0 extra",
        missing: ["web-base (us-west-2): web-golden 1.0.0/1 is not in eu-west-1 (123456789012)"],
      },
    });
    const report = await runAction(
      deps({
        runner,
        event: event("schedule", "schedule.json"),
        inputs: inputs({ statusHtml: "status.html" }),
      }),
    );
    expect(runner.requests.map((r) => r.kind)).toEqual(["plan", "status"]);
    expect(report.conclusion).toBe("success");
    expect(report.summaryMarkdown).toContain("**Images:** 1 configuration, 1 pipeline");
    expect(report.summaryMarkdown).toContain("web-golden 1.0.0/1 is not in eu-west-1 (123456789012)");
  });
});

test("a runner failure fails the step with its message", async () => {
  const runner = fakeRunner({});
  const report = await runAction(deps({ runner, event: event("schedule", "schedule.json") }));
  expect(report.conclusion).toBe("failure");
  expect(report.failureMessage).toBe("Waybill could not drift: fakeRunner: no plan outcome given");
});
