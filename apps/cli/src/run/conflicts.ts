// Conflicts make `plan` and `apply` fail: one line each, saying what to do about it.
import type { Change, Plan } from "@waybill/core";
import type { CliIo } from "../io.js";

/** One line per conflict of `plan`: which configuration, why, and what to do. */
export function conflictLines(plan: Plan): string[] {
  return plan.changes.flatMap((change) =>
    change.action === "conflict" ? [`waybill: conflict: ${describeConflict(change, plan.stack)}`] : [],
  );
}

/** Writes the conflict lines to stderr; true when there were any (the run then exits 1). */
export function reportConflicts(plan: Plan, io: CliIo): boolean {
  const lines = conflictLines(plan);
  for (const line of lines) io.stderr.write(`${line}\n`);
  return lines.length > 0;
}

function describeConflict(change: Extract<Change, { action: "conflict" }>, stack: string): string {
  const what = `${change.name} in ${change.region}`;
  switch (change.reason) {
    case "unmanaged":
      return `${what} exists and is not managed by Waybill; pass --adopt to take it over, or give it another name`;
    case "managed-by-other-stack":
      return `${what} is managed by stack '${change.owner ?? "?"}', not '${stack}'; leave it to that stack, or give it another name`;
    case "update-target-missing":
      return `${what}: ${change.source ?? "its file"} is an update request, but ${change.arn ?? "its configuration"} does not exist; remove distributionConfigurationArn to create it, or correct the ARN`;
    case "duplicate-desired":
      return `${what} is described more than once; ${change.source ?? "one file"} is ignored: keep one description`;
  }
}
