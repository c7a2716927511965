// `waybill emulator`: the emulator in the foreground, with the options of `pnpm emulator`.
import { type EmulatorOptions, startEmulator } from "@waybill/emulator";
import { emulatorUsage, parseEmulatorArguments, UsageError } from "@waybill/emulator/command-line";
import { joinNegativeValues } from "../args.js";
import { CliError } from "../errors.js";
import type { CliIo } from "../io.js";

/** `waybill emulator --help` (and its section of docs/cli.md): the emulator's own flags, and its exit code. */
export function emulatorHelp(): string {
  return [
    emulatorUsage("waybill emulator"),
    "",
    "Exits 2, with one line, on a wrong flag or when it cannot start (a port in use, a state file",
    "that cannot be read or written, such as one in a folder that does not exist).",
    "",
  ].join("\n");
}

/**
 * Parses the emulator's flags: the same parser as `pnpm emulator`, with mistakes as CLI errors that
 * exit 2, as `pnpm emulator`'s do (docs/emulator.md).
 */
export function parseEmulatorOptions(args: readonly string[]): EmulatorOptions | "help" {
  try {
    // Every emulator option that a number follows takes it as its value (no flag looks like -5).
    return parseEmulatorArguments(joinNegativeValues(args, () => true));
  } catch (error) {
    if (error instanceof UsageError) throw new CliError(`${error.message}; see 'waybill emulator --help'`, 2);
    throw error;
  }
}

/** Runs until SIGINT or SIGTERM; the first stdout line is the URL. */
export async function runEmulator(args: readonly string[], io: CliIo): Promise<number> {
  const options = parseEmulatorOptions(args);
  if (options === "help") {
    io.stdout.write(emulatorHelp());
    return 0;
  }
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `emulator cannot start: ${code === "EADDRINUSE" ? `port ${options.port} is in use` : (error as Error).message}`,
      2,
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
