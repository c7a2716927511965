// Turns parsed flags and the environment into engine settings and AWS access, once per run.
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, relative, resolve, sep } from "node:path";
import { type AwsAccess, createAwsAccess } from "@waybill/aws";
import { type Diagnostic, formatDiagnostic } from "@waybill/core";
import {
  checkEndpointUrl,
  checkSettingsValues,
  findRepositoryRoot,
  loadSettings,
  type RunDiagnostic,
  type Settings,
  type SettingsOverrides,
} from "@waybill/engine";
import { optionsOf } from "../commands.js";
import { CliError } from "../errors.js";
import type { CliIo, ParsedCommand } from "../io.js";

/** The one-line form of any diagnostic: `file:line:col: severity code: message`. */
export function formatRunDiagnostic(diagnostic: RunDiagnostic): string {
  // Engine diagnostics have core's shape with a wider `code`; the format is the same, without a
  // place for those about no file in particular (no config files at all).
  const line = formatDiagnostic(diagnostic as Diagnostic);
  return diagnostic.file === "" ? line.replace(/^:\d+:\d+: /, "") : line;
}

/** Whether to colour stdout: stdout is a terminal, no --no-color, no NO_COLOR. */
export function useColor(parsed: ParsedCommand, io: CliIo): boolean {
  return io.stdoutIsTTY && parsed.values.color !== false && !io.env.NO_COLOR;
}

function positiveInteger(flag: string, text: string | boolean | undefined): number | undefined {
  if (text === undefined || typeof text === "boolean") return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1)
    throw new CliError(
      `${flag === flag.toUpperCase() ? flag : `--${flag}`} must be a positive whole number, got '${text}'`,
    );
  return value;
}

function stringFlag(parsed: ParsedCommand, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === "string" ? value : undefined;
}

function booleanFlag(parsed: ParsedCommand, name: string): boolean | undefined {
  const value = parsed.values[name];
  return typeof value === "boolean" ? value : undefined;
}

export { booleanFlag, stringFlag };

/** Where a run works: the repository root, and the named paths relative to it. */
export interface RunLocation {
  root: string;
  /** The positional paths (given relative to the working directory), relative to the root. */
  paths: string[];
}

/**
 * The repository root: `--root` (relative to the working directory), else the nearest directory
 * upward with waybill.config.yaml, else the git root, else the working directory. Named paths
 * are the user's, relative to the working directory; the engine wants them relative to the root.
 */
export async function locationFor(parsed: ParsedCommand, io: CliIo): Promise<RunLocation> {
  const given = stringFlag(parsed, "root");
  let root: string;
  if (given !== undefined) {
    root = resolve(io.cwd, given);
    const isDirectory = await stat(root).then(
      (stats) => stats.isDirectory(),
      () => false,
    );
    if (!isDirectory) throw new CliError(`--root must be a directory, got '${given}'`);
  } else {
    root = await findRepositoryRoot(io.cwd);
  }
  const paths = parsed.positionals.map((path) => {
    const fromRoot = relative(root, resolve(io.cwd, path)) || ".";
    return sep === "/" ? fromRoot : fromRoot.split(sep).join("/");
  });
  return { root, paths };
}

/** The flag that sets each overridable setting. */
const flagNames: Record<string, string> = {
  stack: "--stack",
  defaultRegion: "--region",
  concurrency: "--concurrency",
  endpointUrl: "--endpoint-url",
  prune: "--prune",
  adopt: "--adopt",
};

