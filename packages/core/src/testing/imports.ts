/** Test helpers for the importers: the example sources under examples/migrate, read as text. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Diagnostic, formatDiagnostic } from "../diagnostics.js";
import type { ImportSource } from "../import/imported.js";

export const migrateExamples = fileURLToPath(new URL("../../../../examples/migrate/", import.meta.url));

/** An example source, named by its path below examples/migrate. */
export function example(relative: string): ImportSource {
  return { path: relative, text: readFileSync(`${migrateExamples}${relative}`, "utf8") };
}

export function expectedDocuments(relative: string): unknown[] {
  return JSON.parse(readFileSync(`${migrateExamples}${relative}`, "utf8")) as unknown[];
}

/** `line:column code path` of a diagnostic, to compare locations compactly. */
export function located(diagnostic: Diagnostic): string {
  return `${diagnostic.line}:${diagnostic.column} ${diagnostic.code} ${diagnostic.path}`;
}

export function errorsOf(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
}
