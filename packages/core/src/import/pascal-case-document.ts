/**
 * CloudFormation / Cloud Control properties (PascalCase) → a Waybill document (the API's
 * camelCase), walked along the document schema so tag keys stay data and scalars are coerced the
 * way CloudFormation coerces them (`"6"` for an integer, `"true"` for a boolean, a number for a
 * string). Names map through `apiMemberName`, the one mapping core keeps.
 */
import type { z } from "zod";
import type { Diagnostic, DiagnosticCode } from "../diagnostics.js";
import { apiMemberName, cloudFormationRenames } from "../pascal-case.js";
import { distributionConfigurationDocumentSchema } from "../schema.js";
import { suggestKey } from "../suggest.js";
import { type SourceLocation, SourceMap } from "./imported.js";

type AnySchema = z.core.$ZodType;
interface SchemaDef {
  type: string;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  valueType?: AnySchema;
  innerType?: AnySchema;
}

/** Where a value of the properties (by its path below them) was written in the source. */
export type LocateProperty = (segments: readonly PropertyKey[], prefer?: "key" | "value") => SourceLocation;

export interface PascalCaseConversion {
  /** The document as the API spells it; not yet validated. */
  value: Record<string, unknown>;
  map: SourceMap;
  diagnostics: Diagnostic[];
}

/**
 * Converts resource properties (`Name`, `Distributions`, `Tags`, ...) into a document. Unknown
 * property names are `unknown-key` errors at their source location, with a suggestion; values of
 * the wrong shape are left for validation, which reports them at the same place.
 */
export function documentFromPascalCase(
  properties: Record<string, unknown>,
  file: string,
  locate: LocateProperty,
): PascalCaseConversion {
  const map = new SourceMap(file);
  const diagnostics: Diagnostic[] = [];
  const report = (
    code: DiagnosticCode,
    segments: readonly PropertyKey[],
    message: string,
    hint?: string,
    severity: "error" | "warning" = "error",
  ) => {
    const at = locate(segments, "key");
    diagnostics.push({
      code,
      severity,
      file,
      line: at.line,
      column: at.column,
      path: at.path,
      message,
      ...(hint === undefined ? {} : { hint }),
    });
  };

  const convert = (
    value: unknown,
    schema: AnySchema | undefined,
    from: PropertyKey[],
    to: PropertyKey[],
  ): unknown => {
    map.set(to, locate(from));
    const def = unwrap(schema)?._zod.def as SchemaDef | undefined;
    if (def === undefined) return value;
    if (def.type === "object" && isRecord(value)) {
      const shape = def.shape ?? {};
      const out: Record<string, unknown> = {};
      for (const [key, member] of Object.entries(value)) {
        const name = apiMemberName(key);
        // The home region is Waybill's own member: the resource has none (the stack's region is).
        const notProperty = (member: string) => from.length === 0 && member === "region";
        if (!Object.hasOwn(shape, name) || notProperty(name)) {
          const known = Object.keys(shape)
            .filter((k) => !notProperty(k))
            .map(propertyName);
          // Compare in both spellings: `LaunchPermissions` is one letter from the API's `launchPermission`.
          const apiSuggestion = suggestKey(
            name,
            Object.keys(shape).filter((k) => !notProperty(k)),
          );
          const suggestion =
            suggestKey(key, known) ?? (apiSuggestion === undefined ? undefined : propertyName(apiSuggestion));
          report(
            "unknown-key",
            [...from, key],
            `unknown property '${key}'`,
            suggestion === undefined ? `known here: ${known.join(", ")}` : `did you mean '${suggestion}'?`,
          );
          continue;
        }
        if (key !== propertyName(name)) {
          // Read all the same (the meaning is plain), but the resource's schema would refuse it.
          report(
            "unknown-key",
            [...from, key],
            `'${key}' is not the resource's property name: CloudFormation and Cloud Control refuse it (read as '${name}')`,
            `write '${propertyName(name)}' in the other tool's file too`,
            "warning",
          );
        }
        out[name] = convert(member, shape[name], [...from, key], [...to, name]);
      }
      return out;
    }
    if (def.type === "array" && Array.isArray(value)) {
      return value.map((item, index) => convert(item, def.element, [...from, index], [...to, index]));
    }
    if (def.type === "record" && isRecord(value)) {
      // Tag maps: keys are data. Values are strings; CloudFormation writes numbers as strings.
      const out: Record<string, unknown> = {};
      for (const [key, member] of Object.entries(value)) {
        map.set([...to, key], locate([...from, key]));
        out[key] = typeof member === "number" || typeof member === "boolean" ? String(member) : member;
      }
      return out;
    }
    return coerceScalar(value, def.type);
  };

  const value = convert(properties, distributionConfigurationDocumentSchema, [], []);
  return { value: isRecord(value) ? value : {}, map, diagnostics };
}

/** The CloudFormation property name of an API member (`launchPermission` → `LaunchPermissionConfiguration`). */
function propertyName(member: string): string {
  const renamed = Object.entries(cloudFormationRenames).find(([, api]) => api === member);
  return renamed?.[0] ?? member.charAt(0).toUpperCase() + member.slice(1);
}

/** CloudFormation passes scalars as strings and converts them to the property's type. */
function coerceScalar(value: unknown, type: string): unknown {
  if (type === "string" || type === "enum") {
    return typeof value === "number" || typeof value === "boolean" ? String(value) : value;
  }
  if (type === "number" && typeof value === "string" && /^-?[0-9]+(\.[0-9]+)?$/.test(value.trim())) {
    return Number(value);
  }
  if (type === "boolean" && typeof value === "string") {
    const lower = value.trim().toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
  }
  return value;
}

function unwrap(schema: AnySchema | undefined): AnySchema | undefined {
  let current = schema;
  for (let i = 0; current !== undefined && i < 8; i++) {
    const def = current._zod.def as SchemaDef;
    if ((def.type === "optional" || def.type === "nullable" || def.type === "default") && def.innerType)
      current = def.innerType;
    else return current;
  }
  return current;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
