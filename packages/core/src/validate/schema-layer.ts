/**
 * The schema layer: a document checked against the API model's shapes (schema.ts), its zod
 * issues turned into located diagnostics with hints (did-you-mean keys, quoting, patterns).
 */
import type { z } from "zod";
import { type Diagnostic, type DiagnosticCode, formatJsonPath } from "../diagnostics.js";
import { apiMemberName } from "../pascal-case.js";
import { regionPattern } from "../regions.js";
import { apiPatterns, type ConfigFileDocument, configFileDocumentSchema } from "../schema.js";
import { suggestKey } from "../suggest.js";
import type { Locator } from "./locator.js";
import { regionDiagnostic } from "./region-rules.js";

/**
 * Members of DistributionConfiguration that Get returns but no request takes (a file copied from
 * `get-distribution-configuration` has them). `timeoutMinutes`: "A property that Image Builder
 * doesn't use. You can't set this property when you create or update a distribution
 * configuration" (the newest model).
 */
const readOnlyMembers = ["arn", "timeoutMinutes", "dateCreated", "dateUpdated"];

/** The document as the schema reads it, or its diagnostics. */
export function checkSchema(
  at: Locator,
): { ok: true; document: ConfigFileDocument } | { ok: false; diagnostics: Diagnostic[] } {
  const parsed = configFileDocumentSchema.safeParse(at.source.value);
  if (parsed.success) return { ok: true, document: parsed.data };
  return { ok: false, diagnostics: parsed.error.issues.flatMap((issue) => schemaDiagnostics(issue, [], at)) };
}

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

function valueAt(value: unknown, segments: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let current: unknown = value;
  for (const segment of segments) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, segment)) {
      return { found: false, value: undefined };
    }
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return { found: true, value: current };
}

/** The object schema at a path of the config file schema, to name it and list its keys. */
function schemaAt(segments: readonly PropertyKey[]): AnySchema | undefined {
  let schema: AnySchema | undefined = configFileDocumentSchema;
  for (const segment of segments) {
    schema = unwrap(schema);
    if (schema === undefined) return undefined;
    const def = schema._zod.def as {
      type: string;
      shape?: Record<string, AnySchema>;
      element?: AnySchema;
      valueType?: AnySchema;
    };
    if (def.type === "object" && typeof segment === "string") schema = def.shape?.[segment];
    else if (def.type === "array") schema = def.element;
    else if (def.type === "record") schema = def.valueType;
    else return undefined;
  }
  return unwrap(schema);
}

function unwrap(schema: AnySchema | undefined): AnySchema | undefined {
  let current = schema;
  while (current !== undefined && current._zod.def.type === "optional") {
    current = (current._zod.def as unknown as { innerType: AnySchema }).innerType;
  }
  return current;
}

function shapeName(segments: readonly PropertyKey[]): string {
  const schema = schemaAt(segments);
  const title = schema === undefined ? undefined : (schema as z.ZodType).meta?.()?.title;
  return typeof title === "string"
    ? title
    : segments.length === 0
      ? "the document"
      : formatJsonPath(segments);
}

function objectKeys(segments: readonly PropertyKey[]): string[] {
  const schema = schemaAt(segments);
  const def = schema?._zod.def as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === "object" && def.shape !== undefined ? Object.keys(def.shape) : [];
}

/** Longest quoted value: diagnostics may be public (annotations), and a value may be anything. */
const maxQuotedValue = 60;

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  const quoted = JSON.stringify(value) ?? String(value);
  return `${typeof value} ${quoted.length > maxQuotedValue ? `${quoted.slice(0, maxQuotedValue - 1)}…` : quoted}`;
}

function quoted(segments: readonly PropertyKey[]): string {
  // From the last key on: 'name', 'targetAccountIds[0]'.
  let from = segments.length - 1;
  while (from > 0 && typeof segments[from] === "number") from--;
  return segments.length === 0 ? "the document" : `'${formatJsonPath(segments.slice(from))}'`;
}

