/** A parsed source document of another tool, and the diagnostics an importer finds in it. */
import { type Diagnostic, type DiagnosticCode, formatJsonPath, type Severity } from "../diagnostics.js";
import type { ParsedDocument } from "../parse.js";
import { Locator } from "../validate/locator.js";
import type { SourceLocation } from "./imported.js";

export class LocatedSource {
  readonly diagnostics: Diagnostic[] = [];
  readonly #locator: Locator;

  constructor(readonly document: ParsedDocument) {
    this.#locator = new Locator(document);
  }

  get file(): string {
    return this.document.file;
  }

  /** Where the value at `segments` was written (its nearest written ancestor when not itself). */
  locate(segments: readonly PropertyKey[], prefer: "key" | "value" = "value"): SourceLocation {
    return { ...this.#locator.position(segments, prefer), path: formatJsonPath(segments) };
  }

  report(
    code: DiagnosticCode,
    segments: readonly PropertyKey[],
    message: string,
    extra: { hint?: string; severity?: Severity; prefer?: "key" | "value" } = {},
  ): void {
    this.diagnostics.push(this.#locator.diagnostic(code, segments, message, extra));
  }
}
