/** What validation takes and returns. */
import type { Diagnostic } from "../diagnostics.js";
import type { ParseLimits } from "../parse.js";
import type { Policy } from "../policy.js";
import type { DistributionConfigurationDocument } from "../schema.js";

/** A document that passed validation, with where it came from and its resolved home region. */
export interface ValidatedDocument {
  document: DistributionConfigurationDocument;
  /** `update` when the file names the configuration by `distributionConfigurationArn`: it can
   * update that configuration but not create it. */
  kind: "create" | "update";
  /** The ARN the file gave (update requests only). */
  distributionConfigurationArn?: string;
  file: string;
  index: number;
  line: number;
  column: number;
  /** The home region: the document's, else the ARN's, else the default. */
  region: string;
}

export interface ValidateOptions {
  /** Home region for documents that name none (and give no ARN). */
  defaultRegion?: string;
  /** Guardrails; `defaultPolicy` when absent. */
  policy?: Policy;
  limits?: Partial<ParseLimits>;
}

export type ValidationResult =
  | { ok: true; documents: ValidatedDocument[]; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };
