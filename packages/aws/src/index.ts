/** @waybill/aws: the adapter to EC2 Image Builder. The only package that calls the AWS SDK. */
export {
  type AwsAccess,
  type AwsAccessOptions,
  createAwsAccess,
  type StaticCredentials,
  silenceNodeVersionWarning,
  sumCallCounts,
} from "./access.js";
export { type ApplyOptions, type ApplyResult, applyPlan, clientTokenFor } from "./apply.js";
export { mapWithConcurrency } from "./concurrency.js";
export {
  accountFromArn,
  type CallCounts,
  GatewayError,
  type GatewayOperation,
  type GatewayOptions,
  ImageBuilderGateway,
  isThrottlingError,
} from "./gateway.js";
export { configFileText, type ImportedConfiguration, importConfigurations } from "./import.js";
export {
  type LiveStateProgress,
  type ReadLiveStateOptions,
  readLiveState,
  toLiveConfiguration,
} from "./live-state.js";
export { RateLimiter, type RateLimiterClock, type RateLimiterOptions } from "./rate-limiter.js";
