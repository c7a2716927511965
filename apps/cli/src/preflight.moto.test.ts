// End to end: waybill plan / preflight against the emulator (Image Builder) and moto (IAM, KMS, EC2, S3, STS, Organizations).
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MOTO_SOURCE_ACCOUNT, type Moto, MotoState, startMoto } from "@waybill/aws/testing/moto";
import { type Emulator, startEmulator } from "@waybill/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Cli, cliOn } from "./testing/harness.js";

let emulator: Emulator;
let moto: Moto;
let state: MotoState;
beforeAll(async () => {
  [emulator, moto] = await Promise.all([startEmulator(), startMoto()]);
  state = new MotoState(moto);
});
afterAll(async () => {
  await Promise.all([emulator?.close(), moto?.stop()]);
});
beforeEach(async () => {
  await moto.reset();
});

const [withRole, noRole, keyOmits] = ["222222222222", "333333333333", "444444444444"];

async function repository(settings: string, config: string): Promise<{ cli: Cli; run: Cli["run"] }> {
  const cli = await cliOn(undefined, emulator.url);
  await writeFile(join(cli.root, "waybill.config.yaml"), settings);
  await mkdir(join(cli.root, "waybill"));
  await writeFile(join(cli.root, "waybill", "web.yaml"), config);
  const env = { AWS_ENDPOINT_URL: moto.url, AWS_REGION: "us-east-1" };
  return { cli, run: (args, options = {}) => cli.run(args, { ...options, env: { ...env, ...options.env } }) };
}

const webConfig = (keyArn: string, accounts: string) => `name: web
region: us-east-1
distributions:
  - region: us-east-1
    amiDistributionConfiguration:
      name: "web {{imagebuilder:buildDate}}"
      kmsKeyId: ${keyArn}
      targetAccountIds: ${accounts}
`;

