// `waybill import --region <r> [--name <n>] --out <dir>`.
import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { importConfigurations } from "@waybill/aws";
import { CliError } from "../errors.js";
import type { CliIo, ParsedCommand } from "../io.js";
import { awsFor, locationFor, settingsFor, stringFlag, writeUserFile } from "./context.js";

export async function runImport(parsed: ParsedCommand, io: CliIo): Promise<number> {
  const region = stringFlag(parsed, "region");
  const out = stringFlag(parsed, "out");
  if (!region) throw new CliError("import needs --region <region>");
  if (!out) throw new CliError("import needs --out <dir>");
  if (parsed.positionals.length > 0)
    throw new CliError(`import takes no paths, got '${parsed.positionals[0]}'`);
  const outKind = await stat(resolve(io.cwd, out)).then(
    (stats) => (stats.isDirectory() ? "directory" : "file"),
    () => "missing",
  );
  if (outKind === "file") throw new CliError(`--out must be a directory, got '${out}' (a file)`);
  const { root } = await locationFor(parsed, io);
  const settings = await settingsFor(parsed, io, root);
  const aws = awsFor(settings, io);
  const name = stringFlag(parsed, "name");
  const imported = await importConfigurations({
    region,
    clientFor: (r) => aws.clientFor(r),
    name,
    concurrency: settings.concurrency,
  });
  if (imported.length === 0) {
    throw new CliError(
      name ? `no configuration named '${name}' in ${region}` : `no configurations in ${region}`,
    );
  }
  let kept = 0;
  for (const configuration of imported) {
    const path = join(out, configuration.fileName);
    try {
      await writeUserFile(io, path, configuration.text, "wx");
      io.stdout.write(`wrote ${path} (${configuration.name})\n`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      kept++;
      io.stderr.write(`waybill: ${path} exists; not overwritten\n`);
    }
  }
  io.stdout.write(
    `Imported ${imported.length - kept} of ${imported.length}. Run 'waybill plan --adopt' to see what adopting them changes.\n`,
  );
  return kept > 0 ? 1 : 0;
}
