/** @waybill/aws: the adapter to EC2 Image Builder. The only package that calls the AWS SDK. */
export {
  type AwsAccess,
  type AwsAccessOptions,
  createAwsAccess,
  silenceNodeVersionWarning,
} from "./access.js";
export { type ApplyOptions, type ApplyResult, applyPlan } from "./apply.js";
export type { StaticCredentials } from "./credentials.js";
export {
  type CallCounts,
  GatewayError,
  type GatewayOperation,
  type GatewayOptions,
  type ImageBuilderGateway,
} from "./gateway.js";
export {
  type ImageFactsResult,
  type ImageReadDenied,
  type ReadImageFactsOptions,
  readImageFacts,
} from "./images.js";
export { type ImportedConfiguration, importConfigurations } from "./import.js";
export {
  type LiveStateProgress,
  type ReadLiveStateOptions,
  type RegionListing,
  readLiveState,
  startListing,
} from "./live-state.js";
export type {
  OrganizationalUnitResult,
  PreflightGatherer,
  PreflightGathererOptions,
} from "./preflight/gather.js";
export { proxyConfigured, proxyFor } from "./proxy.js";
export type { RateLimiterOptions } from "./rate-limiter.js";
export {
  cleanUpRolloutConfigurations,
  type RolloutOptions,
  type RolloutProgress,
  type RolloutResult,
  runRollout,
} from "./rollout.js";
