// Images over a repository against the emulator (real HTTP, the real SDK): plan consequences, status, rollout.
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  amisPerTarget,
  buildImage,
  createPipeline,
  createRolloutConfiguration,
  pipelineClient,
} from "@waybill/aws/testing/pipelines";
import { type Emulator, startEmulator } from "@waybill/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { rolloutRepository, statusRepository } from "./images.js";
import { applyRepository, type PlanRepositoryOptions, planRepository } from "./repository.js";
import { prepareRun } from "./run.js";

const ACCOUNT = "123456789012";
const credentials = { accessKeyId: "AKIAWAYBILLTEST00001", secretAccessKey: "not-a-secret" };
const ROLE = `arn:aws:iam::${ACCOUNT}:role/WaybillRollout`;

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ buildMs: 150 });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.reset();
});

const web = (regions: string[]) => `name: web-base
distributions:
${regions
  .map(
    (region) => `  - region: ${region}
    amiDistributionConfiguration:
      name: "web {{imagebuilder:buildDate}}"
      amiTags: { team: web }
`,
  )
  .join("")}`;

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

async function repository(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "waybill-images-"));
  roots.push(root);
  await write(root, files);
  return root;
}

async function write(root: string, files: Record<string, string | null>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    if (text === null) {
      await rm(join(root, path));
      continue;
    }
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

const settingsText = `stack: img-test\ndefaultRegion: us-west-2\nrollout:\n  executionRole: ${ROLE}\n`;

async function runOver(root: string) {
  const opened = await prepareRun({
    root,
    env: { ...toEnv(), AWS_ENDPOINT_URL_IMAGEBUILDER: emulator.url },
  });
  if (!opened.ok) throw new Error(JSON.stringify(opened.diagnostics));
  const { settings, aws } = opened.run;
  return { root, settings, aws } satisfies PlanRepositoryOptions;
}

function toEnv() {
  return { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey };
}

const client = () => pipelineClient({ endpoint: emulator.url, region: "us-west-2", credentials });

/** Applies the repository, then a weekly pipeline on web-base builds once; returns its image's ARN. */
async function appliedAndBuilt(root: string): Promise<{ configurationArn: string; imageArn: string }> {
  const applied = await applyRepository(await runOver(root));
  if (applied.status !== "applied" || !applied.ok) throw new Error(`apply: ${applied.status}`);
  const configurationArn = `arn:aws:imagebuilder:us-west-2:${ACCOUNT}:distribution-configuration/web-base`;
  const pipelineArn = await createPipeline(client(), {
    name: "web-golden",
    accountId: ACCOUNT,
    distributionConfigurationArn: configurationArn,
    schedule: "cron(0 2 ? * sun *)",
  });
  const imageArn = await buildImage(client(), pipelineArn);
  return { configurationArn, imageArn };
}

describe("image pipelines in a run (emulator)", () => {
  test("a region added: the plan names the pipeline and the gap; status shows it missing; rollout fills only it", async () => {
    const root = await repository({
      "waybill.config.yaml": settingsText,
      "waybill/web.yaml": web(["us-west-2"]),
    });
    const { imageArn } = await appliedAndBuilt(root);
    await write(root, { "waybill/web.yaml": web(["us-west-2", "eu-west-1", "eu-north-1"]) });

    const planned = await planRepository(await runOver(root));
    if (planned.status !== "planned") throw new Error(JSON.stringify(planned.diagnostics));
    expect(planned.plan.images?.configurations).toEqual([
      expect.objectContaining({
        name: "web-base",
        action: "update",
        pipelines: [
          expect.objectContaining({
            name: "web-golden",
            schedule: "cron(0 2 ? * sun *)",
            missing: [
              { region: "eu-north-1", accountId: ACCOUNT },
              { region: "eu-west-1", accountId: ACCOUNT },
            ],
          }),
        ],
      }),
    ]);
    await applyRepository(await runOver(root));

    emulator.resetCounts();
    const status = await statusRepository(await runOver(root));
    if (status.status !== "read") throw new Error("status");
    // One home region: one unfiltered ListImagePipelines page, then one list of images and one of
    // build versions for the one pipeline that uses the configuration (docs/rollout.md).
    const counts = emulator.requestCounts();
    expect([
      counts.ListImagePipelines,
      counts.ListImagePipelineImages,
      counts.ListImageBuildVersions,
    ]).toEqual([1, 1, 1]);
    const targets = status.report.configurations[0]?.pipelines[0]?.targets ?? [];
    expect(targets.map((target) => `${target.region} ${target.state}`)).toEqual([
      "eu-north-1 missing",
      "eu-west-1 missing",
      "us-west-2 present",
    ]);

    const before = await amisPerTarget(client(), imageArn);
    const dry = await rolloutRepository({ ...(await runOver(root)), execute: false });
    expect(dry.status === "planned" && dry.rollout.items.map((item) => item.targets.length)).toEqual([2]);
    expect(await amisPerTarget(client(), imageArn)).toEqual(before);

    const rolled = await rolloutRepository({ ...(await runOver(root)), execute: true, pollMs: 25 });
    expect(rolled.status === "rolled-out" && rolled.ok).toBe(true);
    // Every target exactly once over every build version: nothing copied again to us-west-2.
    expect(await amisPerTarget(client(), imageArn)).toEqual({
      [`us-west-2/${ACCOUNT}`]: 1,
      [`eu-west-1/${ACCOUNT}`]: 1,
      [`eu-north-1/${ACCOUNT}`]: 1,
    });
    const after = await statusRepository(await runOver(root));
    expect(
      after.status === "read" && after.report.configurations[0]?.pipelines[0]?.targets.map((t) => t.state),
    ).toEqual(["present", "present", "present"]);
    // The temporary configuration is gone; a re-run has nothing to do.
    expect(emulator.snapshot().configurations.map((c: { name: string }) => c.name)).toEqual(["web-base"]);
    const again = await rolloutRepository({ ...(await runOver(root)), execute: true, pollMs: 25 });
    expect(again.status === "rolled-out" && again.results).toEqual([]);
  });

  test("a rollout's temporary configuration is left out of plans with prune and of status", async () => {
    const root = await repository({
      "waybill.config.yaml": `${settingsText}prune: true\n`,
      "waybill/web.yaml": web(["us-west-2"]),
    });
    const { imageArn } = await appliedAndBuilt(root);
    await createRolloutConfiguration(client(), {
      name: "waybill-rollout-inflight",
      stack: "img-test",
      imageArn,
    });
    const planned = await planRepository(await runOver(root));
    if (planned.status !== "planned") throw new Error(JSON.stringify(planned.diagnostics));
    expect(planned.plan.changes.map((change) => change.name)).not.toContain("waybill-rollout-inflight");
    const applied = await applyRepository(await runOver(root));
    expect(applied.status === "applied" && applied.ok).toBe(true);
    expect(
      emulator
        .snapshot()
        .configurations.map((c: { name: string }) => c.name)
        .sort(),
    ).toEqual(["waybill-rollout-inflight", "web-base"]);
    const status = await statusRepository(await runOver(root));
    expect(status.status === "read" && status.report.configurations.map((c) => c.name)).toEqual(["web-base"]);
  });

  test("a plan reads images only for the pipelines of configurations a change shows", async () => {
    const root = await repository({
      "waybill.config.yaml": settingsText,
      "waybill/web.yaml": web(["us-west-2"]),
      "waybill/other.yaml": web(["us-west-2"]).replace("web-base", "other-base"),
    });
    await appliedAndBuilt(root);
    const otherPipeline = await createPipeline(client(), {
      name: "other-golden",
      accountId: ACCOUNT,
      distributionConfigurationArn: `arn:aws:imagebuilder:us-west-2:${ACCOUNT}:distribution-configuration/other-base`,
    });
    await buildImage(client(), otherPipeline);
    await write(root, { "waybill/web.yaml": web(["us-west-2", "eu-west-1"]) });
    emulator.resetCounts();
    const planned = await planRepository(await runOver(root));
    if (planned.status !== "planned") throw new Error(JSON.stringify(planned.diagnostics));
    expect(planned.plan.images?.configurations.map((c) => c.name)).toEqual(["web-base"]);
    expect(planned.plan.images?.configurations[0]?.pipelines[0]?.missing).toEqual([
      { region: "eu-west-1", accountId: ACCOUNT },
    ]);
    // Both pipelines listed (one page); only web-golden's images read.
    const counts = emulator.requestCounts();
    expect(counts.ListImagePipelines).toBe(1);
    expect(counts.ListImagePipelineImages).toBe(1);
    expect(counts.ListImageBuildVersions).toBe(1);
  });

  test("a pruned delete of a configuration a pipeline uses fails at plan, not apply", async () => {
    const root = await repository({
      "waybill.config.yaml": settingsText,
      "waybill/web.yaml": web(["us-west-2"]),
      "waybill/other.yaml": web(["us-west-2"]).replace("web-base", "other-base"),
    });
    await appliedAndBuilt(root);
    await write(root, { "waybill.config.yaml": `${settingsText}prune: true\n`, "waybill/web.yaml": null });
    const planned = await planRepository(await runOver(root));
    expect(planned.status).toBe("invalid");
    const diagnostic = planned.diagnostics.find((d) => d.code === "configuration-in-use");
    expect(diagnostic).toMatchObject({ file: "waybill.config.yaml", line: 5, severity: "error" });
    expect(diagnostic?.message).toContain("web-golden");
    const applied = await applyRepository(await runOver(root));
    expect(applied.status).toBe("invalid");
    expect(
      emulator
        .snapshot()
        .configurations.map((c: { name: string }) => c.name)
        .sort(),
    ).toEqual(["other-base", "web-base"]);
  });

  test("a denied ListImagePipelines is a warning naming the permission; the plan is made", async () => {
    const root = await repository({
      "waybill.config.yaml": settingsText,
      "waybill/web.yaml": web(["us-west-2"]),
    });
    await appliedAndBuilt(root);
    emulator.setFaults({ deniedOperations: ["ListImagePipelines"] });
    try {
      const planned = await planRepository(await runOver(root));
      expect(planned.status).toBe("planned");
      const warning = planned.diagnostics.find((d) => d.code === "images-read-denied");
      expect(warning).toMatchObject({ severity: "warning" });
      expect(warning?.message).toContain("imagebuilder:ListImagePipelines");
      expect(planned.status === "planned" && planned.plan.images?.configurations).toEqual([]);
    } finally {
      emulator.setFaults({ deniedOperations: [] });
    }
  });

  test("a failed distribution is a failed result with the service's reason; a re-run does only what is missing", async () => {
    const root = await repository({
      "waybill.config.yaml": settingsText,
      "waybill/web.yaml": web(["us-west-2"]),
    });
    const { imageArn } = await appliedAndBuilt(root);
    await write(root, { "waybill/web.yaml": web(["us-west-2", "eu-west-1"]) });
    await applyRepository(await runOver(root));
    emulator.setFaults({ distributionFailureRate: 1 });
    let failed: Awaited<ReturnType<typeof rolloutRepository>>;
    try {
      failed = await rolloutRepository({ ...(await runOver(root)), execute: true, pollMs: 25 });
    } finally {
      emulator.setFaults({ distributionFailureRate: 0 });
    }
    expect(failed.status === "rolled-out" && failed.ok).toBe(false);
    const [result] = failed.status === "rolled-out" ? failed.results : [];
    expect(result?.status === "failed" && result.reason).toMatch(
      /^FAILED: Distribution failed: the AMI copy to eu-west-1/,
    );
    const rolled = await rolloutRepository({ ...(await runOver(root)), execute: true, pollMs: 25 });
    expect(
      rolled.status === "rolled-out" &&
        rolled.results.map((r) => (r.status === "failed" ? r.reason : r.status)),
    ).toEqual(["distributed"]);
    expect(await amisPerTarget(client(), imageArn)).toEqual({
      [`us-west-2/${ACCOUNT}`]: 1,
      [`eu-west-1/${ACCOUNT}`]: 1,
    });
  });

  test("images.read: false reads no pipeline", async () => {
    const root = await repository({
      "waybill.config.yaml": `${settingsText}images:\n  read: false\n`,
      "waybill/web.yaml": web(["us-west-2"]),
    });
    await appliedAndBuilt(root);
    emulator.resetCounts();
    const planned = await planRepository(await runOver(root));
    expect(planned.status === "planned" && planned.plan.images).toBeUndefined();
    expect(emulator.requestCounts().ListImagePipelines).toBe(0);
  });

  test("a rollout killed half-way and run again finishes without duplicates", async () => {
    const root = await repository({
      "waybill.config.yaml": settingsText,
      "waybill/web.yaml": web(["us-west-2"]),
    });
    const { imageArn } = await appliedAndBuilt(root);
    await write(root, { "waybill/web.yaml": web(["us-west-2", "eu-west-1", "eu-north-1"]) });
    await applyRepository(await runOver(root));
    emulator.resetCounts();
    // The CLI in a child process, killed once its DistributeImage was sent (the image still distributing).
    const child = spawn(
      process.execPath,
      [
        "--conditions=@waybill/source",
        "--import",
        "tsx",
        join(import.meta.dirname, "../../../apps/cli/src/main.ts"),
        "rollout",
        "--yes",
        "--root",
        root,
      ],
      { env: { ...process.env, ...toEnv(), AWS_ENDPOINT_URL_IMAGEBUILDER: emulator.url }, stdio: "ignore" },
    );
    const exited = new Promise((resolve) => child.on("exit", resolve));
    await vi.waitFor(() => expect(emulator.requestCounts().DistributeImage).toBeGreaterThan(0), {
      timeout: 20_000,
      interval: 5,
    });
    child.kill("SIGKILL");
    await exited;
    const rolled = await rolloutRepository({ ...(await runOver(root)), execute: true, pollMs: 25 });
    expect(rolled.status === "rolled-out" && rolled.ok).toBe(true);
    expect(await amisPerTarget(client(), imageArn)).toEqual({
      [`us-west-2/${ACCOUNT}`]: 1,
      [`eu-west-1/${ACCOUNT}`]: 1,
      [`eu-north-1/${ACCOUNT}`]: 1,
    });
    // The killed run's temporary configuration is deleted, by this run or by the next.
    await rolloutRepository({ ...(await runOver(root)), execute: true, pollMs: 25 });
    expect(emulator.snapshot().configurations.map((c: { name: string }) => c.name)).toEqual(["web-base"]);
  }, 60_000);
});
