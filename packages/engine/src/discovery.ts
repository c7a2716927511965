// Finds the config files of a run: the settings' globs, or the paths the user named.
import { closeSync, constants, type Dirent, openSync, readdir, readFileSync, statSync } from "node:fs";
import { lstat, realpath, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Diagnostic } from "@waybill/core";
import { glob } from "tinyglobby";
import { settingsFileName } from "./settings.js";

const configExtensions = "{yml,yaml,json}";
const ignored = ["**/node_modules/**", "**/.git/**", `**/${settingsFileName}`];

export type DiscoveryResult =
  | { ok: true; files: string[] }
  | { ok: false; files: string[]; diagnostics: Diagnostic[] };

/**
 * The config files to read, relative to `root` with `/` separators, sorted. Without `paths` the
 * `globs` decide; a named file is taken as is; a named directory contributes every YAML/JSON file
 * under it. A named path that does not exist is reported, not thrown.
 *
 * Symbolic links are never followed: a config file is text the run may quote back (in
 * diagnostics, in public annotations), so a link such as `waybill/x.yaml -> /proc/self/environ`
 * in a fork's pull request must not be read. A link the globs reach (a linked file they match, a
 * linked directory they would enter) or a named path that is or goes through a link, or lies
 * outside the root, is an error diagnostic (`symlink-refused`, `outside-root`) and is not read.
 */
export async function findConfigFiles(options: {
  root: string;
  globs: string[];
  paths?: string[] | undefined;
}): Promise<DiscoveryResult> {
  const root = resolve(options.root);
  const realRoot = await realpath(root).catch(() => root);
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const refuse = (file: string, code: "symlink-refused" | "outside-root", message: string) =>
    diagnostics.push({ file, line: 1, column: 1, path: "", severity: "error", code, message });
  const refuseLink = (file: string) =>
    refuse(
      file,
      "symlink-refused",
      `${file} is a symbolic link or lies behind one; Waybill does not follow symbolic links, so it was not read`,
    );
  /** Globs under `cwd`; links found are refused, files kept when their real path is where it seems. */
  const collect = async (patterns: string[], cwd: string) => {
    const found = await globWithoutLinks(patterns, cwd);
    for (const link of found.links) refuseLink(toPosix(relative(root, link)));
    const checked = await realDirectoriesMatch(found.files, root, realRoot);
    for (const [index, file] of found.files.entries()) {
      const fromRoot = toPosix(relative(root, file));
      if (checked[index]) files.push(fromRoot);
      else refuseLink(fromRoot);
    }
  };
  if (!options.paths || options.paths.length === 0) {
    await collect(options.globs, root);
    return result(files, diagnostics);
  }
  for (const path of options.paths) {
    const absolute = isAbsolute(path) ? resolve(path) : resolve(root, path);
    const fromRoot = relative(root, absolute);
    if (fromRoot === ".." || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot)) {
      refuse(path, "outside-root", `${path} is outside the repository root ${root}, so it was not read`);
      continue;
    }
    if (fromRoot === "") {
      // The root itself (which may be reached through a link of the user's choosing).
      await collect([`**/*.${configExtensions}`], root);
      continue;
    }
    const stats = await lstat(absolute).catch(() => undefined);
    if (!stats) {
      diagnostics.push({
        file: path,
        line: 1,
        column: 1,
        path: "",
        severity: "error",
        code: "file-not-found",
        message: `no such file or directory: ${path}`,
      });
    } else if (stats.isSymbolicLink() || !(await realDirectoriesMatch([absolute], root, realRoot))[0]) {
      refuseLink(toPosix(fromRoot) || ".");
    } else if (stats.isDirectory()) {
      await collect([`**/*.${configExtensions}`], absolute);
    } else {
      files.push(toPosix(fromRoot));
    }
  }
  return result(files, diagnostics);
}

function result(files: string[], diagnostics: Diagnostic[]): DiscoveryResult {
  return diagnostics.length > 0
    ? { ok: false, files: unique(files), diagnostics: diagnostics.sort((a, b) => compare(a.file, b.file)) }
    : { ok: true, files: unique(files) };
}

