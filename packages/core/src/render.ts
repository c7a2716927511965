/**
 * @waybill/core/render: plans, preflight reports, image status and rollouts as terminal text,
 * GitHub markdown, HTML and versioned JSON. Pure: each takes data and returns a string.
 */

export { renderStatusHtml, renderStatusText, statusSummaryLine } from "./images/render-status.js";
export { rolloutLines } from "./images/rollout.js";
export { formatTargets } from "./images/schedule.js";
export { planSummaryLine } from "./plan/describe.js";
export {
  type ParsePlanJsonResult,
  type PlanJsonIssue,
  parsePlanJson,
  renderPlanJson,
} from "./plan/render-json.js";
export {
  escapeMarkdownText,
  inlineCode,
  type MarkdownRenderOptions,
  type PlanSection,
  parsePlanCommentMarker,
  planCommentMarker,
  renderPlanMarkdown,
} from "./plan/render-markdown.js";
export { renderPlanText, type TextRenderOptions } from "./plan/render-text.js";
export { preflightSummary, renderPreflightMarkdown, renderPreflightText } from "./preflight/render.js";
