/** Diagnostics: what validation reports, as data, and its one-line text form. */

/** An `error` fails validation (and the run); a `warning` is reported and lets it go on. */
export type Severity = "error" | "warning";

/**
 * One finding about a config file. `line` and `column` are 1-based; `path` is a JSON path into
 * the document (`distributions[1].amiDistributionConfiguration.name`, empty for the document or
 * file itself).
 *
 * The one diagnostic type of Waybill: `Code` narrows it where the codes are known (validation's
 * {@link DiagnosticCode}, preflight's codes); by default any code is accepted, so the engine's
 * settings and discovery problems are diagnostics too, printed by the same {@link formatDiagnostic}.
 */
export interface Diagnostic<Code extends string = DiagnosticCode | (string & {})> {
  code: Code;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
  hint?: string;
}

/** Every diagnostic code, by layer. docs/validation.md describes each. */
export const diagnosticCodes = {
  syntax: [
    "yaml-syntax",
    "duplicate-key",
    "file-too-large",
    "invalid-utf8",
    "too-deep",
    "too-many-aliases",
    "forbidden-key",
    "non-scalar-key",
    "empty-file",
    "yaml-warning",
  ],
  schema: [
    "unknown-key",
    "missing-key",
    "invalid-type",
    "pattern-mismatch",
    "too-short",
    "too-long",
    "too-few",
    "too-many",
    "too-small",
    "too-large",
    "not-integer",
    "invalid-enum",
    "invalid-value",
  ],
  accountSets: ["account-set-unknown"],
  identity: ["name-or-arn-required", "arn-name-mismatch", "arn-region-mismatch", "region-unresolved"],
  service: [
    "invalid-region",
    "unknown-region",
    "cross-partition-region",
    "distribution-without-output",
    "no-distributions",
    "duplicate-region",
    "ami-name-missing-build-date",
    "unknown-template-variable",
    "malformed-template",
    "rendered-ami-name-invalid",
    "rendered-ami-name-too-long",
    "ssm-account-not-target",
    "fast-launch-template-id-and-name",
    "fast-launch-template-unnamed",
    "fast-launch-parallel-launches",
    "arn-collision",
  ],
  policy: [
    "public-launch-permission",
    "account-not-allowed",
    "organization-not-allowed",
    "organizational-unit-not-allowed",
  ],
  /** Image pipelines (a plan's consequences for them): located at the setting or file that asks for the change. */
  images: ["configuration-in-use"],
  /** Importers (CloudFormation, Terraform, Alchemy): located in the other tool's file. */
  import: [
    "import-source-invalid",
    "no-configurations",
    "unresolved-reference",
    "unsupported-intrinsic",
    "resource-skipped",
    "deletion-not-retained",
  ],
} as const;

export type DiagnosticCode = (typeof diagnosticCodes)[keyof typeof diagnosticCodes][number];

/** `file:line:col: severity code: message`, then the hint on an indented line when there is one. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const where = diagnostic.path === "" ? "" : ` (at ${diagnostic.path})`;
  const head = `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}: ${diagnostic.severity} ${diagnostic.code}: ${diagnostic.message}${where}`;
  return diagnostic.hint === undefined ? head : `${head}\n  hint: ${diagnostic.hint}`;
}

/** Orders diagnostics by file, then position, then code, so reports are stable. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** A JSON path from segments: `distributions[0].amiDistributionConfiguration.amiTags["Key Name"]`. */
export function formatJsonPath(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else {
      const key = String(segment);
      if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) out += out === "" ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}