/**
 * Reads the files found by {@link findConfigFiles} (relative to `root`) without following a link
 * there, should one have replaced a file since it was found (`symlink-refused`); a file that cannot
 * be read (removed since, no permission) is `file-unreadable`. Synchronous: config files are small,
 * and reading 1,000 of them asynchronously (open, read, close, each a trip to the thread pool) costs
 * several times more; nothing else of a run can go on before they are read and validated anyway.
 */
export function readConfigFiles(
  root: string,
  files: readonly string[],
): { texts: { path: string; text: Buffer }[]; diagnostics: Diagnostic[] } {
  const flag = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);
  const texts: { path: string; text: Buffer }[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    let descriptor: number | undefined;
    try {
      descriptor = openSync(join(root, file), flag);
      texts.push({ path: file, text: readFileSync(descriptor) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      diagnostics.push({
        file,
        line: 1,
        column: 1,
        path: "",
        severity: "error",
        ...(code === "ELOOP"
          ? {
              code: "symlink-refused",
              message: `${file} is a symbolic link; Waybill does not follow symbolic links, so it was not read`,
            }
          : { code: "file-unreadable", message: `cannot read ${file}: ${code ?? (error as Error).message}` }),
      });
    } finally {
      if (descriptor !== undefined) closeSync(descriptor);
    }
  }
  return { texts, diagnostics };
}

/**
 * tinyglobby without following links. Its own `followSymbolicLinks: false` drops links silently,
 * and a silently dropped file is a configuration that prune would delete; so links are shown to
 * the crawler as what they point at (never read through): a linked file as a file, which the
 * globs then match or not, and a linked directory as a directory, which the crawler enters only
 * if the globs could match below it, and which then reads as empty. Absolute paths.
 */
async function globWithoutLinks(
  patterns: string[],
  cwd: string,
): Promise<{ files: string[]; links: string[] }> {
  const linkedFiles = new Set<string>();
  const linkedDirectories = new Set<string>();
  const entered: string[] = [];
  const readdirWithoutLinks = ((path: string, _options: unknown, callback: ReaddirCallback) => {
    const directory = resolve(path);
    if (linkedDirectories.has(directory)) {
      entered.push(directory);
      callback(null, []);
      return;
    }
    readdir(path, { withFileTypes: true }, (error, entries) => {
      if (error) return callback(error, entries);
      callback(
        null,
        entries.map((entry) => {
          if (!entry.isSymbolicLink()) return entry;
          const full = join(directory, entry.name);
          // Where it points only decides how the crawler treats it; nothing there is read.
          const isDirectory = safeIsDirectory(full);
          (isDirectory ? linkedDirectories : linkedFiles).add(full);
          return disguised(entry, isDirectory);
        }),
      );
    });
  }) as unknown as typeof readdir;
  const found = await glob(patterns, {
    cwd,
    ignore: ignored,
    onlyFiles: true,
    dot: false,
    followSymbolicLinks: false,
    fs: { readdir: readdirWithoutLinks },
  });
  const files: string[] = [];
  const links = [...entered];
  for (const file of found) {
    const absolute = resolve(cwd, file);
    (linkedFiles.has(absolute) ? links : files).push(absolute);
  }
  return { files, links };
}

type ReaddirCallback = (error: NodeJS.ErrnoException | null, entries: Dirent[]) => void;

function safeIsDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A link's directory entry that reads as a plain file or directory. */
function disguised(entry: Dirent, isDirectory: boolean): Dirent {
  return Object.assign(Object.create(entry) as Dirent, {
    isFile: () => !isDirectory,
    isDirectory: () => isDirectory,
    isSymbolicLink: () => false,
  });
}

/**
 * For each absolute path under `root`, whether its directory's real path is where the path says
 * (under the root's real path): false when a directory on the way is a link, e.g. the globs'
 * base directory itself. One realpath per distinct directory.
 */
async function realDirectoriesMatch(paths: string[], root: string, realRoot: string): Promise<boolean[]> {
  const cache = new Map<string, Promise<boolean>>();
  return Promise.all(
    paths.map((path) => {
      const directory = dirname(path);
      let matches = cache.get(directory);
      if (!matches) {
        matches = realpath(directory).then(
          (real) => real === join(realRoot, relative(root, directory)),
          () => false,
        );
        cache.set(directory, matches);
      }
      return matches;
    }),
  );
}

function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