describe("preflight end to end", () => {
  it("shows a target account without the role and one the KMS key omits, located and actionable, until moto is fixed", async () => {
    await state.createCrossAccountRole(withRole);
    await state.createCrossAccountRole(keyOmits);
    const key = await state.createKey("us-east-1", [withRole, noRole]);
    const { run } = await repository(
      `accounts:
  workloads: ["${withRole}", "${noRole}", "${keyOmits}"]
preflight:
  enabled: true
  readRole: "arn:aws:iam::{account}:role/WaybillPreflightRead"
`,
      webConfig(key, "[set:workloads]"),
    );

    const plan = await run(["plan", "--markdown", "comment.md"]);
    expect(plan.code, plan.stderr).toBe(1);
    // The plan itself: the set expanded into the three accounts.
    expect(plan.stdout).toContain("create");
    expect(plan.stdout).toContain(`Preflight: 2 errors`);
    // Located at the reference (line 8, the set), naming the account, the fix and the evidence.
    expect(plan.stdout).toContain(
      `waybill/web.yaml:8:26: error cross-account-role-missing: account ${noRole} has no role EC2ImageBuilderDistributionCrossAccountRole`,
    );
    expect(plan.stdout).toContain(
      `hint: create EC2ImageBuilderDistributionCrossAccountRole in ${noRole}, trusting ${MOTO_SOURCE_ACCOUNT}`,
    );
    expect(plan.stdout).toContain(
      `evidence: IAM GetRole EC2ImageBuilderDistributionCrossAccountRole in account ${noRole}`,
    );
    expect(plan.stdout).toMatch(
      new RegExp(
        `waybill/web\\.yaml:8:26: error kms-key-policy-omits-account: KMS key ${key} in us-east-1 does not let account ${keyOmits} use it`,
      ),
    );
    expect(plan.stdout).toContain(
      `hint: add a statement to the key policy allowing arn:aws:iam::${keyOmits}:root`,
    );
    expect(plan.stdout).toContain(`set:workloads: ${withRole}, ${noRole}, ${keyOmits}`);
    expect(plan.stderr).toContain("preflight found errors");

    // `plan --json` carries the same report in the plan's JSON (version 3); stdout is that document alone.
    const json = await run(["plan", "--json"]);
    expect(json.code).toBe(1);
    const document = JSON.parse(json.stdout);
    expect(document.version).toBe(3);
    expect(document.preflight.findings.map((finding: { code: string }) => finding.code).sort()).toEqual([
      "cross-account-role-missing",
      "kms-key-policy-omits-account",
    ]);
    expect(document.preflight.findings[0]).toMatchObject({ file: "waybill/web.yaml", line: 8, column: 26 });
    expect(document.preflight.accountSets).toEqual([
      { name: "workloads", source: "list", accounts: [withRole, noRole, keyOmits] },
    ]);
    expect(json.stderr).not.toContain("Preflight: 2 errors");
    expect(json.stderr).toContain("preflight found errors");

    // `waybill preflight` says the same, and fails.
    const before = await run(["preflight"]);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain("cross-account-role-missing");
    expect(before.stdout).toContain("kms-key-policy-omits-account");

    // Fix the fake's state: the role in the second account, the third account in the key policy.
    await state.createCrossAccountRole(noRole);
    await state.setKeyPolicy("us-east-1", key, [withRole, noRole, keyOmits]);
    const after = await run(["preflight"]);
    expect(after.stdout).toContain("Preflight: clean");
    expect(after.code, after.stdout + after.stderr).toBe(0);
    const cleanPlan = await run(["plan"]);
    expect(cleanPlan.code, cleanPlan.stderr).toBe(2);
    expect(cleanPlan.stdout).toContain("Preflight: clean");
  });

  it("resolves a set from an Organizations OU: an account added under the OU is a planned +account", async () => {
    const unit = await state.createOrganizationalUnit("workloads");
    const first = await state.createAccount("alpha", unit);
    const { run } = await repository(
      `accounts:
  org:
    organizationalUnit: ${unit}
`,
      `name: org-shared
region: us-east-1
distributions:
  - region: us-east-1
    amiDistributionConfiguration:
      name: "org {{imagebuilder:buildDate}}"
      launchPermission:
        userIds: [set:org]
`,
    );
    const applied = await run(["apply", "--yes"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect((await run(["plan"])).code).toBe(0);

    const second = await state.createAccount("beta", unit);
    const plan = await run(["plan"]);
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toContain(`+${second} (set:org)`);
    expect(plan.stdout).not.toContain(`+${first}`);
  });

  it("an unresolvable OU is a located error, never an empty set", async () => {
    await state.createOrganizationalUnit("workloads");
    const { run } = await repository(
      `accounts:
  org:
    organizationalUnit: ou-zzzz-nothere1
`,
      webConfig("alias/none", "[set:org]"),
    );
    const plan = await run(["plan"]);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain("waybill.config.yaml:2:3: error account-set-unresolved");
    expect(plan.stderr).toContain("ou-zzzz-nothere1");
    // Only the settings file failed: the closing line names it, not "the config files".
    expect(plan.stderr.trimEnd().split("\n").at(-1)).toBe(
      "waybill: waybill.config.yaml is not valid; nothing was planned",
    );
  });

  it("checks rollout.executionRole: it exists and trusts imagebuilder.amazonaws.com", async () => {
    const plainConfig = `name: web
region: us-east-1
distributions:
  - region: us-east-1
    amiDistributionConfiguration:
      name: "web {{imagebuilder:buildDate}}"
`;
    const settings = (role: string) =>
      `rollout:\n  executionRole: arn:aws:iam::${MOTO_SOURCE_ACCOUNT}:role/${role}\n`;
    await state.createRole(MOTO_SOURCE_ACCOUNT, "WaybillRollout", "imagebuilder.amazonaws.com");
    await state.createRole(MOTO_SOURCE_ACCOUNT, "NotForImageBuilder", "ec2.amazonaws.com");
    const good = await (await repository(settings("WaybillRollout"), plainConfig)).run(["preflight"]);
    expect(good.stdout).not.toContain("rollout-role");
    expect(good.code, good.stdout).toBe(0);

    const untrusted = await (await repository(settings("NotForImageBuilder"), plainConfig)).run([
      "preflight",
    ]);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stdout).toContain(
      "waybill.config.yaml:2:18: error rollout-role-untrusted: rollout.executionRole NotForImageBuilder does not trust imagebuilder.amazonaws.com",
    );

    const missing = await (await repository(settings("Nowhere"), plainConfig)).run(["preflight"]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(
      "error rollout-role-missing: rollout.executionRole Nowhere does not exist",
    );
  });
});
