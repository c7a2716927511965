// End to end over real HTTP: configurations another tool created live in the emulator; the CLI
// imports that tool's files, the files validate, and `plan --adopt` shows only adopt.
import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createAwsAccess } from "@waybill/aws";
import type { DistributionConfigurationDocument } from "@waybill/core";
import { type Emulator, startEmulator } from "@waybill/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { type Cli, cliOn, fakeAwsEnv } from "./testing/harness.js";

const examples = join(import.meta.dirname, "..", "..", "..", "examples", "migrate");

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
beforeEach(() => {
  emulator.reset();
});
afterAll(async () => {
  await emulator.close();
});

/** Creates the configurations as the other tool did: through the API, without Waybill's tags. */
async function createAsTheOtherTool(documents: DistributionConfigurationDocument[]): Promise<void> {
  const aws = createAwsAccess({
    endpointUrl: emulator.url,
    credentials: {
      accessKeyId: fakeAwsEnv.AWS_ACCESS_KEY_ID,
      secretAccessKey: fakeAwsEnv.AWS_SECRET_ACCESS_KEY,
    },
  });
  for (const { region, ...document } of documents) {
    await aws.clientFor(region ?? fakeAwsEnv.AWS_REGION).create({ ...document, clientToken: document.name });
  }
}

async function expected(relative: string): Promise<DistributionConfigurationDocument[]> {
  return JSON.parse(await readFile(join(examples, relative), "utf8")) as DistributionConfigurationDocument[];
}

/** A repository with the other tool's files copied in under `source/`. */
async function repositoryWith(tool: string): Promise<Cli> {
  const cli = await cliOn(undefined, emulator.url);
  await cp(join(examples, tool), join(cli.root, "source"), { recursive: true });
  return cli;
}

/** `plan --adopt --json`: each change's action and whether adopting changes content. */
async function adoptPlan(cli: Cli): Promise<{ code: number; changes: [string, string, boolean][] }> {
  const plan = await cli.run(["plan", "--json", "--adopt"]);
  const changes = (
    JSON.parse(plan.stdout) as { changes: { action: string; name: string; contentChanged: boolean }[] }
  ).changes.map((c): [string, string, boolean] => [c.action, c.name, c.contentChanged]);
  return { code: plan.code, changes: changes.sort((a, b) => a[1].localeCompare(b[1])) };
}

async function takeoverShowsOnlyAdopt(
  cli: Cli,
  documents: DistributionConfigurationDocument[],
): Promise<void> {
  expect(await cli.run(["validate"])).toMatchObject({ code: 0 });
  const plan = await adoptPlan(cli);
  expect(plan.code).toBe(2);
  expect(plan.changes).toEqual(
    documents
      .map((d): [string, string, boolean] => ["adopt", d.name, false])
      .sort((a, b) => a[1].localeCompare(b[1])),
  );
  // Adopting changes nothing but Waybill's tags; afterwards there is nothing to do.
  expect((await cli.run(["apply", "--yes", "--adopt"])).code).toBe(0);
  expect(await cli.run(["plan"])).toMatchObject({ code: 0, stdout: expect.stringContaining("No changes") });
}

