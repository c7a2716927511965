/** @waybill/core: the pure domain model of Waybill. No I/O, no AWS SDK. */
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
  type Diagnostic,
  type DiagnosticCode,
  diagnosticCodes,
  formatDiagnostic,
  formatJsonPath,
  hasErrors,
  type Severity,
} from "./diagnostics.js";
export * from "./images/index.js";
export * from "./import/index.js";
export {
  distributionConfigurationJsonSchema,
  distributionConfigurationJsonSchemaText,
} from "./json-schema.js";
export {
  type ConfigFile,
  defaultParseLimits,
  type ParsedDocument,
  type ParseLimits,
  type ParseResult,
  parseConfigFile,
  type SourcePosition,
} from "./parse.js";
export { apiMemberName, cloudFormationRenames } from "./pascal-case.js";
export * from "./plan/index.js";
export * from "./policy.js";
export {
  CROSS_ACCOUNT_POLICY_ARN,
  CROSS_ACCOUNT_ROLE_NAME,
  evaluatePreflight,
  type Fact,
  type FactRequest,
  type Facts,
  factKey,
  type KmsGrant,
  type PreflightCheckName,
  type PreflightConfiguration,
  type PreflightContext,
  type PreflightFinding,
  type PreflightReport,
  type PreflightSeverities,
  preflightChecks,
  preflightCodes,
  preflightRequests,
  preflightSummary,
  type ResolvedAccountSet,
  renderPreflightMarkdown,
  renderPreflightText,
} from "./preflight/index.js";
export {
  formatRegionSuggestions,
  knownRegions,
  nearestRegions,
  partitionOf,
  type RegionInfo,
  regionInfo,
  regionPattern,
} from "./regions.js";
export { type DocumentEdit, type RuleEnforcement, type ServiceRule, serviceRules } from "./rules.js";
export * from "./schema.js";
export { suggestKey } from "./suggest.js";
export {
  type AmiNameProblem,
  type BuildValues,
  checkAmiName,
  formatBuildDate,
  longestBuildDate,
  longestBuildVersion,
  type NameTemplate,
  type NameTemplatePart,
  type NameTemplateProblem,
  parseNameTemplate,
  renderAmiName,
  renderLongestAmiName,
  type TemplateVariable,
} from "./templates.js";
export * from "./validate/validation.js";
export { toDesiredConfiguration, toPreflightConfiguration } from "./validated.js";
