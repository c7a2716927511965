/**
 * A package's API table, generated from its entry points: every name each entry exports, its kind
 * and the first sentence of its documentation, read with the TypeScript compiler API. A README's
 * "## API" section is this table (`pnpm api:docs` writes it; api-table.test.ts fails when it drifts).
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

export interface ApiExport {
  name: string;
  kind: "function" | "class" | "const" | "enum" | "interface" | "type" | "namespace";
  /** Whether the name exists at run time (not a type, not a type-only export). */
  runtime: boolean;
  /** The first sentence of its documentation; "" when it has none. */
  summary: string;
}

export interface ApiEntry {
  /** The import specifier: `@waybill/core`, `@waybill/core/render`. */
  specifier: string;
  /** The source file, relative to the package. */
  source: string;
  /** The first sentence of the entry file's leading comment. */
  summary: string;
  exports: ApiExport[];
}

interface PackageManifest {
  name: string;
  exports?: Record<string, string | Record<string, string>>;
}

/** The entries a package publishes: its `exports` with a `@waybill/source` file, test helpers (`./testing/*`) left out. */
export function packageEntries(packageDir: string): { specifier: string; file: string }[] {
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as PackageManifest;
  const entries: { specifier: string; file: string }[] = [];
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (typeof target === "string" || subpath.startsWith("./testing/")) continue;
    const source = target["@waybill/source"];
    if (source === undefined) continue;
    const specifier = subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
    entries.push({ specifier, file: join(packageDir, source) });
  }
  return entries;
}

/** Every entry of the package and what it exports, read from the sources. */
export function readApi(packageDir: string): ApiEntry[] {
  const entries = packageEntries(packageDir);
  const program = ts.createProgram(
    entries.map((entry) => entry.file),
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      customConditions: ["@waybill/source"],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      resolveJsonModule: true,
      types: ["node"],
    },
  );
  const checker = program.getTypeChecker();
  return entries.map((entry) => {
    const sourceFile = program.getSourceFile(entry.file);
    if (sourceFile === undefined) throw new Error(`cannot read ${entry.file}`);
    const moduleSymbol = checker.getSymbolAtLocation(sourceFile);
    const exported = moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
    return {
      specifier: entry.specifier,
      source: relative(packageDir, entry.file),
      summary: firstSentence(leadingComment(sourceFile)),
      exports: exported
        .map((symbol) => describeExport(symbol, checker))
        .sort(
          (a, b) => a.name.localeCompare(b.name, "en", { sensitivity: "base" }) || (a.name < b.name ? -1 : 1),
        ),
    };
  });
}

function describeExport(symbol: ts.Symbol, checker: ts.TypeChecker): ApiExport {
  const typeOnly = (symbol.declarations ?? []).some(
    (declaration) =>
      (ts.isExportSpecifier(declaration) &&
        (declaration.isTypeOnly || declaration.parent.parent.isTypeOnly)) ||
      ts.isTypeOnlyImportOrExportDeclaration(declaration),
  );
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const kind = kindOf(target);
  const isValue =
    kind === "function" || kind === "class" || kind === "const" || kind === "enum" || kind === "namespace";
  return {
    name: symbol.getName(),
    kind,
    runtime: isValue && !typeOnly,
    summary: firstSentence(ts.displayPartsToString(target.getDocumentationComment(checker))),
  };
}

function kindOf(symbol: ts.Symbol): ApiExport["kind"] {
  const flags = symbol.flags;
  if (flags & ts.SymbolFlags.Function) return "function";
  if (flags & ts.SymbolFlags.Class) return "class";
  if (flags & ts.SymbolFlags.Enum) return "enum";
  if (flags & ts.SymbolFlags.Variable) return "const";
  if (flags & ts.SymbolFlags.Interface) return "interface";
  if (flags & ts.SymbolFlags.TypeAlias) return "type";
  if (flags & ts.SymbolFlags.Module) return "namespace";
  throw new Error(`unknown kind of export ${symbol.getName()}`);
}

