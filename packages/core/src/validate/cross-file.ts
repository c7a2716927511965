/** Checks across every document of a run: two documents must not name the same ARN. */
import { arnResourceName } from "../arn.js";
import type { Diagnostic } from "../diagnostics.js";
import type { ParsedDocument } from "../parse.js";
import { Locator } from "./locator.js";
import type { ValidatedDocument } from "./validation-model.js";

/** `arn-collision` at every document whose home region and ARN name an earlier one already has. */
export function arnCollisions(
  documents: readonly { validated: ValidatedDocument; source: ParsedDocument }[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, ValidatedDocument>();
  for (const { validated, source } of documents) {
    const key = `${validated.region}\u0000${arnResourceName(validated.document.name)}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, validated);
      continue;
    }
    const at = new Locator(source);
    out.push(
      at.diagnostic(
        "arn-collision",
        validated.kind === "update" ? ["distributionConfigurationArn"] : ["name"],
        `configuration '${validated.document.name}' in ${validated.region} has the same ARN as '${first.document.name}' (${first.file}:${first.line}:${first.column})`,
        { hint: "ARNs use the name lowercased with spaces as hyphens; rename one of them" },
      ),
    );
  }
  return out;
}
