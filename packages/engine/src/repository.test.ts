// The engine's run over a repository against the emulator: real HTTP, the real SDK.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type Emulator, startEmulator } from "@waybill/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { applyRepository, type PlanRepositoryOptions, planRepository } from "./repository.js";
import { prepareRun } from "./run.js";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.reset();
});

const files: Record<string, string> = {
  "waybill.config.yaml": "stack: repo-test\ndefaultRegion: us-west-2\n",
  "waybill/web.yaml": `name: web-base
distributions:
  - region: us-west-2
    amiDistributionConfiguration:
      name: "web {{imagebuilder:buildDate}}"
`,
  "waybill/batch.yaml": `name: batch-base
distributions:
  - region: us-west-2
    amiDistributionConfiguration:
      name: "batch {{imagebuilder:buildDate}}"
`,
  "waybill/eu/api.yaml": `name: api-base
region: eu-west-1
distributions:
  - region: eu-west-1
    amiDistributionConfiguration:
      name: "api {{imagebuilder:buildDate}}"
`,
};

async function repository(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "waybill-repository-"));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

/** A run over `root` as the CLI and the Action open one, pointed at the emulator. */
async function runOver(root: string, overrides: { prune?: boolean } = {}) {
  const opened = await prepareRun({
    root,
    settings: overrides,
    env: {
      AWS_ACCESS_KEY_ID: "AKIAWAYBILLTEST00001",
      AWS_SECRET_ACCESS_KEY: "not-a-secret",
      AWS_ENDPOINT_URL_IMAGEBUILDER: emulator.url,
    },
  });
  if (!opened.ok) throw new Error(JSON.stringify(opened.diagnostics));
  const { settings, aws } = opened.run;
  return { root, settings, aws } satisfies PlanRepositoryOptions;
}

/** `region/name` of every configuration the emulator holds (the home region is the ARN's fourth field). */
const liveNames = () =>
  emulator
    .snapshot()
    .configurations.map(
      (configuration: { arn: string; name: string }) =>
        `${configuration.arn.split(":")[3]}/${configuration.name}`,
    )
    .sort();

const actions = (plan: { changes: { action: string; name: string }[] }) =>
  plan.changes.map((change) => `${change.action} ${change.name}`);

describe("planRepository and applyRepository", () => {
  test("plan, apply, then nothing to do", async () => {
    const root = await repository();
    const planned = await planRepository(await runOver(root));
    expect(planned.status).toBe("planned");
    if (planned.status !== "planned") return;
    expect(actions(planned.plan)).toEqual(["create api-base", "create batch-base", "create web-base"]);
    expect(planned.files).toEqual(["waybill/batch.yaml", "waybill/eu/api.yaml", "waybill/web.yaml"]);
    expect(liveNames()).toEqual([]);

    const applied = await applyRepository(await runOver(root));
    expect(applied).toMatchObject({ status: "applied", ok: true });
    expect(liveNames()).toEqual(["eu-west-1/api-base", "us-west-2/batch-base", "us-west-2/web-base"]);

    const again = await planRepository(await runOver(root));
    expect(again.status === "planned" && actions(again.plan)).toEqual([
      "no-op api-base",
      "no-op batch-base",
      "no-op web-base",
    ]);
    await rm(root, { recursive: true });
  });

  test("invalid files never reach AWS: Lists may start while validating, nothing else", async () => {
    const root = await repository();
    await writeFile(join(root, "waybill/web.yaml"), "name: web-base\ndistributions: []\n");
    emulator.resetCounts();
    const applied = await applyRepository(await runOver(root));
    expect(applied.status).toBe("invalid");
    // A List carries nothing from the files; every call that does (Get, Create, Update, Tag,
    // Delete) waits for validation to pass.
    const { ListDistributionConfigurations: _lists, ...others } = emulator.requestCounts();
    expect(Object.values(others).reduce((a, b) => a + b, 0)).toBe(0);
    await rm(root, { recursive: true });
  });

  test("a run with invalid files reports their diagnostics alone, whatever the Lists answered", async () => {
    const root = await repository();
    await writeFile(join(root, "waybill/web.yaml"), "name: web-base\ndistributions: []\n");
    const valid = await planRepository(await runOver(root));
    emulator.setFaults({ errorRate: 1 });
    try {
      const failing = await planRepository(await runOver(root));
      expect(failing).toEqual(valid);
      expect(failing.status).toBe("invalid");
    } finally {
      emulator.setFaults({ errorRate: 0 });
    }
    await rm(root, { recursive: true });
  });

  test("a scoped run (paths) plans only its files; the others' configurations are out of scope", async () => {
    const root = await repository();
    expect(await applyRepository(await runOver(root))).toMatchObject({ status: "applied", ok: true });
    const scoped = await planRepository({
      ...(await runOver(root, { prune: true })),
      paths: ["waybill/web.yaml"],
    });
    expect(scoped.status === "planned" && actions(scoped.plan)).toEqual(["no-op web-base"]);

    // A file really gone is pruned even by a scoped run; the others' files exist, so they stay.
    await rm(join(root, "waybill/batch.yaml"));
    const pruned = await applyRepository({
      ...(await runOver(root, { prune: true })),
      paths: ["waybill/web.yaml"],
    });
    expect(pruned.status === "applied" && actions(pruned.plan)).toEqual([
      "delete batch-base",
      "no-op web-base",
    ]);
    expect(liveNames()).toEqual(["eu-west-1/api-base", "us-west-2/web-base"]);
    await rm(root, { recursive: true });
  });
});

