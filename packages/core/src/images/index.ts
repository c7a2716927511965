/** Images: pipelines that use a configuration, their latest images, coverage and rollout. */
export {
  blockedDeleteDiagnostics,
  type ChangeOfConfiguration,
  configurationsShowingImages,
  imageLines,
  imageSections,
  type PruneLocation,
  planImages,
} from "./consequences.js";
export {
  type CoveredConfiguration,
  configurationTargets,
  imageCoverage,
  imageStatus,
  pipelinesUsing,
  statusCounts,
  targetKey,
} from "./coverage.js";
export type {
  AmiFact,
  CoverageState,
  ImageFact,
  ImageFacts,
  ImageRef,
  ImageStatus,
  PipelineFact,
  PlanImageConfiguration,
  PlanImages,
  PlanPipeline,
  Target,
  TargetCoverage,
} from "./image-model.js";
export { isRolloutConfiguration, ROLLOUT_OF_TAG } from "./image-model.js";
export { renderStatusHtml, renderStatusText, statusSummaryLine } from "./render-status.js";
export {
  type RolloutItem,
  type RolloutPlan,
  rolloutLines,
  rolloutPlan,
} from "./rollout.js";
export { formatRunDate, formatTargets, gapLine, nextBuildLine, scheduleWord } from "./schedule.js";
