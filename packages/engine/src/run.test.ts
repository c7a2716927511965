import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { openRun } from "./run.js";

const fixture = (name: string) => join(import.meta.dirname, "fixtures", "settings", name);
const credentials = { AWS_ACCESS_KEY_ID: "AKIAWAYBILLTEST00001", AWS_SECRET_ACCESS_KEY: "not-a-secret" };

async function opened(options: Parameters<typeof openRun>[0]) {
  const result = await openRun(options);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.run;
}

async function refused(options: Parameters<typeof openRun>[0]) {
  const result = await openRun(options);
  if (result.ok) throw new Error("expected a refusal");
  return result.diagnostics.map((d) => [d.code, d.path, d.message]);
}

describe("openRun", () => {
  test("the default region: flag, else file, else AWS_REGION, else AWS_DEFAULT_REGION", async () => {
    const env = { ...credentials, AWS_REGION: "eu-central-1", AWS_DEFAULT_REGION: "ap-south-1" };
    const flag = await opened({ root: fixture("full"), env, settings: { defaultRegion: "us-east-2" } });
    expect([flag.defaultRegion, flag.settings.defaultRegion]).toEqual(["us-east-2", "us-east-2"]);
    expect((await opened({ root: fixture("full"), env })).defaultRegion).toBe("eu-west-1");
    expect((await opened({ root: fixture("none"), env })).defaultRegion).toBe("eu-central-1");
    const fallback = await opened({ root: fixture("none"), env: { ...env, AWS_REGION: " " } });
    expect(fallback.settings.defaultRegion).toBe("ap-south-1");
  });

  test("a bad variable is refused only when it is used", async () => {
    // The file names a default region: AWS_REGION is not needed, so not checked.
    expect(
      (await opened({ root: fixture("full"), env: { ...credentials, AWS_REGION: "bogus" } })).defaultRegion,
    ).toBe("eu-west-1");
    // A run that never calls AWS (validate) leaves the endpoint alone.
    const offline = { root: fixture("full"), env: { AWS_ENDPOINT_URL: "notaurl" } };
    expect((await opened({ ...offline, reachesAws: false })).settings.stack).toBe("platform-images");
    expect(await refused(offline)).toEqual([
      [
        "environment-invalid",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL must be an http:// or https:// URL such as https://imagebuilder.us-west-2.amazonaws.com, got 'notaurl'",
      ],
    ]);
    // The flag wins over the variable, so the variable is not used.
    const flagged = await opened({ ...offline, settings: { endpointUrl: "http://127.0.0.1:1" } });
    expect(flagged.settings.endpointUrl).toBe("http://127.0.0.1:1");
  });

  test("overrides are named as the front end names them, down to the element", async () => {
    expect(
      await refused({
        root: fixture("full"),
        env: {},
        settings: { defaultRegion: "bogus", regions: ["us-west-2", "nowhere"] },
        names: { defaultRegion: "--region" },
      }),
    ).toEqual([
      ["settings-override-invalid", "defaultRegion", "--region must be a region like us-west-2, got 'bogus'"],
      [
        "settings-override-invalid",
        "regions[1]",
        "regions[1] must be a region like us-west-2, got 'nowhere'",
      ],
    ]);
  });

  test("a malformed region from a flag, the file or the environment comes with the nearest ones", async () => {
    const hints = async (options: Parameters<typeof openRun>[0]) => {
      const result = await openRun(options);
      return result.ok ? [] : result.diagnostics.map((d) => [d.path, d.hint]);
    };
    expect(
      await hints({
        root: fixture("full"),
        env: {},
        settings: { defaultRegion: "us-east1", regions: ["EU-WEST-1"] },
      }),
    ).toEqual([
      ["defaultRegion", "did you mean 'us-east-1'?"],
      ["regions[0]", "did you mean 'eu-west-1'?"],
    ]);
    expect(await hints({ root: fixture("none"), env: { ...credentials, AWS_REGION: "us-west-2a" } })).toEqual(
      [["AWS_REGION", "did you mean 'us-west-2'?"]],
    );
    // Nothing near: no hint, the message says what a region looks like.
    expect(await hints({ root: fixture("none"), env: { ...credentials, AWS_REGION: "bogus" } })).toEqual([
      ["AWS_REGION", undefined],
    ]);
  });

  test("the settings file's diagnostics point into it; overrides are checked first", async () => {
    const file = await refused({ root: fixture("invalid"), env: {} });
    expect(file.every(([code]) => code === "settings-invalid")).toBe(true);
    expect(await refused({ root: fixture("invalid"), env: {}, settings: { stack: "" } })).toEqual([
      ["settings-override-invalid", "stack", "stack must be 1-63 letters, digits, '.', '_' or '-', got ''"],
    ]);
  });

  test("paths enter on the request: named files or directories (the CLI's), or globs (the Action's, named as its input)", async () => {
    const root = join(import.meta.dirname, "fixtures", "discovery");
    const files = async (paths: Parameters<typeof openRun>[0]["paths"]) =>
      (await (await opened({ root, env: credentials, paths, reachesAws: false })).validate()).files;
    expect(await files(undefined)).toEqual(await files({ named: [] }));
    expect(await files({ named: ["other"] })).toEqual(["other/extra.yaml"]);
    expect(await files({ globs: ["other/*.yaml"] })).toEqual(["other/extra.yaml"]);
    expect(
      await refused({ root, env: credentials, paths: { globs: [""] }, names: { paths: "input 'path'" } }),
    ).toEqual([["settings-override-invalid", "paths[0]", expect.stringMatching(/^input 'path'\[0\] /)]]);
  });

  test("a refused run has the verdict of a run that planned nothing", async () => {
    const result = await openRun({ root: fixture("invalid"), env: {} });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.verdict).toMatchObject({
      exitCode: 1,
      reasons: [{ kind: "invalid", message: "waybill.config.yaml is not valid; nothing was planned" }],
    });
    expect(result.verdict.headline).toMatch(
      /^\d+ errors? in the configuration files: nothing was planned\.$/,
    );
  });
});