function schemaDiagnostics(issue: Issue, prefix: readonly PropertyKey[], at: Locator): Diagnostic[] {
  const segments = [...prefix, ...issue.path];
  const name = quoted(segments);
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => {
        const known = objectKeys(segments);
        // CloudFormation's and Cloud Control's PascalCase names first (LaunchPermissionConfiguration).
        const member = apiMemberName(key);
        const suggestion = member !== key && known.includes(member) ? member : suggestKey(key, known);
        const readOnly = segments.length === 0 && readOnlyMembers.includes(member);
        return at.diagnostic(
          "unknown-key",
          [...segments, key],
          `unknown key '${key}' in ${shapeName(segments)}`,
          {
            prefer: "key",
            hint: readOnly
              ? `'${member}' is read-only: the service sets it and Get returns it; remove it`
              : suggestion === undefined
                ? `known keys: ${known.join(", ")}`
                : `did you mean '${suggestion}'?`,
          },
        );
      });
    case "invalid_value":
    case "invalid_type": {
      const actual = valueAt(at.source.value, segments);
      if (!actual.found) {
        const expected = issue.code === "invalid_type" ? issue.expected : issue.values.join(" | ");
        const parent = segments.slice(0, -1);
        return [
          at.diagnostic("missing-key", parent, `${shapeName(parent)} needs ${name}`, {
            hint: `add ${String(segments.at(-1))}: <${expected}>`,
          }),
        ];
      }
      if (issue.code === "invalid_value") {
        const values = issue.values.map((v) => JSON.stringify(v)).join(", ");
        // The API's enums are case-sensitive: `vmdk` for `VMDK` gets the exact spelling.
        const sameLetters =
          typeof actual.value === "string"
            ? issue.values.find(
                (v) => typeof v === "string" && v.toLowerCase() === (actual.value as string).toLowerCase(),
              )
            : undefined;
        return [
          at.diagnostic(
            "invalid-enum",
            segments,
            `${name} must be one of ${values}`,
            sameLetters === undefined
              ? {}
              : { hint: `the values are case-sensitive: write ${String(sameLetters)}` },
          ),
        ];
      }
      if (issue.expected === "int") {
        return [
          at.diagnostic("not-integer", segments, `${name} must be a whole number, not ${actual.value}`),
        ];
      }
      const plain = at.source.plainScalars.get(formatJsonPath(segments));
      const hint = issue.expected === "string" && plain !== undefined ? `quote it: "${plain}"` : undefined;
      return [
        at.diagnostic(
          "invalid-type",
          segments,
          `${name} must be ${article(issue.expected)}, not ${describeValue(actual.value)}`,
          hint === undefined ? {} : { hint },
        ),
      ];
    }
    case "too_small":
    case "too_big": {
      const small = issue.code === "too_small";
      const limit = small
        ? (issue as { minimum: number | bigint }).minimum
        : (issue as { maximum: number | bigint }).maximum;
      const origin = issue.origin;
      if (origin === "string") {
        return [
          at.diagnostic(
            small ? "too-short" : "too-long",
            segments,
            `${name} must be ${small ? "at least" : "at most"} ${limit} characters`,
          ),
        ];
      }
      if (origin === "array" || origin === "set") {
        return [
          at.diagnostic(
            small ? "too-few" : "too-many",
            segments,
            `${name} must have ${small ? "at least" : "at most"} ${limit} ${Number(limit) === 1 ? "item" : "items"}`,
            small && Number(limit) === 1 ? { hint: "remove the key instead of leaving it empty" } : {},
          ),
        ];
      }
      return [
        at.diagnostic(
          small ? "too-small" : "too-large",
          segments,
          `${name} must be ${small ? "at least" : "at most"} ${limit}`,
        ),
      ];
    }
    case "invalid_format": {
      const pattern = ((issue as { pattern?: string }).pattern ?? "").replace(/^\/|\/[a-z]*$/g, "");
      const actual = valueAt(at.source.value, segments);
      if (pattern === regionPattern.source && typeof actual.value === "string") {
        // The home region: the regions layer's diagnostic, with the nearest known region.
        const region = regionDiagnostic(actual.value, segments, at);
        if (region !== undefined) return [region];
      }
      return [
        at.diagnostic(
          "pattern-mismatch",
          segments,
          `${name} must match pattern ${pattern}${actual.found ? `, got ${JSON.stringify(actual.value)}` : ""}`,
          patternHint(pattern),
        ),
      ];
    }
    case "invalid_key":
      return issue.issues.flatMap((inner) => {
        const key = segments.at(-1);
        return schemaDiagnostics(inner, segments, at).map((d) => ({
          ...d,
          ...at.position(segments, "key"),
          message: d.message.replace(/^'[^']*'|^the document/, `key '${String(key)}'`),
        }));
      });
    case "custom": {
      const params = (issue.params ?? {}) as { code?: string };
      const code: DiagnosticCode =
        params.code === "too-few" || params.code === "too-many" ? params.code : "invalid-value";
      return [at.diagnostic(code, segments, `${name} ${issue.message}`)];
    }
    default:
      return [at.diagnostic("invalid-value", segments, `${name}: ${issue.message}`)];
  }
}

function article(expected: string): string {
  const words: Record<string, string> = {
    string: "a string",
    number: "a number",
    boolean: "true or false",
    object: "a map",
    array: "a list",
    record: "a map",
  };
  return words[expected] ?? expected;
}

function patternHint(source: string): { hint?: string } {
  const hints: [RegExp, string][] = [
    [apiPatterns.AccountId, "an account ID is 12 digits, quoted in YAML"],
    [apiPatterns.ResourceName, "3–128 letters, digits, '-', '_' and inner spaces"],
    [
      apiPatterns.AmiNameString,
      "letters, digits, '-', '_', spaces, ':', '.', and {{imagebuilder:...}} variables; it must not start or end with a space",
    ],
    [
      apiPatterns.DistributionConfigurationArn,
      "arn:aws:imagebuilder:<region>:<account>:distribution-configuration/<lowercase name, spaces as hyphens>",
    ],
    [apiPatterns.LaunchTemplateId, "a launch template ID is lt- followed by 17 characters"],
    [apiPatterns.TagKey, "tag keys must not start with 'aws:'"],
  ];
  const found = hints.find(([regex]) => regex.source === source);
  return found === undefined ? {} : { hint: found[1] };
}