describe("a saved plan", () => {
  test("is applied as saved while live state and scope are those it was made from", async () => {
    const root = await repository();
    const planned = await planRepository(await runOver(root));
    if (planned.status !== "planned") throw new Error(planned.status);
    const applied = await applyRepository({ ...(await runOver(root)), savedPlan: planned.plan });
    expect(applied.status).toBe("applied");
    if (applied.status !== "applied") return;
    expect(applied.plan.id).toBe(planned.plan.id);
    expect(liveNames()).toHaveLength(3);
    await rm(root, { recursive: true });
  });

  test("is refused once live state changed, with a fresh plan instead, and nothing applied", async () => {
    const root = await repository();
    const run = await runOver(root);
    const planned = await planRepository(run);
    if (planned.status !== "planned") throw new Error(planned.status);
    // Someone creates one of the configurations meanwhile.
    await run.aws.clientFor("us-west-2").create({
      name: "web-base",
      distributions: [
        { region: "us-west-2", amiDistributionConfiguration: { name: "hand {{imagebuilder:buildDate}}" } },
      ],
    });
    emulator.resetCounts();
    const stale = await applyRepository({ ...(await runOver(root)), savedPlan: planned.plan });
    expect(stale.status).toBe("stale");
    if (stale.status !== "stale") return;
    expect(stale.reason).toMatch(/^live state changed since the plan was made/);
    expect(actions(stale.plan)).toContain("conflict web-base");
    expect(emulator.requestCounts().CreateDistributionConfiguration ?? 0).toBe(0);
    await rm(root, { recursive: true });
  });

  test("made from one scope and re-checked with another is refused, though live state is the same", async () => {
    const root = await repository();
    // Nothing live: both scopes read the same (empty) live state.
    const planned = await planRepository({ ...(await runOver(root)), paths: ["waybill/web.yaml"] });
    if (planned.status !== "planned") throw new Error(planned.status);
    expect(actions(planned.plan)).toEqual(["create web-base"]);
    emulator.resetCounts();

    const wider = await applyRepository({ ...(await runOver(root)), savedPlan: planned.plan });
    expect(wider.status).toBe("stale");
    if (wider.status === "stale") expect(actions(wider.plan)).toHaveLength(3);
    const other = await applyRepository({
      ...(await runOver(root)),
      paths: ["waybill/batch.yaml"],
      savedPlan: planned.plan,
    });
    expect(other.status).toBe("stale");
    expect(emulator.requestCounts().CreateDistributionConfiguration ?? 0).toBe(0);
    expect(liveNames()).toEqual([]);

    // The same scope again: applied.
    const same = await applyRepository({
      ...(await runOver(root)),
      paths: ["waybill/web.yaml"],
      savedPlan: planned.plan,
    });
    expect(same).toMatchObject({ status: "applied", ok: true });
    expect(liveNames()).toEqual(["us-west-2/web-base"]);
    await rm(root, { recursive: true });
  });
});
