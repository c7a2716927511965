/** The plan as versioned JSON with sorted keys (stable across runs), and parsing it back with its schema (plan-model.ts). */
import { canonicalJson } from "./canonical-json.js";
import { PLAN_VERSION, type Plan, planJsonSchema } from "./plan-model.js";

/** `plan` as JSON: two-space indent, keys sorted, a trailing newline. `version` says the shape. */
export function renderPlanJson(plan: Plan): string {
  return `${canonicalJson(plan, 2)}\n`;
}

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
  return { success: true, plan: parsed.data };
}
