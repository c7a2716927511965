/** A parsed source document and where its values are, for importers' diagnostics. */
import { type Diagnostic, type DiagnosticCode, formatJsonPath, type Severity } from "../diagnostics.js";
import type { ParsedDocument } from "../parse.js";
import type { SourceLocation } from "./imported.js";

export class LocatedSource {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly document: ParsedDocument) {}

  get file(): string {
    return this.document.file;
  }

  /** Where the value at `segments` was written (its nearest written ancestor when not itself). */
  locate(segments: readonly PropertyKey[], prefer: "key" | "value" = "value"): SourceLocation {
    const path = formatJsonPath(segments);
    for (let n = segments.length; n >= 0; n--) {
      const prefix = formatJsonPath(segments.slice(0, n));
      const found =
        prefer === "key" && n === segments.length
          ? (this.document.keyPositions.get(prefix) ?? this.document.valuePositions.get(prefix))
          : this.document.valuePositions.get(prefix);
      if (found !== undefined) return { line: found.line, column: found.column, path };
    }
    return { line: this.document.line, column: this.document.column, path };
  }

  report(
    code: DiagnosticCode,
    segments: readonly PropertyKey[],
    message: string,
    extra: { hint?: string; severity?: Severity; prefer?: "key" | "value" } = {},
  ): void {
    const at = this.locate(segments, extra.prefer);
    this.diagnostics.push({
      code,
      severity: extra.severity ?? "error",
      file: this.file,
      line: at.line,
      column: at.column,
      path: at.path,
      message,
      ...(extra.hint === undefined ? {} : { hint: extra.hint }),
    });
  }
}

/** The value at a path of plain data. */
export function valueAt(value: unknown, segments: readonly PropertyKey[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}
