/** @waybill/engine: one Waybill run (settings, files, validation, live state, plan, apply), shared by the CLI and the Action. */
export type { SettingsDiagnostic } from "./diagnostics.js";
export { findRepositoryRoot } from "./discovery.js";
export {
  type ApplyRepositoryOptions,
  type ApplyRepositoryResult,
  applyRepository,
  type CallCounts,
  type PlanRepositoryOptions,
  type PlanRepositoryResult,
  planRepository,
  type RepositoryOptions,
  type RunDiagnostic,
  type ValidationReport,
  validateRepository,
} from "./repository.js";
export { type OpenRunOptions, type OpenRunResult, openRun, type Run } from "./run.js";
export { loadSettings, type Settings, type SettingsOverrides, type SettingsResult } from "./settings.js";
