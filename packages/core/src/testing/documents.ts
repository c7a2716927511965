/** Test builders: documents as plain data, edited by path, validated through the public API. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type ValidateOptions, type ValidationResult, validateConfigFiles } from "../validate/validation.js";

export function fixturePath(relative: string): string {
  return fileURLToPath(new URL(`../fixtures/${relative}`, import.meta.url));
}

export function readFixture(relative: string): string {
  return readFileSync(fixturePath(relative), "utf8");
}

/** The valid document that uses every member of the API model. */
export function everyMember(): Record<string, unknown> {
  return JSON.parse(readFixture("valid/every-member.json")) as Record<string, unknown>;
}

/** A copy of `document` with the value at `path` replaced (or removed, for `undefined`). */
export function withValue(document: unknown, path: readonly PropertyKey[], value: unknown): unknown {
  const copy = structuredClone(document) as Record<PropertyKey, unknown>;
  let parent: Record<PropertyKey, unknown> = copy;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<PropertyKey, unknown>;
  const last = path.at(-1) as PropertyKey;
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

export function validateJson(
  documents: unknown | unknown[],
  options: ValidateOptions = {},
  file = "test.json",
): ValidationResult {
  const list = Array.isArray(documents) ? documents : [documents];
  return validateConfigFiles(
    list.map((document, i) => ({
      path: list.length > 1 ? `${i}-${file}` : file,
      text: JSON.stringify(document, null, 2),
    })),
    options,
  );
}

/** Codes of the errors and warnings, with their paths, for compact assertions. */
export function codesAndPaths(result: ValidationResult): string[] {
  return result.diagnostics.map((d) => `${d.code} ${d.path}`);
}