describe("import --from cloudformation", () => {
  test("the AWS docs' examples: as published, located errors and no file; deployed, clean files and only adopt", async () => {
    const cli = await repositoryWith("cloudformation");
    const published = await cli.run([
      "import",
      "--from",
      "cloudformation",
      "source/aws-docs-ami.yaml",
      "--region",
      "us-west-2",
      "--out",
      "waybill",
    ]);
    expect(published.code).toBe(1);
    expect(published.stdout).toMatch(
      /^source\/aws-docs-ami\.yaml:46:5: error unknown-key: Tags is not a resource attribute/m,
    );
    expect(published.stdout).toMatch(/^source\/aws-docs-ami\.yaml:26:15: error pattern-mismatch: /m);
    expect(published.stdout).toContain("Wrote 0 files from cloudformation (2 errors, 1 warning).");

    const documents = await expected("cloudformation/aws-docs-deployable.expected.json");
    await createAsTheOtherTool(documents);
    const imported = await cli.run([
      "import",
      "--from",
      "cloudformation",
      "source/aws-docs-deployable.yaml",
      "--region",
      "us-west-2",
      "--out",
      "waybill",
    ]);
    expect(imported).toEqual({
      code: 0,
      stdout: [
        "wrote waybill/distribution-configuration-name.yaml (distribution-configuration-name)",
        "wrote waybill/distribution-configuration-all-parameters.yaml (distribution-configuration-all-parameters)",
        "Wrote 2 files from cloudformation (0 errors, 0 warnings).",
        "Run 'waybill plan --adopt' to see the takeover: it should show only adopt (docs/migrate.md).",
        "",
      ].join("\n"),
      stderr: "",
    });
    await takeoverShowsOnlyAdopt(cli, documents);
  });

  test("intrinsics resolved from the parameters file and the deployed stack; without the stack, located errors and no file", async () => {
    const documents = await expected("cloudformation/golden-ami.expected.json");
    await createAsTheOtherTool(documents);
    const cli = await repositoryWith("cloudformation");
    const args = ["import", "--from", "cloudformation", "source/golden-ami.yaml", "--out", "waybill"];
    const partial = await cli.run([...args, "--parameters", "source/golden-ami.parameters.json"]);
    expect(partial.code).toBe(1);
    expect(partial.stdout).toMatch(
      /^source\/golden-ami\.yaml:47:23: error unresolved-reference: Fn::GetAtt AmiKey\.Arn is known only to the deployed stack/m,
    );
    expect(partial.stdout).toContain("Wrote 0 files from cloudformation (7 errors, 0 warnings).");
    expect(await readdir(cli.root)).not.toContain("waybill");

    const full = await cli.run([
      ...args,
      "--parameters",
      "source/golden-ami.parameters.json",
      "--stack-file",
      "source/golden-ami.stack.json",
    ]);
    expect(full.code).toBe(0);
    expect(full.stdout).toContain("wrote waybill/golden-prod.yaml (golden-prod)");
    await takeoverShowsOnlyAdopt(cli, documents);
  });
});

describe("import --from terraform", () => {
  test("terraform show -json with every block: files, validate clean, plan --adopt shows only adopt", async () => {
    const documents = await expected("terraform/show-state.expected.json");
    await createAsTheOtherTool(documents);
    const cli = await repositoryWith("terraform");
    const imported = await cli.run([
      "import",
      "--from",
      "terraform",
      "source/show-state.json",
      "--out",
      "waybill",
    ]);
    expect(imported.stdout).toBe(
      [
        "wrote waybill/golden-linux.yaml (golden-linux)",
        "wrote waybill/app-containers.yaml (app-containers)",
        "Wrote 2 files from terraform (0 errors, 0 warnings).",
        "Run 'waybill plan --adopt' to see the takeover: it should show only adopt (docs/migrate.md).",
        "",
      ].join("\n"),
    );
    expect(imported.code).toBe(0);
    await takeoverShowsOnlyAdopt(cli, documents);
  });

  test("an absolute source path (or one from a subfolder) is named relative to the repository in the files' header", async () => {
    const cli = await repositoryWith("terraform");
    const absolute = join(cli.root, "source", "show-state.json");
    expect((await cli.run(["import", "--from", "terraform", absolute, "--out", "waybill"])).code).toBe(0);
    const header = (await readFile(join(cli.root, "waybill", "golden-linux.yaml"), "utf8")).split("\n")[0];
    expect(header).toBe(
      "# Imported from Terraform: source/show-state.json, aws_imagebuilder_distribution_configuration.golden",
    );
    expect(header).not.toContain(cli.root);

    const nested = await repositoryWith("terraform");
    // The repository's root is where its settings file is: the import runs from a folder below.
    await writeFile(join(nested.root, "waybill.config.yaml"), "stack: platform\n");
    const fromSubfolder = await nested.run(
      ["import", "--from", "terraform", "show-state.json", "--out", "../waybill"],
      { cwd: "source" },
    );
    expect(fromSubfolder.code).toBe(0);
    const nestedHeader = (await readFile(join(nested.root, "waybill", "golden-linux.yaml"), "utf8")).split(
      "\n",
    )[0];
    expect(nestedHeader).toContain("Imported from Terraform: source/show-state.json,");
  });
});

