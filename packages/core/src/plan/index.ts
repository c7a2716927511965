/** The plan engine: normalise, diff, plan, fingerprint and render. */
export {
  appliedRecord,
  type ConfigurationSummary,
  contentDigest,
  type ServiceStamps,
  trustedLiveConfiguration,
} from "./applied-record.js";
export { canonicalJson, type JsonValue } from "./canonical-json.js";
export { hasChanges, isExecuted } from "./describe.js";
export { liveStateFingerprint } from "./fingerprint.js";
export { normalizeDistributions } from "./normalize.js";
export { desiredTags, plan } from "./plan.js";
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
  parsePlanCommentMarker,
  planCommentMarker,
  planHash,
  renderPlanMarkdown,
} from "./render-markdown.js";
export { renderPlanText, type TextRenderOptions } from "./render-text.js";
export { sha256Hex } from "./sha256.js";
export * from "./types.js";
