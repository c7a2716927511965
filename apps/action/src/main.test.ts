// The entry as @github/local-action runs it: @actions/core replaced by stubs that record what the
// action tells the runner, the module imported, its exported run() awaited.
import { cp, mkdtemp, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, expect, test, vi } from "vitest";
import { isEntryModule } from "./entry-module.js";

const toolkit = vi.hoisted(() => ({
  inputs: {} as Record<string, string>,
  outputs: {} as Record<string, string>,
  annotations: [] as { level: string; message: string; properties: unknown }[],
  groups: [] as string[],
  failed: [] as string[],
}));

vi.mock("@actions/core", () => ({
  getInput: (name: string) => toolkit.inputs[name] ?? "",
  setOutput: (name: string, value: string) => {
    toolkit.outputs[name] = value;
  },
  info: () => {},
  error: (message: string, properties: unknown) =>
    toolkit.annotations.push({ level: "error", message, properties }),
  warning: (message: string, properties: unknown) =>
    toolkit.annotations.push({ level: "warning", message, properties }),
  notice: (message: string, properties: unknown) =>
    toolkit.annotations.push({ level: "notice", message, properties }),
  group: async <T>(name: string, body: () => Promise<T>) => {
    toolkit.groups.push(name);
    return body();
  },
  summary: { addRaw: () => ({ write: async () => {} }) },
  setFailed: (message: string) => toolkit.failed.push(message),
}));

afterEach(() => vi.unstubAllEnvs());

test("importing the entry runs nothing; run() reads inputs and reports outputs, annotations and failure through @actions/core", async () => {
  const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
  const workspace = await mkdtemp(join(tmpdir(), "waybill-local-action-"));
  await cp(join(fixtures, "invalid-repo"), workspace, { recursive: true });
  vi.stubEnv("GITHUB_EVENT_NAME", "pull_request");
  vi.stubEnv("GITHUB_EVENT_PATH", join(fixtures, "events", "pull_request.json"));
  vi.stubEnv("GITHUB_REPOSITORY", "acme/image-distribution");
  vi.stubEnv("GITHUB_WORKSPACE", workspace);
  vi.stubEnv("RUNNER_TEMP", workspace);
  vi.stubEnv("GITHUB_STEP_SUMMARY", "");
  toolkit.inputs = { comment: "false" };

  const entry = await import("./main.js");
  expect(typeof entry.run).toBe("function");
  expect(toolkit).toMatchObject({ outputs: {}, annotations: [], failed: [] });

  await entry.run();
  expect(toolkit.outputs).toEqual({
    "has-changes": "unknown",
    summary: "2 errors in the configuration files: nothing was planned.",
  });
  expect(toolkit.groups).toEqual(["Waybill (auto)"]);
  expect(toolkit.annotations).toContainEqual({
    level: "error",
    message: expect.stringContaining("launchPermissions"),
    properties: { title: "waybill unknown-key", file: "waybill/web-base.yaml", startLine: 7, startColumn: 7 },
  });
  expect(toolkit.failed).toEqual([expect.stringMatching(/^2 configuration errors/)]);
});

test("a run that cannot start (an invalid input) still sets the outputs action.yml promises", async () => {
  const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
  vi.stubEnv("GITHUB_EVENT_NAME", "push");
  vi.stubEnv("GITHUB_EVENT_PATH", join(fixtures, "events", "push.json"));
  vi.stubEnv("GITHUB_REPOSITORY", "acme/image-distribution");
  vi.stubEnv("GITHUB_WORKSPACE", await mkdtemp(join(tmpdir(), "waybill-no-start-")));
  toolkit.inputs = { "on-plan-change": "typo" };
  toolkit.outputs = {};
  toolkit.failed = [];

  const entry = await import("./main.js");
  await entry.run();
  expect(toolkit.outputs).toEqual({
    "has-changes": "unknown",
    summary: expect.stringMatching(/^Waybill cannot start: .*on-plan-change/),
  });
  expect(toolkit.failed).toEqual([expect.stringMatching(/^Waybill cannot start:\n.*on-plan-change/s)]);
});

test("isEntryModule: the script node started, also through a symlink; not when imported", async () => {
  const here = fileURLToPath(import.meta.url);
  const link = join(await mkdtemp(join(tmpdir(), "waybill-entry-")), "linked.ts");
  await symlink(here, link);
  expect(isEntryModule(import.meta.url, here)).toBe(true);
  expect(isEntryModule(import.meta.url, link)).toBe(true);
  expect(isEntryModule(pathToFileURL(link).href, here)).toBe(true);
  expect(isEntryModule(import.meta.url, fileURLToPath(new URL("./inputs.ts", import.meta.url)))).toBe(false);
  expect(isEntryModule(import.meta.url, undefined)).toBe(false);
});
