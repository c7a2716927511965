#!/usr/bin/env node
/** The `waybill` CLI: `main(argv, io)` maps engine results to output and exit codes. */
import { readFileSync, realpathSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { GatewayError, silenceNodeVersionWarning } from "@waybill/aws";
import { joinNegativeValues } from "./args.js";
import {
  type CommandSpec,
  cliReferenceMarkdown,
  commandHelp,
  findCommand,
  mainHelp,
  optionsOf,
} from "./commands.js";
import { CliError } from "./errors.js";
import { type CliIo, closedPipeSafe, type ParsedCommand } from "./io.js";

export type { CliIo } from "./io.js";

// Each command's code is loaded when it runs: a plan never loads the emulator (demo), the
// importers or the schema writer, which a fresh process would otherwise read and compile first.
const handlers: Record<string, (parsed: ParsedCommand, io: CliIo) => Promise<number>> = {
  validate: async (parsed, io) => (await import("./run/validate.js")).runValidate(parsed, io),
  plan: async (parsed, io) => (await import("./run/plan.js")).runPlan(parsed, io),
  preflight: async (parsed, io) => (await import("./run/preflight.js")).runPreflight(parsed, io),
  apply: async (parsed, io) => (await import("./run/apply.js")).runApply(parsed, io),
  status: async (parsed, io) => (await import("./run/status.js")).runStatus(parsed, io),
  rollout: async (parsed, io) => (await import("./run/status.js")).runRollout(parsed, io),
  import: async (parsed, io) => (await import("./run/import.js")).runImport(parsed, io),
  render: async (parsed, io) => (await import("./run/render.js")).runRender(parsed, io),
  schema: async (parsed, io) => (await import("./run/schema.js")).runSchema(parsed, io),
  demo: async (parsed, io) => (await import("./run/demo.js")).runDemo(parsed, io),
};

/** Runs one CLI invocation; resolves to the exit code. Never throws, never prints a stack trace. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === "--help" || name === "-h") {
      io.stdout.write(mainHelp());
      return name === undefined ? 1 : 0;
    }
    if (name === "--version" || name === "-v") {
      io.stdout.write(`${cliVersion()}\n`);
      return 0;
    }
    if (name === "help") return await help(rest, io);
    const command = findCommand(name);
    if (!command) throw new CliError(`unknown command '${name}'; run 'waybill --help' for the list`);
    // The emulator parses its own options (the same as `pnpm emulator`).
    if (command.name === "emulator") return await (await import("./run/emulator.js")).runEmulator(rest, io);
    const parsed = parseCommand(command, rest);
    if (parsed.values.help) {
      io.stdout.write(commandHelp(command));
      return 0;
    }
    const handler = handlers[command.name];
    if (!handler) throw new Error(`bug: no handler for ${command.name}`);
    return await handler(parsed, io);
  } catch (error) {
    return reportError(error, io, argv);
  }
}

/** The version of the installed package (package.json sits one level above both src/ and dist/). */
export function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return manifest.version;
}

async function help(rest: string[], io: CliIo): Promise<number> {
  if (rest[0] === "--markdown") {
    // docs/cli.md is generated from the same specs as --help (the emulator's from its own flags).
    const { emulatorHelp } = await import("./run/emulator.js");
    io.stdout.write(cliReferenceMarkdown({ emulator: emulatorHelp() }));
    return 0;
  }
  const command = rest[0] ? findCommand(rest[0]) : undefined;
  if (rest[0] && !command)
    throw new CliError(`unknown command '${rest[0]}'; run 'waybill --help' for the list`);
  if (command?.name === "emulator") {
    io.stdout.write((await import("./run/emulator.js")).emulatorHelp());
    return 0;
  }
  io.stdout.write(command ? commandHelp(command) : mainHelp());
  return 0;
}

