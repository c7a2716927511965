// Finds the config files of a run: the settings' globs, or the paths the user named.
import { stat } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { glob } from "tinyglobby";
import type { SettingsDiagnostic } from "./diagnostics.js";
import { settingsFileName } from "./settings.js";

const configExtensions = "{yml,yaml,json}";
const ignored = ["**/node_modules/**", "**/.git/**", `**/${settingsFileName}`];

export type DiscoveryResult =
  | { ok: true; files: string[] }
  | { ok: false; files: string[]; diagnostics: SettingsDiagnostic[] };

/**
 * The config files to read, relative to `root` with `/` separators, sorted. Without `paths` the
 * `globs` decide; a named file is taken as is; a named directory contributes every YAML/JSON file
 * under it. A named path that does not exist is reported, not thrown.
 */
export async function findConfigFiles(options: {
  root: string;
  globs: string[];
  paths?: string[] | undefined;
}): Promise<DiscoveryResult> {
  const root = resolve(options.root);
  if (!options.paths || options.paths.length === 0) {
    const files = await glob(options.globs, { cwd: root, ignore: ignored, onlyFiles: true, dot: false });
    return { ok: true, files: unique(files) };
  }
  const files: string[] = [];
  const diagnostics: SettingsDiagnostic[] = [];
  for (const path of options.paths) {
    const absolute = isAbsolute(path) ? path : resolve(root, path);
    const kind = await stat(absolute).then(
      (stats) => (stats.isDirectory() ? "directory" : "file"),
      () => "missing" as const,
    );
    if (kind === "missing") {
      diagnostics.push({
        file: path,
        line: 1,
        column: 1,
        path: "",
        severity: "error",
        code: "file-not-found",
        message: `no such file or directory: ${path}`,
      });
    } else if (kind === "file") {
      files.push(toPosix(relative(root, absolute)));
    } else {
      const found = await glob([`**/*.${configExtensions}`], {
        cwd: absolute,
        ignore: ignored,
        onlyFiles: true,
      });
      files.push(...found.map((file) => toPosix(relative(root, resolve(absolute, file)))));
    }
  }
  return diagnostics.length > 0
    ? { ok: false, files: unique(files), diagnostics }
    : { ok: true, files: unique(files) };
}

function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

function unique(files: string[]): string[] {
  return [...new Set(files)].sort();
}

/**
 * The configuration repository's root for a run started in `start`: the nearest directory at or
 * above it holding `waybill.config.yaml`, else the nearest holding `.git` (the git root), else
 * `start` itself. Globs and `waybill:source` paths are relative to it, so a run from a
 * subdirectory sees the same repository as one from the root.
 */
export async function findRepositoryRoot(start: string): Promise<string> {
  const from = resolve(start);
  return (
    (await nearestAncestorWith(from, settingsFileName)) ?? (await nearestAncestorWith(from, ".git")) ?? from
  );
}

async function nearestAncestorWith(start: string, entry: string): Promise<string | undefined> {
  for (let directory = start; ; directory = dirname(directory)) {
    if (
      await stat(join(directory, entry)).then(
        () => true,
        () => false,
      )
    )
      return directory;
    if (dirname(directory) === directory) return undefined;
  }
}
