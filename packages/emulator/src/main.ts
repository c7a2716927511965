// `pnpm emulator`: runs the emulator until SIGINT/SIGTERM; the first line of output is its URL.
import { emulatorUsage, parseEmulatorArguments, UsageError } from "./cli-arguments.js";
import { startEmulator } from "./emulator.js";

async function main(): Promise<void> {
  let options: ReturnType<typeof parseEmulatorArguments>;
  try {
    options = parseEmulatorArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`emulator: ${error.message} (see --help)`);
    process.exitCode = 2;
    return;
  }
  if (options === "help") {
    console.log(emulatorUsage());
    return;
  }
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator({
      ...options,
      onStateWriteError: (message) => console.error(`emulator: ${message}; unsaved changes rolled back`),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "EADDRINUSE" ? `port ${options.port} is in use` : (error as Error).message;
    console.error(`emulator: cannot start: ${reason}`);
    process.exitCode = 2;
    return;
  }
  console.log(emulator.url);
  const stop = (signal: string) => {
    console.error(`emulator: ${signal}, stopping`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`emulator: could not stop cleanly: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

await main();
