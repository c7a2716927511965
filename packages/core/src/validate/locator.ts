/** Where a diagnostic points in its source: positions by JSON path, falling back to the parent. */
import { type Diagnostic, type DiagnosticCode, formatJsonPath, type Severity } from "../diagnostics.js";
import type { ParsedDocument, SourcePosition } from "../parse.js";

/** Locates diagnostics in one parsed document. */
export class Locator {
  constructor(readonly source: ParsedDocument) {}

  position(segments: readonly PropertyKey[], prefer: "key" | "value" = "value"): SourcePosition {
    for (let n = segments.length; n >= 0; n--) {
      const path = formatJsonPath(segments.slice(0, n));
      const found =
        prefer === "key" && n === segments.length
          ? (this.source.keyPositions.get(path) ?? this.source.valuePositions.get(path))
          : this.source.valuePositions.get(path);
      if (found !== undefined) return found;
    }
    return { line: this.source.line, column: this.source.column };
  }

  diagnostic(
    code: DiagnosticCode,
    segments: readonly PropertyKey[],
    message: string,
    extra: { hint?: string; severity?: Severity; prefer?: "key" | "value" } = {},
  ): Diagnostic {
    const { line, column } = this.position(segments, extra.prefer);
    return {
      code,
      severity: extra.severity ?? "error",
      file: this.source.file,
      line,
      column,
      path: formatJsonPath(segments),
      message,
      ...(extra.hint === undefined ? {} : { hint: extra.hint }),
    };
  }
}
