// Where a run works and how it opens: parsed flags and the environment handed to the engine's openRun.
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, relative, resolve, sep } from "node:path";
import { type Diagnostic, formatDiagnostic } from "@waybill/core";
import { findRepositoryRoot, openRun, type Run, type SettingsOverrides } from "@waybill/engine";
import { optionsOf } from "../commands.js";
import { CliError } from "../errors.js";
import type { CliIo, ParsedCommand } from "../io.js";

/** The one-line form of any diagnostic: `file:line:col: severity code: message`. */
export function formatRunDiagnostic(diagnostic: Diagnostic): string {
  // Without a place for those about no file in particular (no config files at all).
  const line = formatDiagnostic(diagnostic);
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

/** The flag that sets each overridable setting: how the CLI names it in refusals. */
const flagNames = {
  stack: "--stack",
  defaultRegion: "--region",
  concurrency: "--concurrency",
  endpointUrl: "--endpoint-url",
  prune: "--prune",
  adopt: "--adopt",
} as const;

/**
 * Opens the run (the engine's `openRun`, as the Action does): the repository root
 * ({@link locationFor}), the positional paths (unless `paths: false`: import's positionals are
 * its sources), settings from waybill.config.yaml with the common flags on top, the environment,
 * AWS access and the default region, all checked there. A refused flag or variable is one line
 * naming it; a bad settings file is its diagnostics, then one line.
 */
export async function openRunFor(
  parsed: ParsedCommand,
  io: CliIo,
  options: { paths?: false; settings?: SettingsOverrides } = {},
): Promise<Run> {
  const { root, paths } = await locationFor(parsed, io);
  const opened = await openRun({
    root,
    ...(options.paths === false ? {} : { paths: { named: paths } }),
    pruneAll: parsed.values["prune-all"] === true,
    env: io.env,
    settings: {
      stack: stringFlag(parsed, "stack"),
      defaultRegion: stringFlag(parsed, "region"),
      concurrency: positiveInteger("concurrency", parsed.values.concurrency),
      endpointUrl: stringFlag(parsed, "endpoint-url"),
      prune: booleanFlag(parsed, "prune"),
      adopt: booleanFlag(parsed, "adopt"),
      ...options.settings,
    },
    names: flagNames,
    // An endpoint from the environment is checked by the commands that reach AWS (those with
    // --endpoint-url); validate never does.
    reachesAws: optionsOf(parsed.command).some((option) => option.name === "endpoint-url"),
  });
  if (opened.ok) return opened.run;
  const [first] = opened.diagnostics;
  if (first && opened.diagnostics.every((diagnostic) => diagnostic.file === ""))
    throw new CliError(first.hint === undefined ? first.message : `${first.message}; ${first.hint}`);
  for (const diagnostic of opened.diagnostics) io.stderr.write(`${formatRunDiagnostic(diagnostic)}\n`);
  throw new CliError("waybill.config.yaml is not valid");
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
