/**
 * @waybill/core: the pure domain model of Waybill. No I/O, no AWS SDK. Config files in, validated
 * documents, diagnostics and plans out. The renderers are `@waybill/core/render`, preflight's rules
 * `@waybill/core/preflight`, the importers from other tools `@waybill/core/import`.
 */
export { ACCOUNT_SET_NAME, type AccountSets } from "./account-sets.js";
export {
  accountFromArn,
  arnResourceName,
  type DistributionConfigurationIdentity,
  distributionConfigurationArn,
  type ParsedDistributionConfigurationArn,
  parseDistributionConfigurationArn,
  partitionOfRegion,
} from "./arn.js";
export {
  compareDiagnostics,
  type Diagnostic,
  type DiagnosticCode,
  diagnosticCodes,
  formatDiagnostic,
  formatJsonPath,
  hasErrors,
  type Severity,
} from "./diagnostics.js";
export {
  blockedDeleteDiagnostics,
  configurationsShowingImages,
  type PruneLocation,
} from "./images/consequences.js";
export { type CoveredConfiguration, imageStatus, statusCounts } from "./images/coverage.js";
export type { AmiFact, ImageFact, ImageFacts, ImageStatus, PipelineFact } from "./images/image-model.js";
export { isRolloutConfiguration, ROLLOUT_OF_TAG } from "./images/image-model.js";
export { type RolloutItem, type RolloutPlan, rolloutPlan } from "./images/rollout.js";
export {
  distributionConfigurationJsonSchema,
  distributionConfigurationJsonSchemaText,
} from "./json-schema.js";
export {
  type ConfigFile,
  type ParsedDocument,
  type ParseLimits,
  type ParseResult,
  parseConfigFile,
  type SourcePosition,
} from "./parse.js";
export {
  appliedRecord,
  type ConfigurationSummary,
  contentDigest,
  trustedLiveConfiguration,
} from "./plan/applied-record.js";
export { canonicalJson, type JsonObject, type JsonValue } from "./plan/canonical-json.js";
export { clientTokenFor } from "./plan/client-token.js";
export { hasChanges } from "./plan/describe.js";
export { liveStateFingerprint } from "./plan/fingerprint.js";
export {
  homeRegions,
  type ListedSummary,
  type LiveScope,
  type ScopeSettings,
  selectLiveScope,
  trustedFromRecords,
} from "./plan/live-scope.js";
export { normalizeDistributions } from "./plan/normalize.js";
export { desiredTags, plan } from "./plan/plan.js";
export {
  type AdoptChange,
  APPLIED_TAG,
  CHANGE_ACTIONS,
  type Change,
  type ChangeAction,
  type ConfigurationDocument,
  type ConflictChange,
  type CreateChange,
  type DeleteChange,
  type DesiredConfiguration,
  type FieldDiff,
  type LiveConfiguration,
  MANAGED_BY_TAG,
  type NoOpChange,
  type Plan,
  type PlanOptions,
  type PlanWarning,
  type PlanWarningCode,
  type ReplaceChange,
  SOURCE_TAG,
  type TagChange,
  type UpdateChange,
} from "./plan/plan-model.js";
export { sha256Hex } from "./plan/sha256.js";
export {
  type SharingApprovalEvidence,
  type SharingGateResult,
  sharingApprovalWords,
  sharingGate,
} from "./plan/sharing.js";
export { defaultPolicy, type Policy, policySchema, type SharingApproval } from "./policy.js";
export type { PreflightConfiguration } from "./preflight/preflight-model.js";
export type { PreflightReport, ResolvedAccountSet } from "./preflight/render.js";
export { formatRegionSuggestions, knownRegions, nearestRegions } from "./regions.js";
export { type ServiceRule, serviceRules } from "./rules.js";
export {
  type Distribution,
  type DistributionConfigurationDocument,
  regionSchema,
} from "./schema.js";
export { suggestKey } from "./suggest.js";
export {
  type BuildValues,
  checkAmiName,
  formatBuildDate,
  type NameTemplate,
  parseNameTemplate,
  renderAmiName,
  renderLongestAmiName,
} from "./templates.js";
export { ConfigValidation, validateConfigFiles } from "./validate/validation.js";
export type { ValidatedDocument, ValidateOptions, ValidationResult } from "./validate/validation-model.js";
export { toDesiredConfiguration, toPreflightConfiguration } from "./validated.js";
