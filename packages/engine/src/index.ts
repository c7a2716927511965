/** @waybill/engine: one Waybill run (settings, files, validation, live state, plan, apply), shared by the CLI and the Action. */
export { findRepositoryRoot } from "./discovery.js";
export type { RolloutRepositoryResult, StatusRepositoryResult } from "./images.js";
export type {
  ApplyRepositoryResult,
  PlanRepositoryResult,
  PreflightRepositoryResult,
  ValidationReport,
} from "./repository.js";
export {
  type OpenRunResult,
  openRun,
  type PlanMarkdownOptions,
  type Run,
  type RunApplyOptions,
  type RunApplyResult,
  type RunPaths,
  type RunPlanOptions,
  type RunPlanResult,
  type RunRequest,
  type RunRolloutOptions,
} from "./run.js";
export type {
  AccountSetSetting,
  PreflightSettings,
  Settings,
  SettingsOverrides,
} from "./settings.js";
export type { Verdict, VerdictReason } from "./verdict.js";
