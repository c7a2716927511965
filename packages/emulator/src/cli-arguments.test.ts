import { describe, expect, test } from "vitest";
import { emulatorUsage, parseEmulatorArguments, UsageError } from "./cli-arguments.js";

describe("parseEmulatorArguments", () => {
  test("turns every flag into an option", () => {
    expect(
      parseEmulatorArguments([
        "--port=4566",
        "--state",
        "state.json",
        "--latency-ms",
        "20",
        "--throttle-rps",
        "5",
        "--throttle-scope",
        "account",
        "--error-rate",
        "0.1",
        "--drop-rate",
        "0.01",
        "--seed",
        "7",
        "--build-ms",
        "50",
        "--distribution-failure-rate",
        "0.5",
        "--deny",
        "ListImagePipelines",
        "--deny=GetImage",
        "--account",
        "AKIDTEAM=111111111111",
        "--default-account",
        "222222222222",
      ]),
    ).toEqual({
      port: 4566,
      statePath: "state.json",
      latencyMs: 20,
      throttleRps: 5,
      throttleScope: "account",
      errorRate: 0.1,
      dropRate: 0.01,
      seed: 7,
      buildMs: 50,
      distributionFailureRate: 0.5,
      deniedOperations: ["ListImagePipelines", "GetImage"],
      accounts: { AKIDTEAM: "111111111111" },
      defaultAccountId: "222222222222",
    });
    expect(parseEmulatorArguments([])).toEqual({});
    expect(parseEmulatorArguments(["--help"])).toBe("help");
  });

  test.each([
    [["--bogus"], "Unknown option '--bogus'"],
    [["--port", "http"], "--port must be a number from 0 to 65535, got 'http'"],
    [["--port", "1.5"], "--port must be an integer"],
    [["--error-rate", "2"], "--error-rate must be a number from 0 to 1, got '2'"],
    [["--latency-ms=-1"], "--latency-ms must be a number >= 0"],
    [["--build-ms", "soon"], "--build-ms must be a number >= 0, got 'soon'"],
    [["--distribution-failure-rate", "1.5"], "--distribution-failure-rate must be a number from 0 to 1"],
    [["--account", "AKID"], "--account must look like AKIDEXAMPLE=111111111111"],
    [
      ["--throttle-scope", "global"],
      "--throttle-scope must be one of operation, region, account, got 'global'",
    ],
    [
      ["--deny", "ListImages"],
      "--deny takes an operation the emulator serves (CreateDistributionConfiguration, ",
    ],
    [["extra"], "Unexpected argument 'extra'"],
  ])("%j is a usage error", (args, message) => {
    expect(() => parseEmulatorArguments(args)).toThrow(UsageError);
    expect(() => parseEmulatorArguments(args)).toThrow(message);
  });
});

test("--help explains every flag the parser takes", () => {
  const flags = [
    "--port",
    "--host",
    "--state",
    "--latency-ms",
    "--throttle-rps",
    "--throttle-scope",
    "--error-rate",
    "--drop-rate",
    "--seed",
    "--build-ms",
    "--distribution-failure-rate",
    "--deny",
    "--account",
    "--default-account",
  ];
  const help = emulatorUsage("waybill emulator");
  expect(help.startsWith("Usage: waybill emulator ")).toBe(true);
  for (const flag of flags) expect(help).toMatch(new RegExp(`^  ${flag} `, "m"));
});
