// What an SDK error of IAM, KMS, EC2, S3, STS or Organizations means to preflight.
import { isThrottlingError } from "../gateway.js";

/** Error types by which these services say "you may not". */
const deniedTypes = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "UnauthorizedException",
  "AuthorizationError",
  "AWSOrganizationsNotInUseException",
]);

/** Error types by which they say "there is no such thing". */
const missingTypes = new Set([
  "NoSuchEntity",
  "NoSuchEntityException",
  "NotFoundException",
  "NotFound",
  "NoSuchBucket",
  "InvalidLaunchTemplateId.NotFound",
  "InvalidLaunchTemplateId.Malformed",
  "InvalidLaunchTemplateName.NotFoundException",
  "ParentNotFoundException",
]);

export type ErrorMeaning = "denied" | "missing" | "throttled" | "timeout" | "other";

export function errorType(error: unknown): string {
  const fields = (typeof error === "object" && error !== null ? error : {}) as {
    name?: unknown;
    Code?: unknown;
  };
  return typeof fields.Code === "string"
    ? fields.Code
    : typeof fields.name === "string"
      ? fields.name
      : "Error";
}

export function errorMeaning(error: unknown): ErrorMeaning {
  const type = errorType(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  if (type === "TimeoutError" || type === "AbortError") return "timeout";
  if (isThrottlingError(error)) return "throttled";
  if (deniedTypes.has(type) || status === 403) return "denied";
  if (missingTypes.has(type) || status === 404) return "missing";
  return "other";
}

export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim() === "" || message === "UnknownError" ? errorType(error) : message;
}
