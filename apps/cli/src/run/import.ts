// `waybill import --region <r> [--name <n>] --out <dir>` (from AWS), and
// `waybill import --from cloudformation|terraform|alchemy <source...> --out <dir>` (from another tool).
import { readdir, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { type Diagnostic, formatDiagnostic, hasErrors } from "@waybill/core";
import {
  type ImportResult,
  type ImportSource,
  importAlchemy,
  importCloudFormation,
  importTerraform,
} from "@waybill/core/import";
import { CliError } from "../errors.js";
import type { CliIo, ParsedCommand } from "../io.js";
import { openRunFor, readUserFile, stringFlag, writeUserFile } from "./context.js";

/** The tools `--from` names. */
export const importTools = ["cloudformation", "terraform", "alchemy"] as const;
type ImportTool = (typeof importTools)[number];

/** Flags that only one tool's import takes. */
const toolFlags: Record<string, ImportTool> = {
  parameters: "cloudformation",
  "stack-file": "cloudformation",
  "account-id": "cloudformation",
  "stack-name": "cloudformation",
};

export async function runImport(parsed: ParsedCommand, io: CliIo): Promise<number> {
  const from = stringFlag(parsed, "from");
  const out = stringFlag(parsed, "out");
  if (from === undefined) {
    for (const flag of Object.keys(toolFlags))
      if (parsed.values[flag] !== undefined) throw new CliError(`--${flag} needs --from ${toolFlags[flag]}`);
  }
  if (from === undefined && !stringFlag(parsed, "region"))
    throw new CliError("import needs --region <region>");
  if (!out) throw new CliError("import needs --out <dir>");
  const outKind = await stat(resolve(io.cwd, out)).then(
    (stats) => (stats.isDirectory() ? "directory" : "file"),
    () => "missing",
  );
  if (outKind === "file") throw new CliError(`--out must be a directory, got '${out}' (a file)`);
  if (from !== undefined) return runImportFrom(from, out, parsed, io);
  if (parsed.positionals.length > 0)
    throw new CliError(`import takes no paths without --from, got '${parsed.positionals[0]}'`);
  const region = stringFlag(parsed, "region") as string;
  const run = await openRunFor(parsed, io, { paths: false });
  const name = stringFlag(parsed, "name");
  const imported = await run.importLive({ region, name });
  if (imported.length === 0) {
    throw new CliError(
      name ? `no configuration named '${name}' in ${region}` : `no configurations in ${region}`,
    );
  }
  const kept = await writeFiles(
    io,
    out,
    imported.map((c) => ({ ...c, region: c.region })),
  );
  io.stdout.write(
    `Imported ${imported.length - kept} of ${imported.length}. Run 'waybill plan --adopt' to see what adopting them changes.\n`,
  );
  return kept > 0 ? 1 : 0;
}

/** Reads the other tool's files, imports (core, pure), prints the diagnostics and writes the files. */
async function runImportFrom(from: string, out: string, parsed: ParsedCommand, io: CliIo): Promise<number> {
  if (!(importTools as readonly string[]).includes(from))
    throw new CliError(`--from must be one of ${importTools.join(", ")}, got '${from}'`);
  const tool = from as ImportTool;
  for (const [flag, owner] of Object.entries(toolFlags))
    if (owner !== tool && parsed.values[flag] !== undefined)
      throw new CliError(`--${flag} is for --from ${owner}, not --from ${tool}`);
  if (parsed.values.name !== undefined)
    throw new CliError("--name is for importing from AWS, not with --from");
  const sources = parsed.positionals;
  if (sources.length === 0) throw new CliError(`import --from ${tool} needs the ${sourceWord[tool]} to read`);
  if (tool !== "alchemy" && sources.length > 1)
    throw new CliError(`import --from ${tool} reads one ${sourceWord[tool]}, got ${sources.length}`);
  const { root, settings } = await openRunFor(parsed, io, { paths: false });
  const region = stringFlag(parsed, "region");
  const common = {
    ...(region === undefined ? {} : { region }),
    policy: settings.policy,
  };
  let result: ImportResult;
  if (tool === "cloudformation") {
    const parameters = stringFlag(parsed, "parameters");
    const stackFile = stringFlag(parsed, "stack-file");
    const accountId = stringFlag(parsed, "account-id");
    const stackName = stringFlag(parsed, "stack-name");
    result = importCloudFormation(await readSource(io, root, sources[0] as string), {
      ...common,
      ...(parameters === undefined ? {} : { parameters: await readSource(io, root, parameters) }),
      ...(stackFile === undefined ? {} : { stack: await readSource(io, root, stackFile) }),
      ...(accountId === undefined ? {} : { accountId }),
      ...(stackName === undefined ? {} : { stackName }),
    });
  } else if (tool === "terraform") {
    result = importTerraform(await readSource(io, root, sources[0] as string), common);
  } else {
    const files = (await Promise.all(sources.map((path) => alchemyFiles(io, path)))).flat();
    result = importAlchemy(await Promise.all(files.map((path) => readSource(io, root, path))), common);
  }
  for (const diagnostic of result.diagnostics) io.stdout.write(`${formatDiagnostic(diagnostic)}\n`);
  const kept = await writeFiles(io, out, result.configurations);
  const written = result.configurations.length - kept;
  const { errors, warnings } = count(result.diagnostics);
  const summary = `Wrote ${plural(written, "file")} from ${tool} (${plural(errors, "error")}, ${plural(warnings, "warning")}).`;
  if (hasErrors(result.diagnostics)) {
    io.stdout.write(
      `${summary}\nFix the errors above (each hint says what to give or write), then run 'waybill validate' and 'waybill plan --adopt'.\n`,
    );
    return 1;
  }
  io.stdout.write(
    `${summary}\nRun 'waybill plan --adopt' to see the takeover: it should show only adopt (docs/migrate.md).\n`,
  );
  return kept > 0 ? 1 : 0;
}

const sourceWord: Record<ImportTool, string> = {
  cloudformation: "template",
  terraform: "terraform show -json output",
  alchemy: "state files or props file",
};

/**
 * A user's file as an importer source, named relative to the repository's root (else to where the
 * user is), however the user named it: the name goes into the written files' header comments and
 * diagnostics, which should not carry one machine's absolute paths.
 */
async function readSource(io: CliIo, root: string, path: string): Promise<ImportSource> {
  const absolute = resolve(io.cwd, path);
  const inRoot = relative(root, absolute);
  const shown = inRoot.startsWith("..") || isAbsolute(inRoot) ? relative(io.cwd, absolute) : inRoot;
  return { path: shown.split(sep).join("/"), text: await readUserFile(io, path) };
}

/** A file as is; a directory (Alchemy's `.alchemy`) as every `.json` state file below it. */
async function alchemyFiles(io: CliIo, path: string): Promise<string[]> {
  const absolute = resolve(io.cwd, path);
  const isDirectory = await stat(absolute).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (!isDirectory) return [path];
  const entries = await readdir(absolute, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
    .map((entry) => join(path, relative(absolute, join(entry.parentPath, entry.name))))
    .sort();
}

/** Writes each configuration's file under `out`, never over an existing one; returns how many were kept. */
async function writeFiles(
  io: CliIo,
  out: string,
  configurations: readonly { name: string; region?: string | undefined; fileName: string; text: string }[],
): Promise<number> {
  let kept = 0;
  const used = new Set<string>();
  for (const configuration of configurations) {
    // The same name in two home regions is two configurations: the second file says its region.
    let fileName = configuration.fileName;
    if (used.has(fileName) && configuration.region !== undefined)
      fileName = fileName.replace(/\.yaml$/, `.${configuration.region}.yaml`);
    used.add(fileName);
    const path = join(out, fileName);
    try {
      await writeUserFile(io, path, configuration.text, "wx");
      io.stdout.write(`wrote ${path} (${configuration.name})\n`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      kept++;
      io.stderr.write(`waybill: ${path} exists; not overwritten\n`);
    }
  }
  return kept;
}

function count(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  return { errors, warnings: diagnostics.length - errors };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
