// `waybill emulator`: the emulator in the foreground, with the options of `pnpm emulator`.
import { type EmulatorOptions, parseEmulatorArguments, startEmulator, UsageError } from "@waybill/emulator";
import { joinNegativeValues } from "../args.js";
import { commandHelp, findCommand } from "../commands.js";
import { CliError } from "../errors.js";
import type { CliIo } from "../io.js";

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
    const command = findCommand("emulator");
    if (command) io.stdout.write(commandHelp(command));
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
