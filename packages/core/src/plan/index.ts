/** The plan engine: normalise, diff, plan, fingerprint and render. */
export {
  appliedRecord,
  type ConfigurationSummary,
  contentDigest,
  type ServiceStamps,
  trustedLiveConfiguration,
} from "./applied-record.js";
export { canonicalJson, type JsonObject, type JsonValue } from "./canonical-json.js";
export { clientTokenFor } from "./client-token.js";
export { actionLabel, effectLine, hasChanges, isExecuted, planSummaryLine } from "./describe.js";
export { diffContent, diffTags, isReservedTagKey, tagChanges } from "./diff.js";
export { liveStateFingerprint } from "./fingerprint.js";
export {
  homeRegions,
  type ListedSummary,
  type LiveScope,
  type ScopeSettings,
  selectLiveScope,
  trustedFromRecords,
} from "./live-scope.js";
export { normalizeDistributions } from "./normalize.js";
export { desiredTags, plan } from "./plan.js";
export * from "./plan-model.js";
export {
  type ParsePlanJsonResult,
  type PlanJsonIssue,
  parsePlanJson,
  renderPlanJson,
} from "./render-json.js";
export {
  escapeMarkdownText,
  inlineCode,
  type MarkdownRenderOptions,
  type PlanSection,
  parsePlanCommentMarker,
  planCommentMarker,
  planHash,
  renderPlanMarkdown,
} from "./render-markdown.js";
export { renderPlanText, type TextRenderOptions } from "./render-text.js";
export { sha256Hex } from "./sha256.js";
export {
  type Grant,
  type GrantKind,
  type RegionRef,
  type SharedConfiguration,
  type SharingApprovalEvidence,
  type SharingFlag,
  type SharingGateResult,
  type SharingSummary,
  sharingApprovalWords,
  sharingChanged,
  sharingGate,
  sharingOf,
  widensLaunch,
} from "./sharing.js";
