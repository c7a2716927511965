// Diagnostics the engine produces itself (settings, file discovery), shaped like core's.

/** One problem at a place in a file. */
export interface SettingsDiagnostic {
  file: string;
  line: number;
  column: number;
  /** JSON path inside the document, "" for the whole file. */
  path: string;
  severity: "error" | "warning";
  code: string;
  message: string;
  hint?: string;
}
