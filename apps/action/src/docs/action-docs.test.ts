import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { readActionEvent } from "../event.js";
import { createOctokit } from "../github/octokit.js";
import { createOctokitGitHub } from "../github/octokit-github.js";
import { ACTION_MODES } from "../inputs.js";
import { type ActionReport, actionOutputs, notStartedOutputs, runAction } from "../run-action.js";
import type { PlannedChange, WaybillRunner } from "../runner.js";
import { startFakeGitHub } from "../testing/fake-github-server.js";
import { applied, fakeRunner, planReport } from "../testing/fake-runner.js";
import { anActionInputs } from "../testing/inputs.js";
import {
  parseActionMetadata,
  renderInputsTable,
  replaceGeneratedBlock,
  updateReadmeTables,
} from "./action-docs.js";

const actionYml = readFileSync(new URL("../../action.yml", import.meta.url), "utf8");
const readme = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8");

function metadata() {
  const parsed = parseActionMetadata(actionYml);
  if (!parsed.success) throw new Error(parsed.error);
  return parsed.metadata;
}

/** One report of each kind: plan with a comment, invalid, validated only, apply with a reply, drift, failure. */
async function reportsOfEveryKind(): Promise<ActionReport[]> {
  const github = await startFakeGitHub();
  const sha = "c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff";
  github.setPullRequestsForCommit(sha, [{ number: 42, state: "closed", merged: true, mergeCommitSha: sha }]);
  const event = (name: string, file: string) => {
    const payload: unknown = JSON.parse(
      readFileSync(new URL(`../fixtures/events/${file}`, import.meta.url), "utf8"),
    );
    const read = readActionEvent(name, payload, { ref: "refs/heads/main", sha });
    if (!read.success) throw new Error(read.errors.join("\n"));
    return read.event;
  };
  const inputs = anActionInputs();
  const change: PlannedChange = { action: "update", name: "web-base", region: "us-west-2" };
  const plan = { status: "planned" as const, plan: planReport([change]), diagnostics: [] };
  const invalid = {
    status: "invalid" as const,
    diagnostics: [
      { file: "a.yaml", line: 1, column: 1, code: "unknown-key", severity: "error" as const, message: "m" },
    ],
  };
  const runs: [WaybillRunner, string, string][] = [
    [fakeRunner({ plan }), "pull_request", "pull_request.json"],
    [fakeRunner({ plan: invalid }), "pull_request", "pull_request.json"],
    [
      fakeRunner({ plan: { status: "no-credentials", message: "m", files: ["a.yaml"], diagnostics: [] } }),
      "pull_request",
      "pull_request-fork.json",
    ],
    [
      fakeRunner({
        apply: {
          status: "applied",
          plan: planReport([change]),
          results: [applied(change, "ok")],
          diagnostics: [],
        },
      }),
      "push",
      "push.json",
    ],
    [fakeRunner({ apply: invalid }), "push", "push.json"],
    [fakeRunner({ plan }), "schedule", "schedule.json"],
    [fakeRunner({}), "schedule", "schedule.json"],
  ];
  try {
    const reports: ActionReport[] = [];
    for (const [runner, name, file] of runs) {
      reports.push(
        await runAction({
          github: createOctokitGitHub(createOctokit("t", { baseUrl: github.url })),
          runner,
          inputs,
          event: event(name, file),
          repository: { owner: "acme", repo: "image-distribution" },
          runUrl: undefined,
          log: { info: () => {} },
        }),
      );
    }
    return reports;
  } finally {
    await github.close();
  }
}

describe("README tables", () => {
  test("the README's input and output tables are the ones action.yml generates (run `pnpm action:docs`)", () => {
    const updated = updateReadmeTables(readme, actionYml);
    expect(updated.problems).toEqual([]);
    expect(updated.text === readme, "README.md's action tables are stale: run `pnpm action:docs`").toBe(true);
  });

  test("a changed description shows as a stale table", () => {
    const changed = actionYml.replace("Globs of configuration files", "Globs of config files");
    expect(updateReadmeTables(readme, changed).text).not.toBe(readme);
  });

  test("pipes and line breaks cannot break a row", () => {
    const table = renderInputsTable({
      inputs: { x: { description: "a | b\n  c", default: "d" } },
      outputs: {},
    });
    expect(table.split("\n")[2]).toBe("| `x` | a \\| b c | `d` |");
  });

  test("replacing keeps the text outside the block and reports missing markers", () => {
    expect(replaceGeneratedBlock("no markers", "action-inputs", "t")).toEqual({
      found: false,
      text: "no markers",
    });
  });
});

