// The example workflow (docs/workflows/waybill.yml) as written, through the bundle: its plan job on
// a pull request, then its apply job on the merge push, against the fake GitHub API and the
// emulator. The apply runs only the plan the pull request's comment showed.
import { readFileSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Emulator, startEmulator } from "@waybill/emulator";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { githubHtml, htmlText, topBlocks } from "../../../../packages/core/src/testing/github-markdown.js";
import { createEngineRunner } from "../engine-runner.js";
import { type FakeGitHub, startFakeGitHub } from "../testing/fake-github-server.js";
import { aRunRequest } from "../testing/inputs.js";
import { copyFixtureRepository, runBundle } from "./run-bundle.js";

const aws = {
  AWS_ACCESS_KEY_ID: "AKIAEXAMPLEE2E000002",
  AWS_SECRET_ACCESS_KEY: "e2e-secret-access-key-never-printed",
  AWS_REGION: "us-west-2",
};
const mergeSha = "c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff";

interface WorkflowStep {
  uses?: string;
  with?: Record<string, unknown>;
}
const workflow = parse(
  readFileSync(new URL("../../../../docs/workflows/waybill.yml", import.meta.url), "utf8"),
) as { jobs: Record<string, { steps: WorkflowStep[] }> };

/** The Waybill step's inputs in `job` of the example workflow, as written. */
function workflowInputs(job: string): Record<string, string> {
  const step = workflow.jobs[job]?.steps.find((candidate) => candidate.uses?.includes("/apps/action@"));
  if (step === undefined) throw new Error(`no Waybill step in job ${job}`);
  return Object.fromEntries(Object.entries(step.with ?? {}).map(([name, value]) => [name, String(value)]));
}

let emulator: Emulator;
let github: FakeGitHub;
let workspace: string;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  emulator.reset();
  github = await startFakeGitHub();
  workspace = await copyFixtureRepository("repo");
});
afterEach(async () => {
  await github.close();
  await rm(workspace, { recursive: true, force: true });
});

function job(name: "plan" | "apply", extra: Record<string, string> = {}) {
  const push = name === "apply";
  return runBundle({
    eventName: push ? "push" : "pull_request",
    eventFile: push ? "push.json" : "pull_request.json",
    workspace,
    githubApiUrl: github.url,
    ...(push ? { sha: mergeSha, ref: "refs/heads/main" } : {}),
    inputs: {
      "github-token": "ghs_e2e_token",
      "endpoint-url": emulator.url,
      ...workflowInputs(name),
      ...extra,
    },
    env: aws,
  });
}

/** What is live before the pull request: both configurations, applied by an earlier merge. */
async function seedLive() {
  const seeded = await job("apply");
  expect(seeded.exitCode, seeded.stdout + seeded.stderr).toBe(0);
  expect(liveNames()).toEqual(["db-base", "web-base"]);
}

const liveNames = () =>
  emulator
    .snapshot()
    .configurations.map((configuration: { name: string }) => configuration.name)
    .sort();
const liveDescription = (name: string) =>
  emulator.snapshot().configurations.find((configuration: { name: string }) => configuration.name === name)
    ?.description;

/** The last comment on #42 as GitHub shows it: its text, rendered as GitHub renders markdown. */
const lastReplyText = () => htmlText(githubHtml(github.comments(42).at(-1)?.body ?? ""));

function mergedAs42(labels: string[] = []) {
  github.setPullRequestsForCommit(mergeSha, [
    { number: 42, state: "closed", merged: true, mergeCommitSha: mergeSha, labels },
  ]);
}