describe("import --from alchemy", () => {
  test("the three examples: each AMI name the service refuses is reported with the fixed name; once fixed, only adopt", async () => {
    const cli = await repositoryWith("alchemy");
    const imported = await cli.run(["import", "--from", "alchemy", "source/.alchemy", "--out", "waybill"]);
    expect(imported.code).toBe(1);
    const offered = [
      ...imported.stdout.matchAll(/error ami-name-missing-build-date: .*\n {2}hint: .* e\.g\. "(.*)"/g),
    ].map((m) => m[1] as string);
    expect(offered).toEqual([
      "advanced-ami-west {{imagebuilder:buildDate}}",
      "advanced-ami-east {{imagebuilder:buildDate}}",
      "basic-ami {{imagebuilder:buildDate}}",
      "multi-region-ami-west {{imagebuilder:buildDate}}",
      "multi-region-ami-eu {{imagebuilder:buildDate}}",
    ]);
    expect(imported.stdout).toMatch(
      /^source\/\.alchemy\/imagebuilder\/dev\/basicDistributionConfig\.json:33:19: error ami-name-missing-build-date/m,
    );
    expect(imported.stdout).toContain("Wrote 3 files from alchemy (5 errors, 2 warnings).");
    expect((await cli.run(["validate"])).code).toBe(1);

    // The user takes the offered names; the service would have refused the others, so the live
    // configurations (created with the fixed names) are the same.
    const fixed = (name: string) => offered.find((o) => o.startsWith(`${name} `)) ?? name;
    for (const file of await readdir(join(cli.root, "waybill"))) {
      const path = join(cli.root, "waybill", file);
      const text = await readFile(path, "utf8");
      await writeFile(
        path,
        text.replace(/^(\s+name: )(\S+)$/gm, (line, prefix: string, name: string) =>
          fixed(name) === name ? line : `${prefix}${fixed(name)}`,
        ),
      );
    }
    const documents = (await expected("alchemy/examples.expected.json")).map((document) => ({
      ...document,
      distributions: document.distributions.map((d) => ({
        ...d,
        amiDistributionConfiguration: {
          ...d.amiDistributionConfiguration,
          name: fixed(d.amiDistributionConfiguration?.name ?? ""),
        },
      })),
    }));
    await createAsTheOtherTool(documents);
    await takeoverShowsOnlyAdopt(cli, documents);
  });
});

describe("import --from: mistakes", () => {
  test.each([
    [
      ["import", "--from", "pulumi", "x", "--out", "o"],
      "waybill: --from must be one of cloudformation, terraform, alchemy, got 'pulumi'\n",
    ],
    [
      ["import", "--from", "terraform", "--out", "o"],
      "waybill: import --from terraform needs the terraform show -json output to read\n",
    ],
    [
      ["import", "--from", "terraform", "a.json", "b.json", "--out", "o"],
      "waybill: import --from terraform reads one terraform show -json output, got 2\n",
    ],
    [
      ["import", "--from", "terraform", "a.json", "--parameters", "p.json", "--out", "o"],
      "waybill: --parameters is for --from cloudformation, not --from terraform\n",
    ],
    [
      ["import", "--region", "us-west-2", "--stack-file", "s.json", "--out", "o"],
      "waybill: --stack-file needs --from cloudformation\n",
    ],
    [
      ["import", "--from", "cloudformation", "missing.yaml", "--out", "o"],
      "waybill: cannot read missing.yaml: ENOENT\n",
    ],
  ])("%j", async (args, stderr) => {
    const cli = await cliOn(undefined, emulator.url);
    expect(await cli.run(args)).toEqual({ code: 1, stdout: "", stderr });
  });
});