/** The text of the file's first comment when it opens the file (`/** ... *\/` or `//` lines). */
function leadingComment(sourceFile: ts.SourceFile): string {
  const text = sourceFile.getFullText();
  const ranges = ts.getLeadingCommentRanges(text, 0) ?? [];
  const first = ranges[0];
  if (first === undefined) return "";
  const raw = text.slice(first.pos, first.end);
  if (first.kind === ts.SyntaxKind.MultiLineCommentTrivia) {
    return raw
      .replace(/^\/\*\*?/, "")
      .replace(/\*\/$/, "")
      .split("\n")
      .map((line) => line.replace(/^\s*\* ?/, ""))
      .join("\n");
  }
  const lines: string[] = [];
  for (const range of ranges) {
    if (range.kind !== ts.SyntaxKind.SingleLineCommentTrivia) break;
    lines.push(text.slice(range.pos, range.end).replace(/^\/\/ ?/, ""));
  }
  return lines.join("\n");
}

/**
 * The first sentence of the first paragraph: up to the first `.`, `!` or `?` that is followed by a
 * space or the end, outside backticks; whitespace collapsed, pipes escaped for a table cell.
 */
export function firstSentence(text: string): string {
  const paragraph = text.trim().split(/\n\s*\n/)[0] ?? "";
  const flat = paragraph
    .replace(/\{@link(?:code|plain)?\s+([^}|\s]+)[^}]*\}/g, "`$1`")
    .replace(/\s+/g, " ")
    .trim();
  let inCode = false;
  let end = flat.length;
  for (let i = 0; i < flat.length; i++) {
    const char = flat[i];
    if (char === "`") inCode = !inCode;
    else if (
      !inCode &&
      (char === "." || char === "!" || char === "?") &&
      (i + 1 === flat.length || flat[i + 1] === " ")
    ) {
      // "e.g." and "i.e." do not end a sentence.
      if (/(^|\W)(e\.g|i\.e|etc)$/.test(flat.slice(0, i))) continue;
      end = i + 1;
      break;
    }
  }
  return flat.slice(0, end).replaceAll("|", "\\|");
}

/** The README's "## API" section for these entries. */
export function renderApiSection(packageName: string, entries: readonly ApiEntry[]): string {
  const total = entries.reduce((sum, entry) => sum + entry.exports.length, 0);
  const runtime = entries.reduce((sum, entry) => sum + entry.exports.filter((e) => e.runtime).length, 0);
  const lines = [
    "## API",
    "",
    "<!-- Generated from the package's entry points by `pnpm api:docs`; scripts/api-docs/api-table.test.ts fails when it drifts. -->",
    "",
    `Everything \`${packageName}\` exports: ${total} names, ${runtime} of them at run time (the others are`,
    `types), by entry point, with the first sentence of each one's documentation (the source has the`,
    "rest). Nothing else is public: what is not listed here is internal and may change.",
  ];
  for (const entry of entries) {
    const count = entry.exports.filter((e) => e.runtime).length;
    lines.push("", `### \`${entry.specifier}\``, "");
    lines.push(
      `${entry.summary === "" ? "" : `${entry.summary} `}(\`${entry.source}\`: ${entry.exports.length} names, ${count} at run time.)`,
    );
    lines.push("", "| export | kind | what |", "| --- | --- | --- |");
    for (const item of entry.exports) {
      const valueOnlyAsType = !item.runtime && ["function", "class", "const", "enum"].includes(item.kind);
      const kind = valueOnlyAsType ? `${item.kind} (type only)` : item.kind;
      lines.push(`| \`${item.name}\` | ${kind} | ${item.summary === "" ? "—" : item.summary} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** `readme` with its "## API" section (to the end of the file) replaced by `section`. */
export function withApiSection(readme: string, section: string): string {
  const at = readme.search(/^## API$/m);
  if (at === -1) throw new Error('the README has no "## API" section');
  const next = readme.slice(at + 1).search(/^## /m);
  const rest = next === -1 ? "" : `\n${readme.slice(at + 1 + next)}`;
  return `${readme.slice(0, at)}${section}${rest}`;
}

/** The packages whose README carries an API table. */
export const documentedPackages = ["packages/core", "packages/aws", "packages/emulator", "packages/engine"];
