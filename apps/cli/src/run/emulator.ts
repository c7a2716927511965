// `waybill emulator`: the emulator in the foreground, with the options of `pnpm emulator`.
import { parseArgs } from "node:util";
import { type EmulatorOptions, startEmulator } from "@waybill/emulator";
import { CliError } from "../errors.js";
import type { CliIo } from "../io.js";

/** `pnpm emulator`'s usage (kept in step by hand until @waybill/emulator exports its parser). */
export const emulatorUsage = `Usage: waybill emulator [--port <n>] [--host <address>] [--state <file>] [--latency-ms <n>]
                        [--throttle-rps <n>] [--error-rate <0..1>] [--drop-rate <0..1>] [--seed <n>]
                        [--account <accessKeyId>=<accountId>]... [--default-account <accountId>]
`;

function numberOption(name: string, text: string | undefined, min: number, max = Number.POSITIVE_INFINITY) {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
    throw new CliError(
      `--${name} must be a number from ${min}${max === Number.POSITIVE_INFINITY ? " up" : ` to ${max}`}, got '${text}'`,
    );
  }
  return value;
}

/** Parses the emulator's flags. */
export function parseEmulatorOptions(args: readonly string[]): EmulatorOptions | "help" {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        state: { type: "string" },
        "latency-ms": { type: "string" },
        "throttle-rps": { type: "string" },
        "error-rate": { type: "string" },
        "drop-rate": { type: "string" },
        seed: { type: "string" },
        account: { type: "string", multiple: true },
        "default-account": { type: "string" },
        help: { type: "boolean" },
      },
    }));
  } catch (error) {
    throw new CliError(`${(error as Error).message.split("\n")[0]}; see 'waybill emulator --help'`);
  }
  if (values.help) return "help";
  const text = (name: string) => values[name] as string | undefined;
  const accounts: Record<string, string> = {};
  for (const pair of (values.account as string[] | undefined) ?? []) {
    const match = /^([^=]+)=(\d{12})$/.exec(pair);
    if (!match) throw new CliError(`--account must be <accessKeyId>=<12-digit account>, got '${pair}'`);
    accounts[match[1] as string] = match[2] as string;
  }
  const options: EmulatorOptions = {};
  const assign = <K extends keyof EmulatorOptions>(key: K, value: EmulatorOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  assign("port", numberOption("port", text("port"), 0, 65535));
  assign("host", text("host"));
  assign("statePath", text("state"));
  assign("latencyMs", numberOption("latency-ms", text("latency-ms"), 0));
  assign("throttleRps", numberOption("throttle-rps", text("throttle-rps"), 0));
  assign("errorRate", numberOption("error-rate", text("error-rate"), 0, 1));
  assign("dropRate", numberOption("drop-rate", text("drop-rate"), 0, 1));
  assign("seed", numberOption("seed", text("seed"), 0));
  assign("defaultAccountId", text("default-account"));
  if (Object.keys(accounts).length > 0) options.accounts = accounts;
  return options;
}

/** Runs until SIGINT or SIGTERM; the first stdout line is the URL. */
export async function runEmulator(args: readonly string[], io: CliIo): Promise<number> {
  const options = parseEmulatorOptions(args);
  if (options === "help") {
    io.stdout.write(emulatorUsage);
    return 0;
  }
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `emulator cannot start: ${code === "EADDRINUSE" ? `port ${options.port} is in use` : (error as Error).message}`,
    );
  }
  io.stdout.write(`${emulator.url}\n`);
  const signal = await new Promise<string>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  io.stderr.write(`emulator: ${signal}, stopping\n`);
  await emulator.close();
  return 0;
}