/** Parses a command's arguments; unknown options and missing values are user mistakes. */
export function parseCommand(command: CommandSpec, args: readonly string[]): ParsedCommand {
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  for (const option of optionsOf(command)) {
    // `--no-color` is declared as `color` so parseArgs' negation handles it.
    if (option.name === "no-color") options.color = { type: "boolean" };
    else options[option.name] = { type: option.type };
  }
  const stringOptions = new Set(
    optionsOf(command)
      .filter((option) => option.type === "string")
      .map((option) => option.name),
  );
  let parsed: ParsedCommand;
  try {
    const { values, positionals } = parseArgs({
      args: joinNegativeValues(args, (name) => stringOptions.has(name)),
      options,
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    });
    parsed = { command, values: values as ParsedCommand["values"], positionals };
  } catch (error) {
    throw new CliError(`${describeParseError(error)}; see 'waybill ${command.name} --help'`);
  }
  const extra = parsed.positionals[0];
  if (command.arguments === "" && extra !== undefined && !parsed.values.help) {
    throw new CliError(
      `${command.name} takes no arguments, got '${extra}'; see 'waybill ${command.name} --help'`,
    );
  }
  return parsed;
}

/** parseArgs' messages, shortened to the mistake itself. */
function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const option = /'(-{1,2}[^'\s]*)/.exec(message ?? "")?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown option '${option}'`;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    if (/argument missing/.test(message ?? "")) return `option '${option}' needs a value`;
    if (/ambiguous/.test(message ?? ""))
      return `option '${option}' needs a value; write ${option}=<value> for one starting with '-'`;
    return `option '${option}' takes no value`;
  }
  return (message ?? String(error)).split("\n")[0] ?? "invalid arguments";
}

/**
 * Against an endpoint of one's own (an emulator, LocalStack, moto) the SDK still wants credentials,
 * and any will do: the hint says so when none were found and an endpoint is set.
 */
function credentialsHint(error: GatewayError, io: CliIo, argv: readonly string[]): string {
  if (error.type !== "CredentialsProviderError") return "";
  const endpointSet =
    argv.some((arg) => arg === "--endpoint-url" || arg.startsWith("--endpoint-url=")) ||
    Boolean(io.env.AWS_ENDPOINT_URL_IMAGEBUILDER || io.env.AWS_ENDPOINT_URL);
  return endpointSet
    ? "; against an emulator any fake keys work: AWS_ACCESS_KEY_ID=fake AWS_SECRET_ACCESS_KEY=fake"
    : "";
}

function reportError(error: unknown, io: CliIo, argv: readonly string[]): number {
  if (error instanceof CliError) {
    io.stderr.write(`waybill: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof GatewayError) {
    io.stderr.write(`waybill: ${error.message} (${error.type})${credentialsHint(error, io, argv)}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`waybill: internal error: ${message}\n`);
  if (io.env.WAYBILL_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return 1;
}

/**
 * The real process's io. A closed pipe on stdout or stderr (`waybill plan | head -1`) drops the rest
 * of that output and the command ends with its own exit code; another write error (a full disk
 * under `> file`) ends the process with one line and exit 1.
 */
export function processIo(): CliIo {
  const writeFailed = (error: NodeJS.ErrnoException) => {
    process.stderr.write(`waybill: cannot write output: ${error.code ?? error.message}\n`);
    process.exit(1);
  };
  return {
    stdout: closedPipeSafe(process.stdout, writeFailed),
    stderr: closedPipeSafe(process.stderr, writeFailed),
    stdin: process.stdin,
    env: process.env,
    isTTY: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    cwd: userCwd(process.env, process.cwd()),
  };
}

/**
 * The directory the user ran Waybill from. Package managers run a script in its package's
 * directory (pnpm runs the workspace root's scripts there, so `pnpm waybill plan` typed in
 * `waybill/eu` starts in the root) and put where the user was in `INIT_CWD`. That is taken only
 * while the process still runs in the package's directory (next to `npm_package_json`): a
 * script that changed directory first (`cd infra && waybill plan`) chose its own.
 */
export function userCwd(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  const { INIT_CWD: initCwd, npm_package_json: packageJson } = env;
  return initCwd && packageJson && resolve(dirname(packageJson)) === resolve(cwd) ? initCwd : cwd;
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // Before any SDK client is built: Waybill supports Node 20, its users need not see the SDK's warning.
  silenceNodeVersionWarning(process.env);
  const io = processIo();
  main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
