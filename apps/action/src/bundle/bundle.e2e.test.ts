// The bundled action end to end: dist/index.js run as GitHub runs it, against the fake GitHub API and the emulator.
import { readFileSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_ACCOUNT_ID, type Emulator, startEmulator } from "@waybill/emulator";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { parse } from "yaml";
import {
  elementNames,
  githubHtml,
  topBlocks,
} from "../../../../packages/core/src/testing/github-markdown.js";
import { type FakeGitHub, startFakeGitHub } from "../testing/fake-github-server.js";
import { expectNoInjection } from "../testing/markdown-safety.js";
import { type BundleRunOptions, copyFixtureRepository, runBundle } from "./run-bundle.js";

const aws = {
  AWS_ACCESS_KEY_ID: "AKIAEXAMPLEE2E000001",
  AWS_SECRET_ACCESS_KEY: "e2e-secret-access-key-never-printed",
  AWS_REGION: "us-west-2",
};
const mergeSha = "c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff";

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

/** `withoutAws` plays a run that got no AWS credentials (a fork's: no secrets, no OIDC token). */
function run(
  eventName: string,
  eventFile: string,
  options: Partial<BundleRunOptions> & { withoutAws?: boolean } = {},
) {
  const { withoutAws, ...rest } = options;
  return runBundle({
    eventName,
    eventFile,
    workspace,
    githubApiUrl: github.url,
    ...rest,
    inputs: { "github-token": "ghs_e2e_token", "endpoint-url": emulator.url, ...rest.inputs },
    env: { ...(withoutAws ? {} : aws), ...rest.env },
  });
}

const declaredOutputs = Object.keys(
  (parse(readFileSync(new URL("../../action.yml", import.meta.url), "utf8")) as { outputs: object }).outputs,
);

/**
 * The outputs match action.yml: only declared ones, `has-changes` one of its three values, and
 * `summary` the headline, word for word: the first paragraph of `markdown` (the comment or the job
 * summary) as GitHub shows it.
 */
function expectOutputsAsDeclared(result: { outputs: Record<string, string> }, markdown: string) {
  expect(Object.keys(result.outputs).filter((name) => !declaredOutputs.includes(name))).toEqual([]);
  expect(["true", "false", "unknown"]).toContain(result.outputs["has-changes"]);
  const headline = topBlocks(githubHtml(markdown)).find((block) => block.tag === "p")?.text ?? "";
  const summary = result.outputs.summary ?? "";
  const shown = headline.replace("[!CAUTION]", "").trim();
  expect(summary).not.toBe("");
  expect(shown.slice(0, summary.length)).toBe(summary);
}

const liveNames = () =>
  emulator
    .snapshot()
    .configurations.map((configuration: { name: string }) => configuration.name)
    .sort();

