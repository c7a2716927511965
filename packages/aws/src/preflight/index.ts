/**
 * @waybill/aws/preflight: the facts preflight reads with IAM, KMS, EC2, S3, STS and Organizations.
 * A separate entry point, so that runs without preflight never load those clients (the engine
 * imports it dynamically).
 */
export { preflightEndpoint, preflightServices } from "./clients.js";
export {
  type OrganizationalUnitResult,
  PreflightGatherer,
  type PreflightGathererOptions,
} from "./gather.js";
