// Kept only so the engine's entry (reshaped on another branch) builds unchanged: the engine's own
// diagnostics are core's `Diagnostic`. Delete this file with its line in index.ts.
/** @deprecated Use `Diagnostic` from `@waybill/core`. */
export type { Diagnostic as SettingsDiagnostic } from "@waybill/core";
