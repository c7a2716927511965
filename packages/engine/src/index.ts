/** @waybill/engine: one Waybill run (settings, files, validation, live state, plan, apply), shared by the CLI and the Action. */
export type { SettingsDiagnostic } from "./diagnostics.js";
export { findRepositoryRoot } from "./discovery.js";
export {
  type RolloutRepositoryOptions,
  type RolloutRepositoryResult,
  rolloutRepository,
  type StatusRepositoryResult,
  statusRepository,
} from "./images.js";
export { hasOrganizationSets, staticAccountSets } from "./preflight.js";
export {
  type ApplyRepositoryOptions,
  type ApplyRepositoryResult,
  applyRepository,
  type CallCounts,
  type PlanRepositoryOptions,
  type PlanRepositoryResult,
  type PreflightRepositoryResult,
  planRepository,
  preflightRepository,
  type RepositoryOptions,
  type RunDiagnostic,
  type ValidationReport,
  validateRepository,
} from "./repository.js";
export { type OpenRunOptions, type OpenRunResult, openRun, type Run } from "./run.js";
export type {
  AccountSetSetting,
  PreflightSettings,
  Settings,
  SettingsOverrides,
} from "./settings.js";
