/** The plan as versioned JSON with sorted keys (stable across runs), and parsing it back. */
import { z } from "zod";
import type { Distribution } from "../schema.js";
import { canonicalJson, type JsonValue } from "./canonical-json.js";
import { CHANGE_ACTIONS, type ChangeAction, PLAN_VERSION, type Plan } from "./types.js";

/** `plan` as JSON: two-space indent, keys sorted, a trailing newline. `version` says the shape. */
export function renderPlanJson(plan: Plan): string {
  return `${canonicalJson(plan, 2)}\n`;
}

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValue),
    z.record(z.string(), jsonValue),
  ]),
);
const distribution = z.custom<Distribution>(
  (value) =>
    typeof value === "object" && value !== null && typeof (value as { region?: unknown }).region === "string",
  "a distribution (an object with a region)",
);
const stringMap = z.record(z.string(), z.string());
const fieldDiff = z.object({
  path: z.string(),
  kind: z.enum(["added", "removed", "changed", "set"]),
  before: jsonValue.optional(),
  after: jsonValue.optional(),
  added: z.array(z.string()).optional(),
  removed: z.array(z.string()).optional(),
});
const warning = z.object({
  code: z.enum([
    "replacement-breaks-pipelines",
    "region-removed",
    "delete-leaves-images",
    "unmanaged-configuration",
    "managed-by-other-stack",
    "update-target-missing",
    "duplicate-desired",
    "name-spelling-differs",
  ]),
  configuration: z.string(),
  region: z.string(),
  message: z.string(),
});
const document = z.object({
  name: z.string(),
  description: z.string().optional(),
  distributions: z.array(distribution),
  tags: stringMap,
});
const base = {
  name: z.string(),
  region: z.string(),
  accountId: z.string().optional(),
  arn: z.string().optional(),
  source: z.string().optional(),
  diffs: z.array(fieldDiff),
  tags: z.object({ add: stringMap, remove: z.array(z.string()) }),
  warnings: z.array(warning),
  amiNames: z.array(z.object({ region: z.string(), template: z.string(), preview: z.string() })),
};
const change = z.discriminatedUnion("action", [
  z.object({ ...base, action: z.literal("create"), document }),
  z.object({ ...base, action: z.literal("update"), arn: z.string(), document }),
  z.object({ ...base, action: z.literal("tag"), arn: z.string() }),
  z.object({
    ...base,
    action: z.literal("replace"),
    document,
    replaces: z.object({ arn: z.string(), name: z.string(), region: z.string() }),
  }),
  z.object({
    ...base,
    action: z.literal("delete"),
    arn: z.string(),
    executed: z.boolean(),
    replacedBy: z.object({ arn: z.string(), name: z.string(), region: z.string() }).optional(),
  }),
  z.object({ ...base, action: z.literal("adopt"), arn: z.string(), document, contentChanged: z.boolean() }),
  z.object({ ...base, action: z.literal("no-op"), arn: z.string() }),
  z.object({
    ...base,
    action: z.literal("conflict"),
    reason: z.enum(["unmanaged", "managed-by-other-stack", "update-target-missing", "duplicate-desired"]),
    owner: z.string().optional(),
  }),
]);

/** The zod schema of `renderPlanJson`'s output (version 1). */
export const planJsonSchema = z.object({
  version: z.literal(PLAN_VERSION),
  id: z.string().min(1),
  stack: z.string(),
  fingerprint: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  changes: z.array(change),
  summary: z.object(
    Object.fromEntries(CHANGE_ACTIONS.map((action) => [action, z.number().int().nonnegative()])) as Record<
      ChangeAction,
      z.ZodNumber
    >,
  ),
  warnings: z.array(warning),
});

export interface PlanJsonIssue {
  /** JSON path of the problem (`changes.3.action`), empty for the whole text. */
  path: string;
  message: string;
}

/** A saved plan read back, or why it cannot be. */
export type ParsePlanJsonResult = { success: true; plan: Plan } | { success: false; issues: PlanJsonIssue[] };

/** Reads a plan saved with `renderPlanJson` (for `apply --plan`); never throws for bad input. */
export function parsePlanJson(text: string): ParsePlanJsonResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { success: false, issues: [{ path: "", message: `not JSON: ${(error as Error).message}` }] };
  }
  if (typeof value === "object" && value !== null && "version" in value && value.version !== PLAN_VERSION) {
    return {
      success: false,
      issues: [
        {
          path: "version",
          message: `plan version ${JSON.stringify(value.version)} is not supported (this Waybill reads version ${PLAN_VERSION})`,
        },
      ],
    };
  }
  const parsed = planJsonSchema.safeParse(value);
  if (!parsed.success) {
    return {
      success: false,
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join("."),
        message: issue.message,
      })),
    };
  }
  return { success: true, plan: parsed.data as Plan };
}