describe("docs/workflows/waybill.yml, as written", () => {
  test("both jobs give the action the same settings: nothing that changes a plan is given to one job only", () => {
    const { "comment-key": _planKey, ...plan } = workflowInputs("plan");
    const { "comment-key": _applyKey, ...apply } = workflowInputs("apply");
    expect(apply).toEqual(plan);
    expect(Object.keys(apply)).not.toContain("prune");
  });

  test("a pull request that removes a file: the review says the delete is reported only, and the merge deletes nothing", async () => {
    await seedLive();
    await rm(join(workspace, "waybill/db-base.yaml"));
    const plan = await job("plan");
    expect(plan.exitCode, plan.stdout + plan.stderr).toBe(0);
    expect(github.comments(42)[0]?.body).toMatch(/reported only/);

    mergedAs42();
    const apply = await job("apply");
    expect(apply.exitCode, apply.stdout + apply.stderr).toBe(0);
    expect(liveNames()).toEqual(["db-base", "web-base"]);
    const reply = github.comments(42).at(-1)?.body ?? "";
    expect(reply).toMatch(
      /Applied the plan \[reviewed on #42\]\(https:\/\/github\.com\/.*#issuecomment-\d+\)/,
    );
  });

  test("the earlier example (prune: true on the apply job only): a delete not in the reviewed plan, refused, nothing deleted", async () => {
    await seedLive();
    await rm(join(workspace, "waybill/db-base.yaml"));
    await job("plan");
    mergedAs42();
    const apply = await job("apply", { prune: "true" });
    expect(apply.exitCode).toBe(1);
    expect(liveNames()).toEqual(["db-base", "web-base"]);
    expect(apply.stdout).toContain("::error::Not applied: the plan differs from the one reviewed on #42.");
    expect(github.comments(42).at(-1)?.body).toContain("> [!CAUTION]");
    const reply = lastReplyText();
    expect(reply).toContain("prune: the reviewed plan was made with prune off, this apply has prune on");
    expect(reply).toContain(
      "delete db-base (us-west-2): the reviewed plan had delete db-base (us-west-2) (reported only)",
    );
    expect(apply.outputs.summary).toBe("Not applied: the plan differs from the one reviewed on #42.");
    expect(apply.outputs["failed-count"]).toBe("0");
  });

  test("a change made outside between review and merge: refused, and the outside change is not reverted; on-plan-change: apply applies it", async () => {
    await seedLive();
    const web = join(workspace, "waybill/web-base.yaml");
    await writeFile(web, (await readFile(web, "utf8")).replace("Golden web AMI", "Golden web AMI, v2"));
    const plan = await job("plan");
    expect(plan.exitCode, plan.stdout + plan.stderr).toBe(0);

    // Someone changes db-base outside the repository (another checkout of the same stack).
    const outside = await copyFixtureRepository("repo");
    try {
      const db = join(outside, "waybill/db-base.yaml");
      await writeFile(db, (await readFile(db, "utf8")).replace("Golden database AMI", "Changed outside"));
      const changed = await createEngineRunner({
        root: outside,
        env: { ...aws, AWS_ENDPOINT_URL_IMAGEBUILDER: emulator.url },
      }).apply(aRunRequest());
      expect(changed.status).toBe("applied");
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
    expect(liveDescription("db-base")).toBe("Changed outside");

    mergedAs42();
    const refused = await job("apply");
    expect(refused.exitCode).toBe(1);
    expect(liveDescription("db-base")).toBe("Changed outside");
    expect(liveDescription("web-base")).toBe("Golden web AMI");
    const reply = lastReplyText();
    expect(reply).toContain("not in the reviewed plan: update db-base (us-west-2)");
    expect(reply).toContain("on-plan-change: apply");

    const forced = await job("apply", { "on-plan-change": "apply" });
    expect(forced.exitCode, forced.stdout + forced.stderr).toBe(0);
    expect(liveDescription("db-base")).toBe("Golden database AMI");
    expect(liveDescription("web-base")).toBe("Golden web AMI, v2");
    expect(forced.stdout).toMatch(/^::warning::The plan changed since review and was applied anyway/m);
    expect(github.comments(42).at(-1)?.body).toContain(
      "The plan changed since review and was applied anyway",
    );
  });
});

describe("an emptied repository never means delete everything", () => {
  test("files holding no configuration: the plan and the apply stop with no-configurations, nothing deleted; prune-all deletes the stack", async () => {
    await seedLive();
    await writeFile(join(workspace, "waybill/web-base.yaml"), "# moved to another repository\n");
    await writeFile(join(workspace, "waybill/db-base.yaml"), "---\n---\n");
    const plan = await job("plan");
    expect(plan.exitCode).toBe(1);
    expect(plan.stdout).toMatch(/^::error title=waybill no-configurations/m);
    expect(plan.outputs).toMatchObject({ "has-changes": "unknown" });
    mergedAs42();
    const apply = await job("apply", { prune: "true" });
    expect(apply.exitCode).toBe(1);
    expect(liveNames()).toEqual(["db-base", "web-base"]);

    // The separately named confirmation, given to both jobs: reviewed, then applied.
    const reviewed = await job("plan", { "prune-all": "true" });
    expect(reviewed.exitCode, reviewed.stdout + reviewed.stderr).toBe(0);
    expect(reviewed.outputs["delete-count"]).toBe("2");
    const pruned = await job("apply", { "prune-all": "true" });
    expect(pruned.exitCode, pruned.stdout + pruned.stderr).toBe(0);
    expect(liveNames()).toEqual([]);
  });
});

describe("the sharing gate asks GitHub only for what the policy counts", () => {
  async function gate(policy: string) {
    await writeFile(
      join(workspace, "waybill.config.yaml"),
      `stack: images-e2e\ndefaultRegion: us-west-2\npolicy:\n  sharingApproval:\n${policy}`,
    );
  }
  const reviewRequests = () => github.requests.filter((request) => request.path.endsWith("/reviews"));

  test("a label-only gate: the reviews are never listed, so their failing (502) does not stop an approved apply", async () => {
    await gate("    label: sharing-approved\n");
    github.failRoute("/reviews", 502);
    const plan = await job("plan");
    // Not approved yet: an IMPORTANT alert right under the headline, and the check fails.
    expect(plan.exitCode).toBe(1);
    expect(plan.stdout).toMatch(/^::error::Sharing approval needed: /m);
    const html = githubHtml(github.comments(42)[0]?.body ?? "");
    const blocks = topBlocks(html);
    expect(blocks[0]?.tag).toBe("h3");
    expect(blocks[1]?.text).toBe(plan.outputs.summary);
    expect(blocks.slice(2, 5).map((block) => block.text)).toContainEqual(
      expect.stringMatching(/^\[!IMPORTANT\]\nApproval needed$/),
    );
    expect(html).toMatch(/<blockquote>\n<p>\[!IMPORTANT\]\n<strong>Approval needed<\/strong><\/p>/);
    mergedAs42(["sharing-approved"]);
    const apply = await job("apply");
    expect(apply.exitCode, apply.stdout + apply.stderr).toBe(0);
    expect(liveNames()).toEqual(["db-base", "web-base"]);
    expect(reviewRequests()).toEqual([]);
    expect(lastReplyText()).toContain('Wider sharing approved by the label "sharing-approved"');
  });

  test("a gate that counts reviews too: not asked when the label approves; asked, and its failure an error, when it is needed", async () => {
    await gate("    label: sharing-approved\n    approvingReview: true\n");
    github.failRoute("/reviews", 502);
    // The pull request's own event shows no such label: its comment asks for the reviews, and
    // their failure only leaves the comment saying "Approval needed".
    const plan = await job("plan");
    expect(plan.exitCode).toBe(1);
    expect(github.comments(42)[0]?.body).toContain("Approval needed");
    mergedAs42(["sharing-approved"]);
    const asked = reviewRequests().length;
    const byLabel = await job("apply");
    expect(byLabel.exitCode, byLabel.stdout + byLabel.stderr).toBe(0);
    expect(reviewRequests().length).toBe(asked);

    emulator.reset();
    await job("plan");
    mergedAs42(["infra"]);
    const before = reviewRequests().length;
    const needed = await job("apply");
    expect(needed.exitCode).toBe(1);
    expect(reviewRequests().length).toBeGreaterThan(before);
    expect(needed.stdout).toMatch(
      /::error::Waybill could not apply: .*502|::error::Waybill could not apply: .*Server Error/,
    );
    expect(liveNames()).toEqual([]);
  });
});