describe("action.yml", () => {
  test("declares runs.using node24 and the bundle", () => {
    expect(actionYml).toMatch(/runs:\n {2}using: node24\n {2}main: dist\/index\.js/);
  });

  test("declares exactly the outputs the action sets, over every kind of run", async () => {
    const set = new Set<string>();
    for (const report of await reportsOfEveryKind()) {
      for (const name of Object.keys(actionOutputs(report, "/tmp/plan.json"))) set.add(name);
    }
    const declared = Object.keys(metadata().outputs);
    expect([...set].sort()).toEqual([...declared].sort());
  });

  test("main.ts sets outputs only through actionOutputs and notStartedOutputs, which action.yml declares", () => {
    const main = readFileSync(new URL("../main.ts", import.meta.url), "utf8");
    expect(main.match(/setOutput\(/g)).toHaveLength(1);
    expect(main.match(/setOutputs\(/g)).toHaveLength(3);
    expect(main).toContain("setOutputs(actionOutputs(report, planJsonFile));");
    expect(main).toContain("setOutputs(notStartedOutputs(message));");
    const declared = Object.keys(metadata().outputs);
    for (const name of Object.keys(notStartedOutputs("Waybill cannot start:\nx")))
      expect(declared).toContain(name);
  });

  test("documents every mode and the github.token default", () => {
    const { inputs } = metadata();
    for (const mode of ACTION_MODES) expect(inputs.mode?.description).toContain(`\`${mode}\``);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a JS template
    expect(inputs["github-token"]?.default).toBe("${{ github.token }}");
  });
});

describe("docs/workflows", () => {
  const workflows = ["waybill.yml", "waybill-matrix.yml"].map((file) => ({
    file,
    text: readFileSync(new URL(`../../../../docs/workflows/${file}`, import.meta.url), "utf8"),
  }));
  const docs = readFileSync(new URL("../../../../docs/action.md", import.meta.url), "utf8");

  test.each(workflows)(
    "$file uses only inputs action.yml declares, and docs/action.md shows it whole",
    ({ text }) => {
      const declared = new Set(Object.keys(metadata().inputs));
      const workflow = parse(text) as {
        jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>;
      };
      const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
      const waybillSteps = steps.filter((step) => step.uses?.includes("/waybill/apps/action@"));
      expect(waybillSteps.length).toBeGreaterThan(0);
      for (const step of waybillSteps) {
        for (const input of Object.keys(step.with ?? {})) expect(declared).toContain(input);
      }
      expect(docs).toContain(text);
    },
  );

  type Step = { uses?: string; if?: string };
  type Job = { if?: string; environment?: string; concurrency?: Record<string, unknown>; steps: Step[] };
  const jobsOf = (text: string) => Object.values((parse(text) as { jobs: Record<string, Job> }).jobs);
  const runsOn = (job: Job, event: string) => job.if?.includes(`github.event_name == '${event}'`) === true;

  test.each(workflows)(
    "$file: plan jobs skip AWS for forks and cancel older runs of the same pull request",
    ({ text }) => {
      const plans = jobsOf(text).filter((job) => runsOn(job, "pull_request"));
      expect(plans.length).toBeGreaterThan(0);
      for (const job of plans) {
        expect(job.concurrency?.["cancel-in-progress"]).toBe(true);
        expect(String(job.concurrency?.group)).toContain("github.event.pull_request.number");
        const credentials = job.steps.filter((step) =>
          step.uses?.startsWith("aws-actions/configure-aws-credentials"),
        );
        expect(credentials.length).toBeGreaterThan(0);
        for (const step of credentials) {
          expect(step.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
        }
      }
    },
  );

  test.each(workflows)(
    "$file: apply jobs run in the environment the apply role trusts, never cancelled",
    ({ text }) => {
      const trusted = /repo:acme\/images:environment:([a-z-]+)/.exec(docs)?.[1];
      expect(trusted).toBe("production");
      const applies = jobsOf(text).filter((job) => runsOn(job, "push"));
      expect(applies.length).toBeGreaterThan(0);
      for (const job of applies) {
        expect(job.environment).toBe(trusted);
        expect(job.concurrency?.["cancel-in-progress"]).toBe(false);
      }
    },
  );
});
