// The bundled action with preflight on: its gatherers load from their own chunk, read moto, and the comment shows the findings.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Moto, MotoState, startMoto } from "@waybill/aws/testing/moto";
import { type Emulator, startEmulator } from "@waybill/emulator";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { githubHtml, topBlocks } from "../../../../packages/core/src/testing/github-markdown.js";
import { type FakeGitHub, startFakeGitHub } from "../testing/fake-github-server.js";
import { copyFixtureRepository, runBundle } from "./run-bundle.js";

let emulator: Emulator;
let moto: Moto;
let github: FakeGitHub;
let workspace: string;

beforeAll(async () => {
  [emulator, moto, github] = await Promise.all([startEmulator(), startMoto(), startFakeGitHub()]);
  workspace = await copyFixtureRepository("repo");
});
afterAll(async () => {
  await Promise.all([emulator?.close(), moto?.stop(), github?.close()]);
  await rm(workspace, { recursive: true, force: true });
});

const [withRole, noRole, keyOmits] = ["222222222222", "333333333333", "444444444444"];

describe("pull_request with preflight enabled", () => {
  test("the comment shows a missing role and a key policy that omits an account, and the check fails until they are fixed", async () => {
    const state = new MotoState(moto);
    await state.createCrossAccountRole(withRole);
    await state.createCrossAccountRole(keyOmits);
    const key = await state.createKey("us-east-1", [withRole, noRole]);
    await writeFile(
      join(workspace, "waybill.config.yaml"),
      `stack: images-e2e
defaultRegion: us-east-1
accounts:
  workloads: ["${withRole}", "${noRole}", "${keyOmits}"]
preflight:
  enabled: true
  readRole: "arn:aws:iam::{account}:role/WaybillPreflightRead"
`,
    );
    await rm(join(workspace, "waybill"), { recursive: true, force: true });
    await mkdir(join(workspace, "waybill"));
    await writeFile(
      join(workspace, "waybill", "web.yaml"),
      `name: web
distributions:
  - region: us-east-1
    amiDistributionConfiguration:
      name: "web {{imagebuilder:buildDate}}"
      kmsKeyId: ${key}
      targetAccountIds: [set:workloads]
`,
    );
    const run = () =>
      runBundle({
        eventName: "pull_request",
        eventFile: "pull_request.json",
        workspace,
        githubApiUrl: github.url,
        inputs: { "github-token": "ghs_e2e_token", "endpoint-url": emulator.url },
        env: {
          AWS_ACCESS_KEY_ID: "AKIAEXAMPLEE2E000001",
          AWS_SECRET_ACCESS_KEY: "e2e-secret-access-key-never-printed",
          AWS_REGION: "us-east-1",
          AWS_ENDPOINT_URL: moto.url,
        },
      });

    const failing = await run();
    expect(failing.exitCode, failing.stdout + failing.stderr).toBe(1);
    const comment = github.comments(42).at(-1)?.body ?? "";
    expect(comment).toContain("### Preflight: 2 errors");
    expect(comment).toContain("`waybill/web.yaml:7:26` `cross-account-role-missing`");
    expect(comment).toContain(`account ${noRole} has no role EC2ImageBuilderDistributionCrossAccountRole`);
    expect(comment).toContain("`waybill/web.yaml:7:26` `kms-key-policy-omits-account`");
    expect(comment).toContain(`does not let account ${keyOmits} use it`);
    expect(failing.stdout).toContain("preflight found 2 errors");
    // As GitHub shows it: the errors in a CAUTION alert right under the headline, not only at the end.
    const blocks = topBlocks(githubHtml(comment));
    expect(blocks[1]?.text).toBe(failing.outputs.summary);
    expect(blocks.slice(2, 4).map((block) => block.text)).toContainEqual(
      expect.stringMatching(/^\[!CAUTION\]\nPreflight found 2 errors: the next build would fail$/),
    );
    // Annotated at the place in the file.
    expect(failing.stdout).toContain(
      "::error title=Waybill preflight%3A cross-account-role-missing,file=waybill/web.yaml,line=7,col=26::",
    );

    await state.createCrossAccountRole(noRole);
    await state.setKeyPolicy("us-east-1", key, [withRole, noRole, keyOmits]);
    const clean = await run();
    expect(clean.exitCode, clean.stdout + clean.stderr).toBe(0);
    const comments = github.comments(42);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain("### Preflight: clean");
  });
});
