/** @waybill/core: the pure domain model of Waybill. No I/O, no AWS SDK. */
export * from "./arn.js";
export * from "./diagnostics.js";
export * from "./json-schema.js";
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
export * from "./schema.js";
export * from "./suggest.js";
export * from "./templates.js";
export * from "./validate.js";