describe("pull_request", () => {
  test("creates the plan comment, then updates it (not a second one) on the next push", async () => {
    const first = await run("pull_request", "pull_request.json");
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    expect(first.outputs["has-changes"]).toBe("true");
    expect(first.outputs["create-count"]).toBe("2");
    const [comment] = github.comments(42);
    expect(comment?.authorLogin).toBe("github-actions[bot]");
    expect(comment?.body).toMatch(
      /^<!-- waybill:plan key=default sha=[0-9a-f]{64} live=sha256:[0-9a-f]{64} -->\n<!-- waybill:review sha=[0-9a-f]{64} -->\n/,
    );
    expect(comment?.body).toContain("web-base");
    expect(first.summary).toContain("web-base");
    // As GitHub renders it: the stack in the heading, the headline (the summary output, word for
    // word), what merging does, then the sharing summary; only the renderer's own elements.
    const html = githubHtml(comment?.body ?? "");
    expect(topBlocks(html).slice(0, 5)).toEqual([
      { tag: "h3", text: 'Waybill plan for stack "images-e2e"' },
      { tag: "p", text: first.outputs.summary },
      { tag: "p", text: "Merging applies 2 changes; prune is off." },
      { tag: "p", text: "Sharing · AMI copies per build: 0 → 3" },
      { tag: "ul", text: expect.stringContaining("may launch") },
    ]);
    expect(elementNames(html)).toEqual([
      "a",
      "code",
      "details",
      "h3",
      "li",
      "p",
      "pre",
      "strong",
      "sub",
      "summary",
      "table",
      "tbody",
      "td",
      "th",
      "thead",
      "tr",
      "ul",
    ]);
    const planJson = JSON.parse(await readFile(first.outputs["plan-json"] ?? "", "utf8"));
    expect(planJson.version).toBe(3);
    expect(planJson.sharing.added.length).toBeGreaterThan(0);
    // planning never writes
    expect(liveNames()).toEqual([]);

    await rm(join(workspace, "waybill/db-base.yaml"));
    const second = await run("pull_request", "pull_request.json");
    expect(second.exitCode, second.stdout + second.stderr).toBe(0);
    const comments = github.comments(42);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.id).toBe(comment?.id);
    expect(comments[0]?.body).not.toContain("db-base");
    expect(github.requests.filter((r) => r.method === "PATCH")).toHaveLength(1);
  });

  test("leaves alone a comment by another author that carries the same marker", async () => {
    const impostor = github.addComment({
      owner: "acme",
      repo: "image-distribution",
      issueNumber: 42,
      body: `<!-- waybill:plan key=default sha=${"0".repeat(64)} -->\n### Waybill plan\n\nNo changes (or so says mallory).`,
      authorLogin: "mallory",
    });
    for (let push = 0; push < 2; push++) {
      const result = await run("pull_request", "pull_request.json");
      expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    }
    const comments = github.comments(42);
    expect(comments).toHaveLength(2);
    expect(comments[0]).toEqual(impostor);
    expect(comments[1]?.authorLogin).toBe("github-actions[bot]");
    expect(github.requests.filter((r) => r.method === "PATCH").map((r) => r.path)).toEqual([
      `/repos/acme/image-distribution/issues/comments/${comments[1]?.id}`,
    ]);
  });

  test("with no changes the comment says so", async () => {
    await run("push", "push.json", { sha: mergeSha, ref: "refs/heads/main" });
    const result = await run("pull_request", "pull_request.json");
    expect(result.outputs["has-changes"]).toBe("false");
    expect(result.outputs.summary).toMatch(/^No changes/);
    expect(github.comments(42).at(-1)?.body).toContain("No changes");
    expectOutputsAsDeclared(result, github.comments(42).at(-1)?.body ?? "");
  });

  test("a plan over 65,536 characters is posted truncated, never rejected", async () => {
    const yaml = (i: number) =>
      [
        `name: bulk-${String(i).padStart(3, "0")}`,
        `description: ${"A long description to make the plan large. ".repeat(8).trim()}`,
        "distributions:",
        ...["us-west-2", "us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2"].flatMap((region) => [
          `  - region: ${region}`,
          "    amiDistributionConfiguration:",
          `      name: "bulk-${i} {{imagebuilder:buildDate}}"`,
          '      launchPermission: { userIds: ["111111111111", "222222222222", "333333333333"] }',
        ]),
      ].join("\n");
    await Promise.all(
      Array.from({ length: 120 }, (_, i) => writeFile(join(workspace, `waybill/bulk-${i}.yaml`), yaml(i))),
    );
    const result = await run("pull_request", "pull_request.json");
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const [comment] = github.comments(42);
    const body = comment?.body ?? "";
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.length).toBeGreaterThan(30_000);
    // still found again next time: the marker is the first line
    expect(body).toMatch(/^<!-- waybill:plan key=default sha=[0-9a-f]{64} live=sha256:[0-9a-f]{64} -->\n/);
    // and the reader is told it is cut and where the rest is
    expect(body).toMatch(/> \*\*(Note|Truncated):\*\* .*(too long|left out)/);
    expect(result.summary.length).toBeGreaterThan(65_536);
    expect(result.summary).toContain("bulk-119");
    expect(github.requests.filter((r) => r.method === "POST")).toHaveLength(1);

    // the next push edits that comment rather than posting another
    await rm(join(workspace, "waybill/bulk-0.yaml"));
    const second = await run("pull_request", "pull_request.json");
    expect(second.exitCode, second.stdout + second.stderr).toBe(0);
    const comments = github.comments(42);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.id).toBe(comment?.id);
    expect(comments[0]?.body).not.toBe(body);
    expect(github.requests.filter((r) => r.method === "POST")).toHaveLength(1);
    expect(github.requests.filter((r) => r.method === "PATCH")).toHaveLength(1);
  });

  test("invalid configurations: a comment and annotations with file and line, and the step fails", async () => {
    await rm(workspace, { recursive: true, force: true });
    workspace = await copyFixtureRepository("invalid-repo");
    const result = await run("pull_request", "pull_request.json");
    expect(result.exitCode).toBe(1);
    const errors = result.stdout.split("\n").filter((line) => line.startsWith("::error "));
    expect(errors).toEqual([
      expect.stringMatching(/^::error title=waybill [a-z-]+,file=waybill\/db-base\.yaml,line=7,col=\d+::/),
      expect.stringMatching(/^::error title=waybill unknown-key,file=waybill\/web-base\.yaml,line=7,col=7::/),
    ]);
    const body = github.comments(42)[0]?.body ?? "";
    expect(body).toContain("`waybill/web-base.yaml:7:7`");
    expect(body).toMatch(/`waybill\/db-base\.yaml:7:\d+`/);
    expect(body).toContain("launchPermissions");
    expect(result.outputs).toMatchObject({
      "has-changes": "unknown",
      summary: "2 errors in the configuration files: nothing was planned.",
    });
    expectOutputsAsDeclared(result, body);
    expectOutputsAsDeclared(result, result.summary);
  });

  test("from a fork, without AWS credentials: validates only, says why in the summary, no comment, the step succeeds", async () => {
    github.readOnly = true;
    const result = await run("pull_request", "pull_request-fork.json", { withoutAws: true });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.summary).toContain(
      "Plan needs AWS credentials, not available to pull requests from forks: the files were validated only.",
    );
    expect(result.outputs).toEqual({
      "has-changes": "unknown",
      summary: "Validation passed for 2 configuration files: nothing was planned.",
    });
    expectOutputsAsDeclared(result, result.summary);
    expect(result.stdout).not.toMatch(/^::error/m);
    expect(github.requests).toHaveLength(0);
    expect(emulator.snapshot().configurations).toEqual([]);
  });

  test("from a fork with invalid files: annotations, the diagnostics in the summary, and the step fails", async () => {
    github.readOnly = true;
    await rm(workspace, { recursive: true, force: true });
    workspace = await copyFixtureRepository("invalid-repo");
    const result = await run("pull_request", "pull_request-fork.json", { withoutAws: true });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(
      /^::error title=waybill unknown-key,file=waybill\/web-base\.yaml,line=7,col=7::/m,
    );
    expect(result.summary).toContain("`waybill/web-base.yaml:7:7`");
    expect(github.requests).toHaveLength(0);
    expect(result.outputs["has-changes"]).toBe("unknown");
    expectOutputsAsDeclared(result, result.summary);
  });

  test("a pull request whose run has no AWS credentials: the SDK finds none, the comment has the validation, success", async () => {
    const result = await run("pull_request", "pull_request.json", {
      withoutAws: true,
      env: { AWS_REGION: "us-west-2" },
    });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const body = github.comments(42)[0]?.body ?? "";
    expect(body).toContain(
      "Plan needs AWS credentials, and this run has none: the files were validated only.",
    );
    expect(result.outputs.summary).toBe("Validation passed for 2 configuration files: nothing was planned.");
    expectOutputsAsDeclared(result, body);
    expectOutputsAsDeclared(result, result.summary);
  });

  test("GitHub answering 502 to the comment keeps the plan: outputs, summary, a warning, success", async () => {
    github.failWith = 502;
    const result = await run("pull_request", "pull_request.json");
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.outputs["has-changes"]).toBe("true");
    expect(result.outputs["create-count"]).toBe("2");
    expect(result.outputs["plan-json"]).toBeDefined();
    expect(result.summary).toContain("web-base");
    expect(result.summary).not.toContain("could not plan");
    expect(result.stdout).toMatch(/^::warning::Could not comment on pull request #42: .*HTTP 502/m);
  });

  test("user content cannot mention anyone, inject HTML or open an HTML comment in the comment or summary", async () => {
    await writeFile(
      join(workspace, "waybill/web-base.yaml"),
      [
        "name: web-base",
        "description: Golden web AMI",
        "distributions:",
        "  - region: us-west-2",
        '    "@octocat <img src=x> <!-- ": 1',
        "    amiDistributionConfiguration:",
        '      name: "web-base {{imagebuilder:buildDate}}"',
        "      launchPermission:",
        '        userIds: ["@octocat<b>x</b>"]',
      ].join("\n"),
    );
    const result = await run("pull_request", "pull_request.json");
    expect(result.exitCode).toBe(1);
    const body = github.comments(42)[0]?.body ?? "";
    expect(body).toContain("octocat");
    expectNoInjection(body);
    expectNoInjection(result.summary);
  });

  test("never applies on a pull request, even with mode: apply", async () => {
    const result = await run("pull_request", "pull_request.json", { inputs: { mode: "apply" } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/::warning::Waybill never applies on a pull-request event/);
    expect(liveNames()).toEqual([]);
  });
});

