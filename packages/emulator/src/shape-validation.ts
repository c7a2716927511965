// Checks a request value against an API model shape and keeps only the members the model knows.
import { type Shape, shapeNamed } from "./api-model.js";
import { invalidParameterValue, type ServiceError, serviceError } from "./service-error.js";

export type ShapeValidation = { ok: true; value: unknown } | { ok: false; error: ServiceError };

type Checked = { ok: true; value: unknown } | { ok: false; error: ServiceError };

const compiledPatterns = new Map<string, RegExp>();

function compiled(pattern: string): RegExp {
  let regex = compiledPatterns.get(pattern);
  if (regex === undefined) {
    // The model's patterns are Java regular expressions with search semantics (most carry ^...$).
    regex = new RegExp(pattern);
    compiledPatterns.set(pattern, regex);
  }
  return regex;
}

/**
 * Validates `value` against the model shape `shapeName` the way the service does: types, required
 * members, patterns, lengths, list and map sizes, enums and integer ranges. Reports the first
 * violation, in member order, as the service's error; members the model does not know are dropped
 * (the service ignores them). `null` counts as absent, as in the JSON protocols.
 *
 * @param constraintErrorType the error type for constraint violations (`InvalidParameterValueException`
 *   for distribution configuration operations, `InvalidParameterException` for tagging operations).
 */
export function validateShape(
  shapeName: string,
  value: unknown,
  constraintErrorType = "InvalidParameterValueException",
): ShapeValidation {
  return check(shapeName, value, "", constraintErrorType);
}

function describe(path: string): string {
  return path === "" ? "request" : path;
}

function typeError(path: string, expected: string): Checked {
  return {
    ok: false,
    error: serviceError(
      "SerializationException",
      `Unable to read '${describe(path)}': expected ${expected}.`,
    ),
  };
}

function constraint(path: string, reason: string, errorType: string): Checked {
  const name = describe(path);
  return { ok: false, error: invalidParameterValue(name, `'${name}' ${reason}`, errorType) };
}

function check(shapeName: string, value: unknown, path: string, errorType: string): Checked {
  const shape = shapeNamed(shapeName);
  switch (shape.type) {
    case "structure":
      return checkStructure(shape, value, path, errorType);
    case "list":
      return checkList(shape, value, path, errorType);
    case "map":
      return checkMap(shape, value, path, errorType);
    case "string":
      return checkString(shape, value, path, errorType);
    case "integer":
    case "long":
      return checkInteger(shape, value, path, errorType);
    case "boolean":
      return typeof value === "boolean" ? { ok: true, value } : typeError(path, "a boolean");
    case "timestamp":
      return typeof value === "string" || typeof value === "number"
        ? { ok: true, value }
        : typeError(path, "a timestamp");
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function memberPath(path: string, member: string): string {
  return path === "" ? member : `${path}.${member}`;
}

function checkStructure(shape: Shape, value: unknown, path: string, errorType: string): Checked {
  if (!isPlainObject(value)) return typeError(path, "an object");
  const required = new Set(shape.required ?? []);
  const kept: Record<string, unknown> = {};
  for (const [member, reference] of Object.entries(shape.members ?? {})) {
    const memberValue = value[member];
    const here = memberPath(path, member);
    if (memberValue === undefined || memberValue === null) {
      if (required.has(member)) return constraint(here, "is required.", errorType);
      continue;
    }
    const result = check(reference.shape, memberValue, here, errorType);
    if (!result.ok) return result;
    kept[member] = result.value;
  }
  return { ok: true, value: kept };
}

function sizeViolation(shape: Shape, size: number, unit: string): string | undefined {
  if (shape.min !== undefined && size < shape.min) return `must contain at least ${shape.min} ${unit}.`;
  if (shape.max !== undefined && size > shape.max) return `must contain at most ${shape.max} ${unit}.`;
  return undefined;
}

function checkList(shape: Shape, value: unknown, path: string, errorType: string): Checked {
  if (!Array.isArray(value)) return typeError(path, "a list");
  const size = sizeViolation(shape, value.length, "items");
  if (size !== undefined) return constraint(path, size, errorType);
  const kept: unknown[] = [];
  for (const [index, item] of value.entries()) {
    const here = `${path}[${index}]`;
    if (item === null || item === undefined) return typeError(here, "a value, not null");
    const result = check(shape.member?.shape ?? "", item, here, errorType);
    if (!result.ok) return result;
    kept.push(result.value);
  }
  return { ok: true, value: kept };
}

function checkMap(shape: Shape, value: unknown, path: string, errorType: string): Checked {
  if (!isPlainObject(value)) return typeError(path, "a map");
  const entries = Object.entries(value).filter(([, entry]) => entry !== null && entry !== undefined);
  const size = sizeViolation(shape, entries.length, "entries");
  if (size !== undefined) return constraint(path, size, errorType);
  const kept: Record<string, unknown> = {};
  for (const [key, entry] of entries) {
    const keyResult = check(shape.key?.shape ?? "", key, `${path} key '${key}'`, errorType);
    if (!keyResult.ok) return keyResult;
    const result = check(shape.value?.shape ?? "", entry, `${path}.${key}`, errorType);
    if (!result.ok) return result;
    kept[key] = result.value;
  }
  return { ok: true, value: kept };
}

function checkString(shape: Shape, value: unknown, path: string, errorType: string): Checked {
  if (typeof value !== "string") return typeError(path, "a string");
  // Lengths count characters (code points), as the service does.
  const length = [...value].length;
  if (shape.min !== undefined && length < shape.min) {
    return constraint(path, `must be at least ${shape.min} characters long.`, errorType);
  }
  if (shape.max !== undefined && length > shape.max) {
    return constraint(path, `must be at most ${shape.max} characters long.`, errorType);
  }
  if (shape.enum !== undefined && !shape.enum.includes(value)) {
    return constraint(path, `must be one of: ${shape.enum.join(", ")}.`, errorType);
  }
  if (shape.pattern !== undefined && !compiled(shape.pattern).test(value)) {
    return constraint(path, `must match pattern ${shape.pattern}`, errorType);
  }
  return { ok: true, value };
}

// The model's "integer" is 32-bit; a value outside cannot be read, like a fraction.
const int32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

function checkInteger(shape: Shape, value: unknown, path: string, errorType: string): Checked {
  if (typeof value !== "number" || !Number.isInteger(value)) return typeError(path, "an integer");
  if (shape.type === "integer" && (value < int32.min || value > int32.max)) {
    return typeError(path, "a 32-bit integer");
  }
  if (shape.min !== undefined && value < shape.min) {
    return constraint(path, `must be greater than or equal to ${shape.min}.`, errorType);
  }
  if (shape.max !== undefined && value > shape.max) {
    return constraint(path, `must be less than or equal to ${shape.max}.`, errorType);
  }
  return { ok: true, value };
}
