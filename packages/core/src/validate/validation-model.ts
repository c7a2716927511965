/** What validation takes and returns. */

import type { AccountSets } from "../account-sets.js";
import type { Diagnostic } from "../diagnostics.js";
import type { ParseLimits, SourcePosition } from "../parse.js";
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
  /** Positions of the document's values by JSON path (account sets expanded), to locate later findings. */
  positions?: ReadonlyMap<string, SourcePosition>;
  /** The set (`set:<name>`) each account of its account lists came from, for those a set brought in. */
  accountSetOf?: Readonly<Record<string, string>>;
}

export interface ValidateOptions {
  /** Home region for documents that name none (and give no ARN). */
  defaultRegion?: string;
  /** Guardrails; `defaultPolicy` when absent. */
  policy?: Policy;
  limits?: Partial<ParseLimits>;
  /** The account sets `set:<name>` references may name (see account-sets.ts). */
  accountSets?: AccountSets;
}

export type ValidationResult =
  | { ok: true; documents: ValidatedDocument[]; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };
