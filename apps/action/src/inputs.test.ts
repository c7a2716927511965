import { describe, expect, test } from "vitest";
import { readActionInputs as readInputs, readRunnerEnvironment } from "./inputs.js";

/** The inputs as the runner passes them (INPUT_<NAME>), read as @actions/core's getInput reads them. */
function readActionInputs(env: Record<string, string>) {
  return readInputs((name) => env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "");
}

describe("readActionInputs", () => {
  test("defaults when the runner passes nothing", () => {
    expect(readActionInputs({ "INPUT_GITHUB-TOKEN": "ghs_x" })).toEqual({
      success: true,
      inputs: {
        paths: [],
        mode: "auto",
        region: undefined,
        stack: undefined,
        prune: undefined,
        adopt: undefined,
        pruneAll: false,
        refresh: false,
        rollout: false,
        statusHtml: undefined,
        githubToken: "ghs_x",
        comment: true,
        commentKey: "",
        endpointUrl: undefined,
        onPlanChange: "refuse",
      },
    });
  });

  test("globs one per line or comma-separated; booleans as YAML writes them", () => {
    const result = readActionInputs({
      INPUT_PATH: "waybill/**/*.yaml\n  shared/*.json, extra/*.yml\n",
      INPUT_MODE: "drift",
      INPUT_REGION: "eu-west-1",
      INPUT_PRUNE: "True",
      INPUT_ADOPT: "false",
      INPUT_COMMENT: "FALSE",
      "INPUT_COMMENT-KEY": "eu-west-1",
      "INPUT_ENDPOINT-URL": "http://127.0.0.1:4566",
      "INPUT_ON-PLAN-CHANGE": "apply",
    });
    expect(result).toMatchObject({
      success: true,
      inputs: {
        paths: ["waybill/**/*.yaml", "shared/*.json", "extra/*.yml"],
        mode: "drift",
        region: "eu-west-1",
        prune: true,
        adopt: false,
        comment: false,
        commentKey: "eu-west-1",
        endpointUrl: "http://127.0.0.1:4566",
        onPlanChange: "apply",
      },
    });
  });

  test("every bad input is reported, nothing thrown", () => {
    const result = readActionInputs({
      INPUT_MODE: "destroy",
      INPUT_PRUNE: "yes",
      "INPUT_ENDPOINT-URL": "not a url",
      "INPUT_ON-PLAN-CHANGE": "warn",
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.errors).toHaveLength(4);
    expect(result.errors.join("\n")).toMatch(/Input 'on-plan-change' must be one of refuse, apply/);
    expect(result.errors.join("\n")).toMatch(/Input 'mode' must be one of auto, plan, apply, drift/);
    expect(result.errors.join("\n")).toMatch(/Input 'prune' must be true, false or empty/);
    // The region is checked by the engine, as the CLI's --region is (front-ends.test.ts).
    expect(readActionInputs({ INPUT_REGION: "Oregon" })).toMatchObject({
      success: true,
      inputs: { region: "Oregon" },
    });
  });
});

describe("readRunnerEnvironment", () => {
  test("reads what the runner sets", () => {
    const result = readRunnerEnvironment(
      {
        GITHUB_EVENT_NAME: "push",
        GITHUB_EVENT_PATH: "/tmp/event.json",
        GITHUB_REPOSITORY: "acme/images",
        GITHUB_SHA: "abc",
        GITHUB_REF: "refs/heads/main",
        GITHUB_WORKSPACE: "/work/repo",
        GITHUB_RUN_ID: "99",
      },
      "/cwd",
    );
    expect(result).toMatchObject({
      success: true,
      environment: {
        repository: { owner: "acme", repo: "images" },
        workspace: "/work/repo",
        runUrl: "https://github.com/acme/images/actions/runs/99",
        apiUrl: "https://api.github.com",
        serverUrl: "https://github.com",
      },
    });
  });

  test("GitHub Enterprise Server's API URL comes from GITHUB_API_URL", () => {
    const result = readRunnerEnvironment(
      {
        GITHUB_EVENT_NAME: "push",
        GITHUB_EVENT_PATH: "/tmp/event.json",
        GITHUB_REPOSITORY: "acme/images",
        GITHUB_API_URL: "https://ghe.example.com/api/v3",
      },
      "/cwd",
    );
    expect(result).toMatchObject({
      success: true,
      environment: { apiUrl: "https://ghe.example.com/api/v3" },
    });
  });

  test("outside a runner it says what is missing", () => {
    const result = readRunnerEnvironment({}, "/cwd");
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.errors.join("\n")).toContain("GITHUB_EVENT_NAME");
  });
});
