import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  checkEndpointUrl,
  checkSettingsValues,
  defaultConfigGlobs,
  defaultStack,
  loadSettings,
  parseSettingsText,
  resolveEndpoint,
} from "./settings.js";

const fixture = (name: string) => join(import.meta.dirname, "fixtures", "settings", name);

describe("loadSettings", () => {
  test("uses defaults when there is no settings file", async () => {
    const result = await loadSettings({ root: fixture("none") });
    expect(result).toEqual({
      ok: true,
      file: undefined,
      settings: {
        stack: defaultStack,
        defaultRegion: undefined,
        paths: defaultConfigGlobs,
        policy: { allowPublicLaunchPermission: false },
        concurrency: 8,
        endpointUrl: undefined,
        prune: false,
        adopt: false,
      },
    });
  });

  test("reads every setting from the file", async () => {
    const result = await loadSettings({ root: fixture("full") });
    expect(result.ok && result.settings).toEqual({
      stack: "platform-images",
      defaultRegion: "eu-west-1",
      paths: ["configs/**/*.yaml"],
      policy: { allowPublicLaunchPermission: false, allowedAccounts: ["111111111111", "222222222222"] },
      concurrency: 4,
      endpointUrl: undefined,
      prune: true,
      adopt: false,
      accounts: {
        workloads: ["333333333333", "444444444444"],
        org: { organizationalUnit: "ou-ab12-cdef3456" },
      },
      accountSetPositions: { workloads: { line: 12, column: 3 }, org: { line: 13, column: 3 } },
      // Where the file sets prune: a pruned delete the service would refuse is reported there.
      prunePosition: { line: 7, column: 8 },
      preflight: {
        enabled: true,
        account: "111111111111",
        readRole: "arn:aws:iam::{account}:role/WaybillPreflightRead",
        readRoles: { "444444444444": "arn:aws:iam::444444444444:role/Special" },
        severity: { "launch-template": "warning" },
        timeoutSeconds: 5,
      },
    });
  });

  test("refuses account sets and preflight settings that break their rules, at their place", async () => {
    const { parseSettingsText } = await import("./settings.js");
    const result = parseSettingsText(
      [
        "accounts:",
        '  "bad name": ["111111111111"]',
        '  short: ["1234"]',
        "  org: { organizationalUnit: r-abcd }",
        "preflight:",
        '  readRole: "arn:aws:iam::{acct}:role/X"',
        "  severity: { kms: warning }",
      ].join("\n"),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics.map((d) => [d.line, d.path])).toEqual([
      [2, "accounts.bad name"],
      [3, "accounts.short[0]"],
      [4, "accounts.org.organizationalUnit"],
      [6, "preflight.readRole"],
      [7, "preflight.severity"],
    ]);
  });

  test("flags and inputs override the file; undefined overrides nothing", async () => {
    const result = await loadSettings({
      root: fixture("full"),
      overrides: { stack: "other", prune: false, concurrency: undefined, endpointUrl: "http://127.0.0.1:1" },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings.stack).toBe("other");
    expect(result.settings.prune).toBe(false);
    expect(result.settings.concurrency).toBe(4);
    expect(result.settings.endpointUrl).toBe("http://127.0.0.1:1");
  });

  test("reports YAML syntax errors with a position", async () => {
    const result = await loadSettings({ root: fixture("syntax-error") });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics.length).toBeGreaterThan(0);
    expect(result.diagnostics[0]).toMatchObject({ file: "waybill.config.yaml", code: "settings-syntax" });
    expect(result.diagnostics[0]?.line).toBeGreaterThanOrEqual(2);
  });

  test("reports each invalid value and unknown key at its line and column", async () => {
    const result = await loadSettings({ root: fixture("invalid") });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const found = result.diagnostics.map((d) => [d.line, d.column, d.path, d.code]);
    expect(found).toEqual(
      expect.arrayContaining([
        [2, 16, "defaultRegion", "settings-invalid"],
        [3, 14, "concurrency", "settings-invalid"],
        [4, 1, "", "settings-invalid"],
      ]),
    );
    expect(result.diagnostics.find((d) => d.line === 4)?.message).toBe("unknown setting 'polcy'");
    expect(result.diagnostics.find((d) => d.line === 2)?.message).toBe(
      "defaultRegion: must be a region like us-west-2",
    );
  });

  test("a malformed region in the file is refused at its place, with the nearest known regions", () => {
    const parsed = parseSettingsText(
      "stack: s\ndefaultRegion: eu-west1\nregions: [us-west-2, apsoutheast-2]\n",
    );
    expect(parsed.ok ? [] : parsed.diagnostics.map((d) => [d.line, d.column, d.message, d.hint])).toEqual([
      [2, 16, "defaultRegion: must be a region like us-west-2", "did you mean 'eu-west-1'?"],
      [3, 22, "regions[1]: must be a region like us-west-2", "did you mean 'ap-southeast-2'?"],
    ]);
  });

  test("unknown settings get the setting they most likely meant, at any depth; all come in line order", () => {
    const parsed = parseSettingsText(
      [
        "prune: maybe",
        "defaultRgion: us-east-1",
        "policy:",
        "  allowPublicLaunchPermision: true",
        "  nothingLikeIt: 1",
        "preflight:",
        "  enabeld: true",
      ].join("\n"),
    );
    expect(parsed.ok ? [] : parsed.diagnostics.map((d) => [d.line, d.column, d.message, d.hint])).toEqual([
      [1, 8, "prune: Invalid input: expected boolean, received string", undefined],
      [2, 1, "unknown setting 'defaultRgion'", "did you mean 'defaultRegion'?"],
      [4, 3, "unknown setting 'allowPublicLaunchPermision'", "did you mean 'allowPublicLaunchPermission'?"],
      [5, 3, "unknown setting 'nothingLikeIt'", undefined],
      [7, 3, "unknown setting 'enabeld'", "did you mean 'enabled'?"],
    ]);
  });

  test("overrides are checked with the file's rules", async () => {
    const result = await loadSettings({
      root: fixture("full"),
      overrides: { stack: "bad*", defaultRegion: "bogus", concurrency: 0, regions: ["us-west-2", "nowhere"] },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics.map((d) => [d.path, d.code, d.message])).toEqual([
      [
        "stack",
        "settings-override-invalid",
        "stack: must be 1-63 letters, digits, '.', '_' or '-', got 'bad*'",
      ],
      [
        "defaultRegion",
        "settings-override-invalid",
        "defaultRegion: must be a region like us-west-2, got 'bogus'",
      ],
      [
        "regions[1]",
        "settings-override-invalid",
        "regions[1]: must be a region like us-west-2, got 'nowhere'",
      ],
      ["concurrency", "settings-override-invalid", "concurrency: must be at least 1, got '0'"],
    ]);
  });

  test("checkSettingsValues finds the problems of any subset of settings", () => {
    expect(checkSettingsValues({ stack: "ok-stack", defaultRegion: "eu-west-1" })).toEqual([]);
    expect(checkSettingsValues({ stack: "x".repeat(64) })).toEqual([
      {
        key: "stack",
        path: "stack",
        message: "must be 1-63 letters, digits, '.', '_' or '-'",
        value: "x".repeat(64),
      },
    ]);
  });

  test("the endpoint must be an http(s) URL, named by where it came from", async () => {
    const message = "must be an http:// or https:// URL such as https://imagebuilder.us-west-2.amazonaws.com";
    for (const good of ["http://127.0.0.1:4566", "https://imagebuilder.eu-west-1.amazonaws.com/"]) {
      expect(checkEndpointUrl(good, {})).toBeUndefined();
    }
    for (const bad of ["notaurl", "ftp://x", "file:///etc/passwd", "http://"]) {
      expect(checkSettingsValues({ endpointUrl: bad })).toEqual([
        { key: "endpointUrl", path: "endpointUrl", message, value: bad },
      ]);
    }
    // The flag wins over the environment; the service's variable over the global one.
    expect(checkEndpointUrl("http://ok", { AWS_ENDPOINT_URL: "bad" })).toBeUndefined();
    expect(checkEndpointUrl(undefined, { AWS_ENDPOINT_URL_IMAGEBUILDER: "ftp://x" })).toMatchObject({
      key: "AWS_ENDPOINT_URL_IMAGEBUILDER",
      value: "ftp://x",
    });
    expect(
      checkEndpointUrl(" ", { AWS_ENDPOINT_URL_IMAGEBUILDER: "", AWS_ENDPOINT_URL: "notaurl" }),
    ).toMatchObject({ key: "AWS_ENDPOINT_URL", value: "notaurl" });

    const loaded = await loadSettings({ root: fixture("none"), env: { AWS_ENDPOINT_URL: "notaurl" } });
    expect(loaded.ok ? [] : loaded.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["settings-override-invalid", `AWS_ENDPOINT_URL: ${message}, got 'notaurl'`],
    ]);
    const flag = await loadSettings({ root: fixture("none"), overrides: { endpointUrl: "ftp://x" } });
    expect(flag.ok ? [] : flag.diagnostics.map((d) => d.path)).toEqual(["endpointUrl"]);
  });
});

describe("resolveEndpoint", () => {
  test("the option wins, then the service variable, then the global one", () => {
    const env = { AWS_ENDPOINT_URL_IMAGEBUILDER: "http://service", AWS_ENDPOINT_URL: "http://global" };
    expect(resolveEndpoint("http://flag", env)?.url).toBe("http://flag");
    expect(resolveEndpoint(undefined, env)?.url).toBe("http://service");
    expect(resolveEndpoint(undefined, { AWS_ENDPOINT_URL: "http://global" })?.url).toBe("http://global");
    expect(resolveEndpoint(undefined, { AWS_ENDPOINT_URL: " " })).toBeUndefined();
    expect(resolveEndpoint(" http://flag ", env)).toEqual({ url: "http://flag", source: "option" });
    expect(resolveEndpoint(undefined, env)).toEqual({
      url: "http://service",
      source: "AWS_ENDPOINT_URL_IMAGEBUILDER",
    });
    expect(resolveEndpoint("", { AWS_ENDPOINT_URL: "http://global" })?.source).toBe("AWS_ENDPOINT_URL");
  });
});
