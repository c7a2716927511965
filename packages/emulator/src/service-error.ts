// Errors as the service returns them: a type (the SDK's exception name), an HTTP status and a message.
import { errorStatus } from "./api-model.js";

/** An error answer of the emulated service. */
export interface ServiceError {
  /** The exception name, sent as `x-amzn-ErrorType` and `__type` (e.g. `ResourceNotFoundException`). */
  type: string;
  /** The HTTP status code the API model gives the type. */
  status: number;
  message: string;
}

/** Builds a service error whose status comes from the API model. */
export function serviceError(type: string, message: string): ServiceError {
  return { type, status: errorStatusFor(type), message };
}

// Types the model does not list but the service (or its front door) sends.
const statusOutsideModel: Record<string, number> = {
  SerializationException: 400,
  UnknownOperationException: 404,
  MissingAuthenticationTokenException: 403,
};

function errorStatusFor(type: string): number {
  return statusOutsideModel[type] ?? errorStatus(type);
}

/**
 * The service's own wording for a rejected parameter, as seen from the real service:
 * "The value supplied for parameter 'distributions[0]' is not valid. <reason>".
 */
export function invalidParameterValue(
  parameter: string,
  reason: string,
  type = "InvalidParameterValueException",
) {
  return serviceError(type, `The value supplied for parameter '${parameter}' is not valid. ${reason}`);
}

/** A resource of this account and region that does not exist (404). */
export function resourceNotFound(arn: string): ServiceError {
  return serviceError("ResourceNotFoundException", `The resource '${arn}' does not exist.`);
}

/**
 * The answer to a valid request with `dryRun: true`: DryRunOperationException (412), in the model's
 * words (user guide, "Validate Image Builder resource creation with a dry run").
 */
export function dryRunSucceeded(): ServiceError {
  return serviceError(
    "DryRunOperationException",
    "The dry run operation of the resource was successful, and no resources or mutations were actually performed due to the dry run flag in the request.",
  );
}
