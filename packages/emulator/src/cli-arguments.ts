/**
 * @waybill/emulator/command-line: the flags of `pnpm emulator`, parsed into emulator options, and
 * their usage text. A subpath of its own, for a front end that starts the emulator with the same
 * flags (`waybill emulator`), so both commands take one set of flags and print one usage text.
 */
import { parseArgs } from "node:util";
import { type OperationName, operationNames } from "./api-model.js";
import { DEFAULT_BUILD_MS, type EmulatorOptions } from "./emulator.js";
import { type ThrottleScope, throttleScopes } from "./faults.js";

/** The usage text, for the command that starts the emulator (`pnpm emulator`, `waybill emulator`). */
export function emulatorUsage(command = "pnpm emulator"): string {
  const indent = " ".repeat(`Usage: ${command} `.length);
  return [
    `Usage: ${command} [--port <n>] [--host <address>] [--state <file>] [--latency-ms <n>]`,
    `${indent}[--throttle-rps <n>] [--throttle-scope operation|region|account]`,
    `${indent}[--error-rate <0..1>] [--drop-rate <0..1>] [--seed <n>]`,
    `${indent}[--build-ms <n>] [--distribution-failure-rate <0..1>] [--deny <Operation>]...`,
    `${indent}[--account <accessKeyId>=<accountId>]... [--default-account <accountId>]`,
    "",
    "A local EC2 Image Builder (distribution configurations, image pipelines, images and tags) over",
    "HTTP. The first line of output is its endpoint URL; it runs until SIGINT or SIGTERM.",
    "",
    "  --port <n>             port to listen on (default 0: any free port)",
    "  --host <address>       address to listen on (default 127.0.0.1)",
    "  --state <file>         keep state in this file, written atomically (its folder must exist)",
    "  --latency-ms <n>       added to every request",
    "  --throttle-rps <n>     requests a second per throttle scope; more get 429",
    "  --throttle-scope <s>   what one --throttle-rps budget covers: operation (default: each",
    "                         operation per account and region), region (all operations of an",
    "                         account in a region) or account (all its operations and regions)",
    "  --error-rate <0..1>    share of requests answered 500/503",
    "  --drop-rate <0..1>     share of connections dropped without an answer",
    "  --seed <n>             seed for the faults, so a run can be repeated (default 1)",
    `  --build-ms <n>         each phase of a simulated build or DistributeImage (default ${DEFAULT_BUILD_MS})`,
    "  --distribution-failure-rate <0..1>",
    "                         share of builds and DistributeImage calls that end FAILED",
    "  --deny <Operation>     answer this operation 403 AccessDeniedException (repeatable),",
    "                         e.g. --deny ListImagePipelines",
    "  --account AKID=ACCT    requests signed with access key AKID act in account ACCT",
    "  --default-account ACCT account for other access keys (default 123456789012)",
  ].join("\n");
}

/** A mistake in the command line: reported in one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

function numberFlag(name: string, text: string | undefined, min: number, max = Number.POSITIVE_INFINITY) {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(
      `--${name} must be a number${max === Number.POSITIVE_INFINITY ? ` >= ${min}` : ` from ${min} to ${max}`}, got '${text}'`,
    );
  }
  return value;
}

/** Turns command-line arguments into emulator options, or explains the mistake. */
export function parseEmulatorArguments(args: string[]): EmulatorOptions | "help" {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        state: { type: "string" },
        "latency-ms": { type: "string" },
        "throttle-rps": { type: "string" },
        "throttle-scope": { type: "string" },
        "error-rate": { type: "string" },
        "drop-rate": { type: "string" },
        seed: { type: "string" },
        "build-ms": { type: "string" },
        "distribution-failure-rate": { type: "string" },
        deny: { type: "string", multiple: true },
        account: { type: "string", multiple: true },
        "default-account": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  }
  try {
    parsed = parse();
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0] ?? "bad arguments");
  }
  const { values } = parsed;
  if (values.help) return "help";
  const options: EmulatorOptions = {};
  const port = numberFlag("port", values.port, 0, 65535);
  if (port !== undefined) {
    if (!Number.isInteger(port)) throw new UsageError(`--port must be an integer, got '${values.port}'`);
    options.port = port;
  }
  if (values.host !== undefined) options.host = values.host;
  if (values.state !== undefined) options.statePath = values.state;
  const latencyMs = numberFlag("latency-ms", values["latency-ms"], 0);
  if (latencyMs !== undefined) options.latencyMs = latencyMs;
  const throttleRps = numberFlag("throttle-rps", values["throttle-rps"], 0);
  if (throttleRps !== undefined) options.throttleRps = throttleRps;
  const throttleScope = values["throttle-scope"];
  if (throttleScope !== undefined) {
    if (!throttleScopes.includes(throttleScope as ThrottleScope))
      throw new UsageError(
        `--throttle-scope must be one of ${throttleScopes.join(", ")}, got '${throttleScope}'`,
      );
    options.throttleScope = throttleScope as ThrottleScope;
  }
  const errorRate = numberFlag("error-rate", values["error-rate"], 0, 1);
  if (errorRate !== undefined) options.errorRate = errorRate;
  const dropRate = numberFlag("drop-rate", values["drop-rate"], 0, 1);
  if (dropRate !== undefined) options.dropRate = dropRate;
  const seed = numberFlag("seed", values.seed, 0);
  if (seed !== undefined) options.seed = seed;
  const buildMs = numberFlag("build-ms", values["build-ms"], 0);
  if (buildMs !== undefined) options.buildMs = buildMs;
  const distributionFailureRate = numberFlag(
    "distribution-failure-rate",
    values["distribution-failure-rate"],
    0,
    1,
  );
  if (distributionFailureRate !== undefined) options.distributionFailureRate = distributionFailureRate;
  for (const operation of values.deny ?? []) {
    if (!(operationNames as readonly string[]).includes(operation)) {
      throw new UsageError(
        `--deny takes an operation the emulator serves (${operationNames.join(", ")}), got '${operation}'`,
      );
    }
    options.deniedOperations = [...(options.deniedOperations ?? []), operation as OperationName];
  }
  const accountPattern = /^[0-9]{12}$/;
  if (values["default-account"] !== undefined) {
    if (!accountPattern.test(values["default-account"])) {
      throw new UsageError(
        `--default-account must be a 12-digit account id, got '${values["default-account"]}'`,
      );
    }
    options.defaultAccountId = values["default-account"];
  }
  for (const mapping of values.account ?? []) {
    const [accessKeyId, accountId] = mapping.split("=");
    if (!accessKeyId || accountId === undefined || !accountPattern.test(accountId)) {
      throw new UsageError(`--account must look like AKIDEXAMPLE=111111111111, got '${mapping}'`);
    }
    options.accounts = { ...options.accounts, [accessKeyId]: accountId };
  }
  return options;
}