describe("push to the default branch", () => {
  test("applies to the emulator and replies on the merged pull request", async () => {
    github.setPullRequestsForCommit(mergeSha, [
      { number: 7, state: "open", merged: false },
      { number: 42, state: "closed", merged: true, mergeCommitSha: mergeSha },
    ]);
    // Reviewed on #42 first: the apply runs only that plan.
    await run("pull_request", "pull_request.json");
    const result = await run("push", "push.json", { sha: mergeSha, ref: "refs/heads/main" });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(liveNames()).toEqual(["db-base", "web-base"]);
    expect(result.outputs["failed-count"]).toBe("0");
    expect(result.outputs.summary).toBe("Applied: 2 changes done, 0 failed, 0 skipped.");
    expectOutputsAsDeclared(result, github.comments(42).at(-1)?.body ?? "");
    expect(github.comments(7)).toEqual([]);
    const reply = github.comments(42).at(-1);
    expect(reply?.body).toContain("Waybill apply");
    expect(reply?.body).toContain("web\u2011base");
    expect(result.summary).toContain("Waybill apply");
    // credentials never reach the log, the summary or GitHub
    const everything = [result.stdout, result.stderr, result.summary, JSON.stringify(github.requests)].join(
      "\n",
    );
    expect(everything).not.toContain(aws.AWS_SECRET_ACCESS_KEY);
    expect(everything).not.toContain(aws.AWS_ACCESS_KEY_ID);
  });

  test("the same plan as reviewed applies; a file changed after review is refused and named", async () => {
    github.setPullRequestsForCommit(mergeSha, [
      { number: 42, state: "closed", merged: true, mergeCommitSha: mergeSha },
    ]);
    const reviewed = await run("pull_request", "pull_request.json");
    expect(reviewed.exitCode, reviewed.stdout + reviewed.stderr).toBe(0);
    // the same files and live state: the same plan, even though its AMI name previews are dated later
    const same = await run("push", "push.json", { sha: mergeSha, ref: "refs/heads/main" });
    expect(same.exitCode, same.stdout + same.stderr).toBe(0);
    expect(github.comments(42).at(-1)?.body).toContain("Applied the plan [reviewed on #42]");

    // reviewed, then the file changed before the merge
    emulator.reset();
    await run("pull_request", "pull_request.json");
    const file = join(workspace, "waybill/db-base.yaml");
    await writeFile(file, (await readFile(file, "utf8")).replace("Golden database AMI", "Changed"));
    const changed = await run("push", "push.json", { sha: mergeSha, ref: "refs/heads/main" });
    expect(changed.exitCode).toBe(1);
    expect(liveNames()).toEqual([]);
    expect(changed.stdout).toContain(
      "create db-base (us-west-2): what it does differs from the reviewed plan (live state or the file changed since)",
    );
    expect(changed.summary).toContain("Not applied");
    expect(changed.outputs.summary).toBe("Not applied: the plan differs from the one reviewed on #42.");
    expectOutputsAsDeclared(changed, github.comments(42).at(-1)?.body ?? "");
  });

  test("a partial failure lists every failure and fails the step", async () => {
    await run("push", "push.json", { sha: mergeSha, ref: "refs/heads/main" });
    const arn = (name: string) =>
      `arn:aws:imagebuilder:us-west-2:${DEFAULT_ACCOUNT_ID}:distribution-configuration/${name}`;
    // Image pipelines that use them: the service then refuses both deletes.
    await createPipelineUsing(arn("web-base"));
    await createPipelineUsing(arn("db-base"));
    await rm(join(workspace, "waybill/web-base.yaml"));
    await rm(join(workspace, "waybill/db-base.yaml"));
    // One file stays (a run that finds no files at all is refused before AWS): its create succeeds.
    await writeFile(
      join(workspace, "waybill/ci-base.yaml"),
      'name: ci-base\ndistributions:\n  - region: us-west-2\n    amiDistributionConfiguration:\n      name: "ci-base {{ imagebuilder:buildDate }}"\n',
    );
    // Reading the pipelines, the plan refuses both deletes before anything is applied.
    const refused = await run("push", "push.json", {
      sha: mergeSha,
      ref: "refs/heads/main",
      inputs: { prune: "true" },
    });
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain("configuration-in-use");
    expect(refused.outputs["failed-count"]).toBeUndefined();
    // Told not to read them (images.read: false), the plan cannot know: the service refuses at apply.
    await writeFile(
      join(workspace, "waybill.config.yaml"),
      "stack: images-e2e\ndefaultRegion: us-west-2\nimages:\n  read: false\n",
    );
    const result = await run("push", "push.json", {
      sha: mergeSha,
      ref: "refs/heads/main",
      inputs: { prune: "true" },
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs["failed-count"]).toBe("2");
    expect(result.stdout).toMatch(
      /::error::2 of 3 changes failed:%0A.*web-base.*%0A.*db-base|::error::2 of 3 changes failed:%0A.*db-base.*%0A.*web-base/,
    );
    expect(result.stdout).toContain("ResourceDependencyException");
  });
});

describe("schedule (drift)", () => {
  test("succeeds when live matches, fails and says where when it does not", async () => {
    await run("push", "push.json", { sha: mergeSha, ref: "refs/heads/main" });
    github.requests.length = 0;
    const clean = await run("schedule", "schedule.json");
    expect(clean.exitCode, clean.stdout + clean.stderr).toBe(0);
    expect(clean.outputs["has-changes"]).toBe("false");

    await writeFile(
      join(workspace, "waybill/db-base.yaml"),
      (await readFile(join(workspace, "waybill/db-base.yaml"), "utf8")).replace(
        "Golden database AMI",
        "Changed",
      ),
    );
    const drifted = await run("schedule", "schedule.json");
    expect(drifted.exitCode).toBe(1);
    expect(drifted.outputs["has-changes"]).toBe("true");
    expect(drifted.stdout).toMatch(/::error::Drift: .*update db-base \(us-west-2, waybill\/db-base\.yaml\)/);
    expect(drifted.stdout).toMatch(/::error title=waybill drift,file=waybill\/db-base\.yaml::/);
    expect(github.requests).toHaveLength(0);
  });
});

/** Creates an image pipeline that uses `configurationArn`, over plain HTTP (the emulator reads only the credential scope). */
async function createPipelineUsing(configurationArn: string): Promise<void> {
  const name = configurationArn.split("/").at(-1) as string;
  const response = await fetch(`${emulator.url}/CreateImagePipeline`, {
    method: "PUT",
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=${aws.AWS_ACCESS_KEY_ID}/20260101/us-west-2/imagebuilder/aws4_request, Signature=0`,
    },
    body: JSON.stringify({
      name: `uses-${name}`,
      clientToken: `uses-${name}`,
      imageRecipeArn: `arn:aws:imagebuilder:us-west-2:${DEFAULT_ACCOUNT_ID}:image-recipe/${name}/1.0.0`,
      infrastructureConfigurationArn: `arn:aws:imagebuilder:us-west-2:${DEFAULT_ACCOUNT_ID}:infrastructure-configuration/build`,
      distributionConfigurationArn: configurationArn,
    }),
  });
  expect(response.status, await response.text()).toBe(200);
}