/** Settings from waybill.config.yaml at the repository root, with the common flags on top. */
export async function settingsFor(
  parsed: ParsedCommand,
  io: CliIo,
  root: string,
  extra: SettingsOverrides = {},
): Promise<Settings> {
  const overrides: SettingsOverrides = {
    stack: stringFlag(parsed, "stack"),
    defaultRegion: stringFlag(parsed, "region"),
    concurrency: positiveInteger("concurrency", parsed.values.concurrency),
    endpointUrl: stringFlag(parsed, "endpoint-url"),
    prune: booleanFlag(parsed, "prune"),
    adopt: booleanFlag(parsed, "adopt"),
    ...extra,
  };
  // The engine checks overrides too; checked here first to name the flag in one line.
  const problem = checkSettingsValues(overrides)[0];
  if (problem) {
    throw new CliError(
      `${flagNames[problem.key] ?? problem.path} ${problem.message}, got '${String(problem.value)}'`,
    );
  }
  // An endpoint from the environment (when no flag gives one) is checked the same way, by the
  // commands that reach AWS (those with --endpoint-url; validate never does).
  const reachesAws = optionsOf(parsed.command).some((option) => option.name === "endpoint-url");
  const endpoint = reachesAws ? checkEndpointUrl(overrides.endpointUrl, io.env) : undefined;
  if (endpoint) throw new CliError(`${endpoint.key} ${endpoint.message}, got '${endpoint.value}'`);
  const loaded = await loadSettings({ root, overrides, ...(reachesAws ? { env: io.env } : {}) });
  if (!loaded.ok) {
    for (const diagnostic of loaded.diagnostics) io.stderr.write(`${formatRunDiagnostic(diagnostic)}\n`);
    throw new CliError("waybill.config.yaml is not valid");
  }
  return loaded.settings;
}

/**
 * AWS access for the run: endpoint from the flag or environment; credentials from the run's
 * environment variables when set there (the SDK chain's first link, read from `io.env` so a run
 * never depends on the process's own environment), else the rest of the SDK's standard chain.
 */
export function awsFor(settings: Settings, io: CliIo): AwsAccess {
  const {
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_SESSION_TOKEN: sessionToken,
  } = io.env;
  const credentials =
    accessKeyId && secretAccessKey
      ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }
      : undefined;
  // AWS_MAX_ATTEMPTS is the SDK's own variable; read here because Waybill sets its own default.
  const maxAttempts = io.env.AWS_MAX_ATTEMPTS
    ? positiveInteger("AWS_MAX_ATTEMPTS", io.env.AWS_MAX_ATTEMPTS)
    : undefined;
  return createAwsAccess({ endpointUrl: settings.endpointUrl, env: io.env, credentials, maxAttempts });
}

/**
 * Fills the default region when neither flag nor file gave one: `AWS_REGION` or
 * `AWS_DEFAULT_REGION` of the run's environment, else the SDK's chain (profile).
 */
export async function withDefaultRegion(settings: Settings, aws: AwsAccess, io?: CliIo): Promise<Settings> {
  if (settings.defaultRegion) return settings;
  const source = io?.env.AWS_REGION
    ? "AWS_REGION"
    : io?.env.AWS_DEFAULT_REGION
      ? "AWS_DEFAULT_REGION"
      : "the AWS profile's region";
  const region = io?.env.AWS_REGION || io?.env.AWS_DEFAULT_REGION || (await aws.defaultRegion());
  if (!region) return settings;
  // Checked like the file's defaultRegion: a bad one must never reach AWS.
  const problem = checkSettingsValues({ defaultRegion: region })[0];
  if (problem) throw new CliError(`${source} ${problem.message}, got '${region}'`);
  return { ...settings, defaultRegion: region };
}

/** Reads a file the user named; a missing file is a user mistake. */
export async function readUserFile(io: CliIo, path: string): Promise<string> {
  try {
    return await readFile(resolve(io.cwd, path), "utf8");
  } catch (error) {
    throw new CliError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** Writes a file the user named (creating its directory). */
export async function writeUserFile(io: CliIo, path: string, text: string, flags?: "wx"): Promise<void> {
  const absolute = resolve(io.cwd, path);
  try {
    await mkdir(dirname(absolute), { recursive: true });
    await writeFile(absolute, text, flags ? { flag: flags } : {});
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw error;
    throw new CliError(
      `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}
