import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createAwsAccess } from "@waybill/aws";
import { distributionConfigurationJsonSchemaText } from "@waybill/core";
import { parsePlanJson } from "@waybill/core/render";
import { type Emulator, startEmulator } from "@waybill/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { cliOn, fakeAwsEnv } from "./testing/harness.js";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
beforeEach(() => {
  emulator.reset();
  emulator.setFaults({ errorRate: 0, throttleRps: 0, dropRate: 0 });
});
afterAll(async () => {
  await emulator.close();
});

function gateway(region: string) {
  return createAwsAccess({
    endpointUrl: emulator.url,
    credentials: {
      accessKeyId: fakeAwsEnv.AWS_ACCESS_KEY_ID,
      secretAccessKey: fakeAwsEnv.AWS_SECRET_ACCESS_KEY,
    },
  }).clientFor(region);
}

const arnOf = (region: string, name: string) =>
  `arn:aws:imagebuilder:${region}:123456789012:distribution-configuration/${name}`;

async function liveNames(region: string): Promise<string[]> {
  return (await gateway(region).listAll()).map((s) => s.name ?? "").sort();
}

describe("validate", () => {
  test("a valid repository: exit 0 and a one-line verdict", async () => {
    const cli = await cliOn("estate", emulator.url);
    expect(await cli.run(["validate"])).toEqual({
      code: 0,
      stdout: "3 files, 3 configurations: valid.\n",
      stderr: "",
    });
  });

  test("errors as file:line:col: severity code: message, exit 1, and no AWS call", async () => {
    const cli = await cliOn("invalid", emulator.url);
    emulator.resetCounts();
    const run = await cli.run(["validate"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^waybill\/bad\.yaml:6:7: error unknown-key: unknown key 'launchPermissions'/m,
    );
    expect(run.stdout).toMatch(/1 error, 0 warnings\.\n$/);
    expect(Object.values(emulator.requestCounts()).reduce((a, b) => a + b, 0)).toBe(0);
  });

  test("named paths replace the globs; a missing one is reported", async () => {
    const cli = await cliOn("estate", emulator.url);
    expect((await cli.run(["validate", "waybill/eu"])).stdout).toBe("1 file, 1 configuration: valid.\n");
    const missing = await cli.run(["validate", "nope.yaml"]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/^nope\.yaml:1:1: error file-not-found: /m);
  });
});

describe("plan and apply against the emulator", () => {
  test("multi-region estate: plan exits 2 and writes JSON and markdown; apply; re-plan shows no changes", async () => {
    const cli = await cliOn("estate", emulator.url);
    const plan = await cli.run(["plan", "--out", "plan.json", "--markdown", "comment.md"]);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain("web-base");
    expect(plan.stdout).toContain("api-base");
    const saved = parsePlanJson(await readFile(join(cli.root, "plan.json"), "utf8"));
    expect(saved.success && saved.plan.summary.create).toBe(3);
    expect(await readFile(join(cli.root, "comment.md"), "utf8")).toContain("web-base");

    const json = await cli.run(["plan", "--json"]);
    expect(json.code).toBe(2);
    expect(
      JSON.parse(json.stdout).changes.map((c: { region: string; name: string }) => `${c.region}/${c.name}`),
    ).toEqual(["eu-west-1/api-base", "us-west-2/batch-base", "us-west-2/web-base"]);

    const apply = await cli.run(["apply", "--yes"]);
    expect(apply.stderr).toBe("");
    expect(apply.code).toBe(0);
    expect(apply.stdout).toMatch(/Applied: 3 ok, 0 failed, 0 skipped\.\n$/);
    expect(await liveNames("us-west-2")).toEqual(["batch-base", "web-base"]);
    expect(await liveNames("eu-west-1")).toEqual(["api-base"]);
    const live = await gateway("us-west-2").get(arnOf("us-west-2", "web-base"));
    expect(live.tags).toEqual({
      team: "web",
      "waybill:managed-by": "e2e",
      "waybill:source": "waybill/web.yaml",
      // What apply wrote, for list-only plans (docs/plans.md).
      "waybill:applied": expect.stringMatching(/^v1:[0-9a-f]{64}$/),
    });

    const again = await cli.run(["plan"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("No changes");
  });

  test("replace: a renamed configuration is created, then the old one deleted", async () => {
    const cli = await cliOn("estate", emulator.url);
    expect((await cli.run(["apply", "--yes"])).code).toBe(0);
    const file = join(cli.root, "waybill/batch.json");
    await writeFile(file, (await readFile(file, "utf8")).replace('"batch-base"', '"batch-v2"'));
    const plan = await cli.run(["plan", "--json"]);
    expect(plan.code).toBe(2);
    expect(
      JSON.parse(plan.stdout).changes.filter((c: { action: string }) => c.action === "replace"),
    ).toMatchObject([{ name: "batch-v2", replaces: { name: "batch-base" } }]);
    expect((await cli.run(["apply", "--yes"])).code).toBe(0);
    expect(await liveNames("us-west-2")).toEqual(["batch-v2", "web-base"]);
  });

  test("prune off reports the delete and changes nothing; prune on deletes, also in a region no file names", async () => {
    const cli = await cliOn("estate", emulator.url);
    expect((await cli.run(["apply", "--yes"])).code).toBe(0);
    await rm(join(cli.root, "waybill/eu"), { recursive: true });

    const off = await cli.run(["plan"]);
    expect(off.code).toBe(0);
    expect(off.stdout).toContain("api-base");
    expect((await cli.run(["apply", "--yes"])).code).toBe(0);
    expect(await liveNames("eu-west-1")).toEqual(["api-base"]);

    expect((await cli.run(["plan", "--prune"])).code).toBe(2);
    const on = await cli.run(["apply", "--yes", "--prune"]);
    expect(on.code).toBe(0);
    expect(on.stdout).toMatch(/ok\s+delete api-base in eu-west-1/);
    expect(await liveNames("eu-west-1")).toEqual([]);
  });

  test("no config files at all: validate, plan and apply stop before AWS, so prune cannot wipe the stack", async () => {
    const cli = await cliOn("estate", emulator.url);
    expect((await cli.run(["apply", "--yes"])).code).toBe(0);
    await rm(join(cli.root, "waybill"), { recursive: true });
    emulator.resetCounts();
    const verdict =
      "error no-config-files: no files match waybill/**/*.{yml,yaml,json}\n  hint: a run needs at least one config file;";
    const validate = await cli.run(["validate"]);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain(verdict);
    for (const command of [
      ["plan", "--prune"],
      ["apply", "--yes", "--prune"],
    ]) {
      const run = await cli.run(command);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr.startsWith(verdict)).toBe(true);
    }
    // Lists may start while the files are read (they carry nothing of them); nothing else is sent.
    const { ListDistributionConfigurations: _lists, ...others } = emulator.requestCounts();
    expect(Object.values(others).reduce((a, b) => a + b, 0)).toBe(0);
    expect(await liveNames("eu-west-1")).toEqual(["api-base"]);
  });

  test("files holding no configuration (empty, comments only, empty documents) plan no delete, with or without prune; --prune-all deletes the stack", async () => {
    const cli = await cliOn("estate", emulator.url);
    expect((await cli.run(["apply", "--yes"])).code).toBe(0);
    const before = [...(await liveNames("us-west-2")), ...(await liveNames("eu-west-1"))];
    expect(before.length).toBeGreaterThan(0);
    await rm(join(cli.root, "waybill"), { recursive: true });
    await mkdir(join(cli.root, "waybill"));
    await writeFile(join(cli.root, "waybill/empty.yaml"), "");
    await writeFile(join(cli.root, "waybill/comments.yaml"), "# web-base moved to another repository\n");
    await writeFile(join(cli.root, "waybill/documents.yaml"), "---\n# nothing\n---\n");
    emulator.resetCounts();
    const verdict =
      "error no-configurations: no configuration in 3 files: every file is empty, comments only or empty documents\n  hint: a run needs at least one configuration; to delete every configuration of the stack, run with --prune-all";
    const validate = await cli.run(["validate"]);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain(verdict);
    for (const command of [
      ["plan"],
      ["plan", "--prune"],
      ["apply", "--yes"],
      ["apply", "--yes", "--prune"],
    ]) {
      const run = await cli.run(command);
      expect(run.code, command.join(" ")).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain(verdict);
    }
    // Stopped before anything but Lists (which may start while the files are read): nothing
    // got, nothing deleted.
    const { ListDistributionConfigurations: _lists, ...others } = emulator.requestCounts();
    expect(Object.values(others).reduce((a, b) => a + b, 0)).toBe(0);
    expect([...(await liveNames("us-west-2")), ...(await liveNames("eu-west-1"))]).toEqual(before);

    // The separately named confirmation: every configuration of the stack is planned for deletion, then deleted.
    const planned = await cli.run(["plan", "--prune-all", "--json"]);
    expect(planned.code).toBe(2);
    const plan = JSON.parse(planned.stdout);
    expect(plan.settings).toEqual({ prune: true, adopt: false });
    expect(plan.summary.delete).toBe(before.length);
    const applied = await cli.run(["apply", "--yes", "--prune-all"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect([...(await liveNames("us-west-2")), ...(await liveNames("eu-west-1"))]).toEqual([]);
  });

  test("rename and revert: the configuration exists under its first name again", async () => {
    const cli = await cliOn("estate", emulator.url);
    expect((await cli.run(["apply", "--yes"])).code).toBe(0);
    const file = join(cli.root, "waybill/batch.json");
    const original = await readFile(file, "utf8");
    await writeFile(file, original.replace('"batch-base"', '"batch-v2"'));
    expect((await cli.run(["apply", "--yes"])).code).toBe(0);
    expect(await liveNames("us-west-2")).toEqual(["batch-v2", "web-base"]);
    // The same Create as the first apply's, but from another live state: it must really create.
    await writeFile(file, original);
    const revert = await cli.run(["apply", "--yes"]);
    expect(revert.stdout).toMatch(/ok\s+replace batch-base in us-west-2/);
    expect(revert.code).toBe(0);
    expect(await liveNames("us-west-2")).toEqual(["batch-base", "web-base"]);
    expect((await cli.run(["plan"])).code).toBe(0);
  });

  test("prune and restore: the restored file's configuration really exists again", async () => {
    const cli = await cliOn("estate", emulator.url);
    expect((await cli.run(["apply", "--yes"])).code).toBe(0);
    const file = join(cli.root, "waybill/batch.json");
    const original = await readFile(file, "utf8");
    await rm(file);
    expect((await cli.run(["apply", "--yes", "--prune"])).code).toBe(0);
    expect(await liveNames("us-west-2")).toEqual(["web-base"]);
    await writeFile(file, original);
    const restore = await cli.run(["apply", "--yes"]);
    expect(restore.stdout).toMatch(/ok\s+create batch-base in us-west-2/);
    expect(restore.code).toBe(0);
    expect(await liveNames("us-west-2")).toEqual(["batch-base", "web-base"]);
    expect((await cli.run(["plan"])).code).toBe(0);
  });

  test("add, prune and restore while the rest of the stack stays: the restored configuration really exists", async () => {
    const cli = await cliOn("estate", emulator.url);
    const file = join(cli.root, "waybill/batch.json");
    const original = await readFile(file, "utf8");
    await rm(file);
    expect((await cli.run(["apply", "--yes"])).code).toBe(0);
    await writeFile(file, original);
    expect((await cli.run(["apply", "--yes"])).code).toBe(0);
    await rm(file);
    expect((await cli.run(["apply", "--yes", "--prune"])).code).toBe(0);
    expect(await liveNames("us-west-2")).toEqual(["web-base"]);
    // Planned from the same live state as the first Create of batch-base, with the same request.
    await writeFile(file, original);
    emulator.resetCounts();
    const restore = await cli.run(["apply", "--yes"]);
    expect(restore.stdout).toMatch(/ok\s+create batch-base in us-west-2/);
    expect(restore.code).toBe(0);
    expect(emulator.requestCounts().CreateDistributionConfiguration).toBe(1);
    expect(await liveNames("us-west-2")).toEqual(["batch-base", "web-base"]);
    expect((await cli.run(["plan"])).code).toBe(0);
  });

  test("apply --prune <paths> deletes only configurations whose file is really gone", async () => {
    const cli = await cliOn("estate", emulator.url);
    expect((await cli.run(["apply", "--yes"])).code).toBe(0);
    const plan = await cli.run(["plan", "--prune", "--json", "waybill/web.yaml"]);
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout).changes.map((c: { action: string; name: string }) => c.name)).toEqual([
      "web-base",
    ]);
    const applied = await cli.run(["apply", "--prune", "--yes", "waybill/web.yaml"]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).not.toContain("delete");
    expect(await liveNames("us-west-2")).toEqual(["batch-base", "web-base"]);
    expect(await liveNames("eu-west-1")).toEqual(["api-base"]);

    // A file that is really gone is still pruned by a restricted run, and a saved restricted plan applies.
    await rm(join(cli.root, "waybill/batch.json"));
    expect((await cli.run(["plan", "--prune", "--out", "p.json", "waybill/web.yaml"])).code).toBe(2);
    const saved = await cli.run(["apply", "--plan", "p.json", "--yes", "waybill/web.yaml"]);
    expect(saved.stdout).toMatch(/ok\s+delete batch-base in us-west-2/);
    expect(saved.code).toBe(0);
    expect(await liveNames("us-west-2")).toEqual(["web-base"]);
    expect(await liveNames("eu-west-1")).toEqual(["api-base"]);
  });

  test("settings globs that cover only some files leave the others' configurations alone", async () => {
    const cli = await cliOn("estate", emulator.url);
    expect((await cli.run(["apply", "--yes"])).code).toBe(0);
    await writeFile(
      join(cli.root, "waybill.config.yaml"),
      "stack: e2e\ndefaultRegion: us-west-2\nregions: [us-west-2, eu-west-1]\npaths: [waybill/eu/**/*.yaml]\n",
    );
    const applied = await cli.run(["apply", "--prune", "--yes"]);
    expect(applied.code).toBe(0);
    expect(await liveNames("us-west-2")).toEqual(["batch-base", "web-base"]);
  });

  test("run from a subdirectory: the root is where waybill.config.yaml is, paths are relative to the cwd", async () => {
    const cli = await cliOn("estate", emulator.url);
    expect((await cli.run(["apply", "--yes"])).code).toBe(0);
    const fromSub = await cli.run(["plan"], { cwd: "waybill" });
    expect(fromSub.stderr).toBe("");
    expect(fromSub.code).toBe(0);
    expect(fromSub.stdout).toContain("No changes");
    const named = await cli.run(["plan", "--json", "--prune", "web.yaml"], { cwd: "waybill" });
    expect(named.code).toBe(0);
    expect(JSON.parse(named.stdout).changes.map((c: { source: string }) => c.source)).toEqual([
      "waybill/web.yaml",
    ]);
    expect((await cli.run(["validate", "api.yaml"], { cwd: "waybill/eu" })).stdout).toBe(
      "1 file, 1 configuration: valid.\n",
    );
    // --root names the repository from anywhere.
    const elsewhere = await cliOn(undefined, emulator.url);
    const rooted = await cli.run(["plan", "--root", cli.root], { cwd: "waybill" });
    expect(rooted.code).toBe(0);
    expect((await elsewhere.run(["plan", "--root", cli.root])).code).toBe(0);
  });

  test("adopt: an unmanaged configuration of the same name is left alone unless --adopt", async () => {
    const cli = await cliOn("estate", emulator.url);
    await gateway("us-west-2").create({
      name: "web-base",
      distributions: [
        { region: "us-west-2", amiDistributionConfiguration: { name: "old {{imagebuilder:buildDate}}" } },
      ],
      clientToken: "handmade",
    });
    const conflict = await cli.run(["apply", "--yes"]);
    expect(conflict.code).toBe(1);
    expect(conflict.stdout).toMatch(/skipped\s+conflict web-base in us-west-2: conflict: unmanaged/);
    expect(conflict.stderr).toBe(
      "waybill: conflict: web-base in us-west-2 exists and is not managed by Waybill; pass --adopt to take it over, or give it another name\n",
    );
    // The rest of the plan was applied.
    expect(await liveNames("us-west-2")).toEqual(["batch-base", "web-base"]);
    expect((await gateway("us-west-2").get(arnOf("us-west-2", "web-base"))).tags ?? {}).toEqual({});

    const adopt = await cli.run(["apply", "--yes", "--adopt"]);
    expect(adopt.code).toBe(0);
    expect(adopt.stdout).toMatch(/ok\s+adopt web-base in us-west-2/);
    const adopted = await gateway("us-west-2").get(arnOf("us-west-2", "web-base"));
    expect(adopted.tags?.["waybill:managed-by"]).toBe("e2e");
    expect(adopted.distributions?.map((d) => d.region).sort()).toEqual(["eu-west-1", "us-west-2"]);
    expect((await cli.run(["plan"])).code).toBe(0);
  });

  test("conflicts fail plan and apply with one line saying what to do", async () => {
    const cli = await cliOn("estate", emulator.url);
    await gateway("us-west-2").create({
      name: "web-base",
      distributions: [
        { region: "us-west-2", amiDistributionConfiguration: { name: "old {{imagebuilder:buildDate}}" } },
      ],
      tags: { "waybill:managed-by": "someone-else" },
      clientToken: "other-stack",
    });
    await writeFile(
      join(cli.root, "waybill/update.json"),
      JSON.stringify({
        distributionConfigurationArn: arnOf("us-west-2", "nowhere"),
        distributions: [
          { region: "us-west-2", amiDistributionConfiguration: { name: "x {{imagebuilder:buildDate}}" } },
        ],
      }),
    );
    const expected = [
      "waybill: conflict: nowhere in us-west-2: waybill/update.json is an update request, but arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/nowhere does not exist; remove distributionConfigurationArn to create it, or correct the ARN",
      "waybill: conflict: web-base in us-west-2 is managed by stack 'someone-else', not 'e2e'; leave it to that stack, or give it another name",
      "",
    ].join("\n");
    const plan = await cli.run(["plan"]);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain("web-base");
    expect(plan.stderr).toBe(expected);
    const json = await cli.run(["plan", "--json"]);
    expect(json.code).toBe(1);
    expect(json.stderr).toBe(expected);

    const apply = await cli.run(["apply", "--yes"]);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toBe(expected);
    expect(await liveNames("eu-west-1")).toEqual(["api-base"]);
    expect((await cli.run(["apply", "--yes", "--json"])).code).toBe(1);

    // Only conflicts: nothing to confirm, still a failure.
    await rm(join(cli.root, "waybill/update.json"));
    const onlyConflict = await cli.run(["apply"], { isTTY: true, stdin: "" });
    expect(onlyConflict.code).toBe(1);
    expect(onlyConflict.stderr).toContain("waybill: conflict: web-base in us-west-2 is managed by stack");
  });

  test("import writes config files; after adopting them the plan shows no changes", async () => {
    const seed = gateway("ap-northeast-1");
    for (const name of ["legacy-one", "Legacy Two"]) {
      await seed.create({
        name,
        description: `the ${name}`,
        distributions: [
          {
            region: "ap-northeast-1",
            amiDistributionConfiguration: {
              name: `${name.replace(" ", "-")} {{imagebuilder:buildDate}}`,
              launchPermission: { userIds: ["333333333333"] },
            },
          },
        ],
        tags: { owner: "platform" },
        clientToken: name,
      });
    }
    const cli = await cliOn(undefined, emulator.url);
    const imported = await cli.run(["import", "--region", "ap-northeast-1", "--out", "waybill/imported"]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain("wrote waybill/imported/legacy-two.yaml (Legacy Two)");
    expect((await cli.run(["validate"])).code).toBe(0);

    const before = await cli.run(["plan", "--json", "--adopt"]);
    expect(before.code).toBe(2);
    expect(
      JSON.parse(before.stdout).changes.map((c: { action: string; contentChanged: boolean }) => [
        c.action,
        c.contentChanged,
      ]),
    ).toEqual([
      ["adopt", false],
      ["adopt", false],
    ]);
    expect((await cli.run(["apply", "--yes", "--adopt"])).code).toBe(0);
    const after = await cli.run(["plan"]);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain("No changes");

    const again = await cli.run([
      "import",
      "--region",
      "ap-northeast-1",
      "--name",
      "legacy-one",
      "--out",
      "waybill/imported",
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe("waybill: waybill/imported/legacy-one.yaml exists; not overwritten\n");
  });

  test("apply --plan applies a saved plan, and refuses it once live state changed", async () => {
    const cli = await cliOn("estate", emulator.url);
    expect((await cli.run(["plan", "--out", "first.json"])).code).toBe(2);
    emulator.resetCounts();
    const applied = await cli.run(["apply", "--plan", "first.json", "--yes"]);
    expect(applied.code).toBe(0);
    expect(emulator.requestCounts().CreateDistributionConfiguration).toBe(3);

    const file = join(cli.root, "waybill/web.yaml");
    await writeFile(file, (await readFile(file, "utf8")).replace("Golden web AMI", "Golden web AMI, v2"));
    expect((await cli.run(["plan", "--out", "second.json"])).code).toBe(2);
    await gateway("us-west-2").tag(arnOf("us-west-2", "web-base"), { changed: "by hand" });
    emulator.resetCounts();
    const stale = await cli.run(["apply", "--plan", "second.json", "--yes"]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("live state changed since the plan was made");
    expect(emulator.requestCounts().UpdateDistributionConfiguration).toBe(0);
  });

  test("apply --plan again from the live state the plan was made from sends the same tokens: nothing is created twice", async () => {
    const cli = await cliOn("estate", emulator.url);
    expect((await cli.run(["plan", "--out", "first.json"])).code).toBe(2);
    expect((await cli.run(["apply", "--plan", "first.json", "--yes"])).code).toBe(0);
    const tokens = emulator.snapshot().clientTokens.map((record) => record.key);
    expect(tokens).toHaveLength(3);
    // The live state the plan was made from again, as a second run sees it that reads before the
    // service shows the first one's creates (or runs alongside it).
    await gateway("us-west-2").delete(arnOf("us-west-2", "web-base"), "web-base");
    await gateway("us-west-2").delete(arnOf("us-west-2", "batch-base"), "batch-base");
    await gateway("eu-west-1").delete(arnOf("eu-west-1", "api-base"), "api-base");
    emulator.resetCounts();
    expect((await cli.run(["apply", "--plan", "first.json", "--yes"])).code).toBe(0);
    expect(emulator.requestCounts().CreateDistributionConfiguration).toBe(3);
    // Answered from the service's memory of the first apply: no new token, nothing created.
    expect(emulator.snapshot().clientTokens.map((record) => record.key)).toEqual(tokens);
    expect([...(await liveNames("us-west-2")), ...(await liveNames("eu-west-1"))]).toEqual([]);
    // A new plan from the same live state has another id, so other tokens: it really creates.
    expect((await cli.run(["apply", "--yes"])).code).toBe(0);
    expect([...(await liveNames("us-west-2")), ...(await liveNames("eu-west-1"))]).toEqual([
      "batch-base",
      "web-base",
      "api-base",
    ]);
  });

  test("colour only when stdout is a terminal (not when redirected), and never with --no-color or NO_COLOR", async () => {
    const cli = await cliOn("estate", emulator.url);
    const ansi = "\u001b[";
    expect((await cli.run(["plan"], { stdoutIsTTY: true })).stdout).toContain(ansi);
    // `waybill plan > plan.txt` at a terminal: stdin and stderr are one, stdout is not.
    expect((await cli.run(["plan"], { isTTY: true, stdoutIsTTY: false })).stdout).not.toContain(ansi);
    expect((await cli.run(["plan", "--no-color"], { stdoutIsTTY: true })).stdout).not.toContain(ansi);
    expect((await cli.run(["plan"], { stdoutIsTTY: true, env: { NO_COLOR: "1" } })).stdout).not.toContain(
      ansi,
    );
  });

  test("plan shows reading progress on one terminal line, rewritten and cleared; nothing without a terminal", async () => {
    const cli = await cliOn("estate", emulator.url);
    expect((await cli.run(["apply", "--yes"])).code).toBe(0);
    const quiet = await cli.run(["plan"]);
    expect(quiet).toMatchObject({ code: 0, stderr: "" });

    const shown = await cli.run(["plan"], { isTTY: true });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe(quiet.stdout);
    const updates = shown.stderr.split("\r").filter((part) => part !== "");
    // Every update overwrites the line; the last write erases it.
    expect(updates[0]).toBe("Reading live state...\u001b[K");
    expect(updates.at(-1)).toBe("\u001b[K");
    // Nothing changed since apply: the List summaries match what apply recorded, so nothing is read.
    expect(updates.at(-2)).toBe(
      "Reading live state: 2 pages listed (2/2 regions), 0/0 configurations read, 3 unchanged since applied\u001b[K",
    );
    expect(updates.length).toBeGreaterThan(2);
    expect(shown.stderr).not.toContain("\n");

    // --refresh reads every configuration again.
    const refreshed = await cli.run(["plan", "--refresh"], { isTTY: true });
    expect(refreshed.code).toBe(0);
    const refreshUpdates = refreshed.stderr.split("\r").filter((part) => part !== "");
    expect(refreshUpdates.at(-2)).toBe(
      "Reading live state: 2 pages listed (2/2 regions), 3/3 configurations read\u001b[K",
    );
    expect(refreshUpdates.length).toBeGreaterThan(4);
  });

  test("confirmation: asked on a terminal, refused without one unless --yes", async () => {
    const cli = await cliOn("estate", emulator.url);
    const refused = await cli.run(["apply"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      "waybill: apply asks for confirmation on a terminal; pass --yes to apply without asking\n",
    );

    // stdout piped (`waybill apply | head`): the plan was not seen whole, so nothing is asked or applied.
    const piped = await cli.run(["apply"], { isTTY: true, stdin: "yes\n" });
    expect(piped.code).toBe(1);
    expect(piped.stderr).toContain("waybill: apply asks only when its plan is shown on the terminal");
    expect(await liveNames("us-west-2")).toEqual([]);

    const declined = await cli.run(["apply"], { isTTY: true, stdoutIsTTY: true, stdin: "no\n" });
    expect(declined.code).toBe(1);
    expect(declined.stderr).toContain("Apply cancelled");
    expect(await liveNames("us-west-2")).toEqual([]);

    const accepted = await cli.run(["apply", "--no-color"], {
      isTTY: true,
      stdoutIsTTY: true,
      stdin: "yes\n",
    });
    expect(accepted.code).toBe(0);
    expect(accepted.stderr).toMatch(/\[3\/3\] ok create/);
    expect(await liveNames("us-west-2")).toEqual(["batch-base", "web-base"]);
  });

  test("under server errors, dropped connections and throttling: each failure reported, no duplicate creates, a re-run converges", async () => {
    const cli = await cliOn("estate", emulator.url);
    await mkdir(join(cli.root, "waybill/many"));
    const many = Array.from({ length: 12 }, (_, index) => `many-${String(index).padStart(2, "0")}`);
    for (const name of many) {
      await writeFile(
        join(cli.root, `waybill/many/${name}.yaml`),
        `name: ${name}\ndistributions:\n  - region: us-west-2\n    amiDistributionConfiguration:\n      name: "${name} {{imagebuilder:buildDate}}"\n`,
      );
    }
    emulator.setFaults({ errorRate: 0.2, dropRate: 0.1, throttleRps: 6, seed: 3 });
    let applied = false;
    const failures: string[] = [];
    for (let run = 0; run < 40 && !applied; run++) {
      // Two attempts per request: some faults are retried by the SDK (same clientToken), others
      // become failed changes that the next run must pick up.
      const result = await cli.run(["apply", "--yes"], { env: { AWS_MAX_ATTEMPTS: "2" } });
      if (result.code === 0) applied = true;
      else {
        failures.push(
          ...(result.stdout + result.stderr).split("\n").filter((line) => /FAILED|waybill: /.test(line)),
        );
        expect(result.stderr).not.toMatch(/\n\s+at /);
      }
    }
    emulator.setFaults({ errorRate: 0, dropRate: 0, throttleRps: 0 });
    expect(applied).toBe(true);
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure).toMatch(
        /ServiceException|ServiceUnavailableException|CallRateLimitExceeded|socket|ECONNRESET|Could not/,
      );
    }
    // A second create of a name would fail as ResourceAlreadyExistsException, a token reused with
    // another body as IdempotentParameterMismatchException.
    expect(failures.filter((line) => /AlreadyExists|IdempotentParameterMismatch/.test(line))).toEqual([]);
    expect(await liveNames("us-west-2")).toEqual(["batch-base", ...many, "web-base"]);
    expect(await liveNames("eu-west-1")).toEqual(["api-base"]);
    expect(emulator.snapshot().configurations).toHaveLength(15);
    // Some creates were sent more than once (retried or re-run) and still made one configuration each.
    expect(emulator.requestCounts().CreateDistributionConfiguration).toBeGreaterThan(15);
    const again = await cli.run(["plan"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("No changes");
    // Up to 40 runs against a 6-requests-a-second limit with paced retries: seconds on a quiet
    // machine, but the pacing stretches on a loaded one, so this test gets more than the default.
  }, 180_000);
});

describe("user mistakes: one line, non-zero, no stack trace", () => {
  test.each([
    [["plan", "--bogus"], "waybill: unknown option '--bogus'; see 'waybill plan --help'\n"],
    [
      ["plan", "--concurrency", "lots"],
      "waybill: --concurrency must be a positive whole number, got 'lots'\n",
    ],
    [["apply", "--plan", "missing.json", "--yes"], "waybill: cannot read missing.json: ENOENT\n"],
    [["import", "--out", "x"], "waybill: import needs --region <region>\n"],
    [["render"], "waybill: render needs a template, e.g. waybill render 'web {{imagebuilder:buildDate}}'\n"],
    [["frobnicate"], "waybill: unknown command 'frobnicate'; run 'waybill --help' for the list\n"],
    [["validate", "--region", "bogus"], "waybill: --region must be a region like us-west-2, got 'bogus'\n"],
    [
      ["plan", "--region", "us-east1"],
      "waybill: --region must be a region like us-west-2, got 'us-east1'; did you mean 'us-east-1'?\n",
    ],
    [
      ["apply", "--yes", "--region", "bogus"],
      "waybill: --region must be a region like us-west-2, got 'bogus'\n",
    ],
    [["plan", "--stack", ""], "waybill: --stack must be 1-63 letters, digits, '.', '_' or '-', got ''\n"],
    [
      ["plan", "--stack", "bad*"],
      "waybill: --stack must be 1-63 letters, digits, '.', '_' or '-', got 'bad*'\n",
    ],
    [
      ["apply", "--yes", "--stack", "s".repeat(300)],
      `waybill: --stack must be 1-63 letters, digits, '.', '_' or '-', got '${"s".repeat(300)}'\n`,
    ],
    [["plan", "--concurrency", "65"], "waybill: --concurrency must be at most 64, got '65'\n"],
    [
      ["render", "x {{imagebuilder:buildDate}}", "--build-version", "-3"],
      "waybill: --build-version must be a positive whole number, got '-3'\n",
    ],
    [["plan", "--concurrency", "-2"], "waybill: --concurrency must be a positive whole number, got '-2'\n"],
    [
      ["plan", "--out", "-x"],
      "waybill: option '--out' needs a value; write --out=<value> for one starting with '-'; see 'waybill plan --help'\n",
    ],
    [["schema", "extra"], "waybill: schema takes no arguments, got 'extra'; see 'waybill schema --help'\n"],
    [["demo", "examples"], "waybill: demo takes no arguments, got 'examples'; see 'waybill demo --help'\n"],
    [
      ["import", "--region", "us-west-2", "--out", "waybill/web.yaml"],
      "waybill: --out must be a directory, got 'waybill/web.yaml' (a file)\n",
    ],
  ])("%j", async (args, message) => {
    const cli = await cliOn("estate", emulator.url);
    const run = await cli.run(args);
    expect(run).toEqual({ code: 1, stdout: "", stderr: message });
  });

  test.each([
    [
      ["emulator", "--latency-ms", "-5"],
      "waybill: --latency-ms must be a number >= 0, got '-5'; see 'waybill emulator --help'\n",
    ],
    [
      ["emulator", "--state", "/nonexistent-waybill-folder/state.json"],
      "waybill: emulator cannot start: cannot write state file /nonexistent-waybill-folder/state.json: the folder /nonexistent-waybill-folder does not exist\n",
    ],
  ])("emulator %j exits 2 with one line, as pnpm emulator does", async (args, message) => {
    const cli = await cliOn("estate", emulator.url);
    expect(await cli.run(args)).toEqual({ code: 2, stdout: "", stderr: message });
  });

  test("a bad AWS_REGION is one line and reaches no AWS", async () => {
    const cli = await cliOn("estate", emulator.url);
    await writeFile(join(cli.root, "waybill.config.yaml"), "stack: e2e\n");
    emulator.resetCounts();
    for (const command of [["validate"], ["plan"], ["apply", "--yes"]]) {
      expect(await cli.run(command, { env: { AWS_REGION: "bogus" } })).toEqual({
        code: 1,
        stdout: "",
        stderr: "waybill: AWS_REGION must be a region like us-west-2, got 'bogus'\n",
      });
    }
    expect(Object.values(emulator.requestCounts()).reduce((a, b) => a + b, 0)).toBe(0);
  });

  test("a bad endpoint is one line naming the flag or variable, and reaches no AWS", async () => {
    const cli = await cliOn("estate", emulator.url);
    emulator.resetCounts();
    const message = "must be an http:// or https:// URL such as https://imagebuilder.us-west-2.amazonaws.com";
    for (const command of [["plan"], ["apply", "--yes"]]) {
      expect(await cli.run([...command, "--endpoint-url", "notaurl"])).toEqual({
        code: 1,
        stdout: "",
        stderr: `waybill: --endpoint-url ${message}, got 'notaurl'\n`,
      });
      expect(await cli.run(command, { env: { AWS_ENDPOINT_URL_IMAGEBUILDER: "ftp://x" } })).toEqual({
        code: 1,
        stdout: "",
        stderr: `waybill: AWS_ENDPOINT_URL_IMAGEBUILDER ${message}, got 'ftp://x'\n`,
      });
    }
    const global = await cli.run(["plan"], {
      env: { AWS_ENDPOINT_URL_IMAGEBUILDER: "", AWS_ENDPOINT_URL: "notaurl" },
    });
    expect(global.stderr).toBe(`waybill: AWS_ENDPOINT_URL ${message}, got 'notaurl'\n`);
    // validate never calls AWS, so the endpoint is none of its business.
    expect((await cli.run(["validate"], { env: { AWS_ENDPOINT_URL_IMAGEBUILDER: "ftp://x" } })).code).toBe(0);
    expect(Object.values(emulator.requestCounts()).reduce((a, b) => a + b, 0)).toBe(0);
  });

  test("bare waybill prints the help and exits 1; waybill --help exits 0", async () => {
    const cli = await cliOn(undefined, emulator.url);
    const bare = await cli.run([]);
    expect(bare.code).toBe(1);
    expect(bare.stdout).toMatch(/^Usage: waybill <command> \[options\]/);
    expect(await cli.run(["--help"])).toEqual({ code: 0, stdout: bare.stdout, stderr: "" });
  });

  test("waybill --version (or -v) prints the package's version and exits 0", async () => {
    const cli = await cliOn(undefined, emulator.url);
    const manifest = JSON.parse(await readFile(join(import.meta.dirname, "..", "package.json"), "utf8"));
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(await cli.run(["--version"])).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: "" });
    expect(await cli.run(["-v"])).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: "" });
  });

  test("a bad settings file is reported with its position", async () => {
    const cli = await cliOn("estate", emulator.url);
    await writeFile(join(cli.root, "waybill.config.yaml"), "stack: e2e\nconcurrency: many\n");
    const run = await cli.run(["plan"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^waybill\.config\.yaml:2:14: error settings-invalid: concurrency: /m);
    expect(run.stderr).toMatch(/waybill: waybill\.config\.yaml is not valid\n$/);
  });

  test("an unreachable endpoint is one line naming the region", async () => {
    const cli = await cliOn("estate", "http://127.0.0.1:9");
    const run = await cli.run(["plan", "--concurrency", "1"], { env: { AWS_MAX_ATTEMPTS: "1" } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^waybill: Could not list distribution configurations in (eu-west-1|us-west-2): .+\n$/,
    );
  });
});

describe("render and schema", () => {
  test("render previews the AMI name", async () => {
    const cli = await cliOn(undefined, emulator.url);
    const run = await cli.run([
      "render",
      "web {{ imagebuilder:buildDate }} v{{imagebuilder:buildVersion}}",
      "--build-date",
      "2026-11-23T10:15:30.123Z",
      "--build-version",
      "7",
    ]);
    expect(run).toEqual({ code: 0, stdout: "web 2026-11-23T10-15-30.123Z v7\n", stderr: "" });
    const bad = await cli.run(["render", "web:{{imagebuilder:buildVersion}}"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("must contain {{imagebuilder:buildDate}}");
    // Every problem is a `waybill:` line, as every other mistake the CLI reports.
    const lines = bad.stderr.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line).toMatch(/^waybill: /);
  });

  test("schema prints a JSON Schema that knows the document's keys", async () => {
    const cli = await cliOn(undefined, emulator.url);
    const run = await cli.run(["schema"]);
    expect(run.code).toBe(0);
    const schema = JSON.parse(run.stdout);
    expect(run.stdout).toBe(distributionConfigurationJsonSchemaText());
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["name", "region", "distributions", "tags"]),
    );
  });
});
