/**
 * Validation of config files, in layers: syntax (parse.ts), schema (the API model;
 * validate/schema-layer.ts), identity (name or ARN, home region; validate/identity.ts), regions
 * (validate/region-rules.ts), service rules the API only enforces at apply time (validate/service-rules.ts), policy
 * (validate/policy-rules.ts), and checks across files (validate/cross-file.ts).
 */
import { expandAccountSetReferences } from "../account-sets.js";
import { compareDiagnostics, type Diagnostic, hasErrors } from "../diagnostics.js";
import { type ConfigFile, type ParsedDocument, parseConfigFile } from "../parse.js";
import { defaultPolicy } from "../policy.js";
import { arnCollisions } from "./cross-file.js";
import { resolveIdentity } from "./identity.js";
import { Locator } from "./locator.js";
import { policyDiagnostics } from "./policy-rules.js";
import { regionDiagnostics } from "./region-rules.js";
import { checkSchema } from "./schema-layer.js";
import { serviceRuleDiagnostics } from "./service-rules.js";
import type { ValidatedDocument, ValidateOptions, ValidationResult } from "./validation-model.js";

export type { ValidatedDocument, ValidateOptions, ValidationResult } from "./validation-model.js";

/**
 * Validates config files. The result is `ok` when no diagnostic is an error; warnings come with
 * the documents either way. Bad input never throws. Names that map to the same ARN are checked
 * across all the files given.
 */
export function validateConfigFiles(
  files: readonly ConfigFile[],
  options: ValidateOptions = {},
): ValidationResult {
  const validation = new ConfigValidation(options);
  for (const file of files) validation.add(file);
  return validation.finish();
}

/**
 * One validation fed a file at a time, for a caller that does other work between files (the
 * engine starts listing a home region as soon as a document of it passes). `finish` gives the
 * same result `validateConfigFiles` gives for the same files in the same order.
 */
export class ConfigValidation {
  readonly #options: ValidateOptions;
  readonly #diagnostics: Diagnostic[] = [];
  readonly #documents: { validated: ValidatedDocument; source: ParsedDocument }[] = [];

  constructor(options: ValidateOptions = {}) {
    this.#options = options;
  }

  /** Validates one file on its own; returns its documents that passed so far (checks across files come in `finish`). */
  add(file: ConfigFile): ValidatedDocument[] {
    const options = this.#options;
    const passed: ValidatedDocument[] = [];
    const parsed = parseConfigFile(file, options.limits);
    this.#diagnostics.push(...parsed.diagnostics);
    if (!parsed.ok) return passed;
    for (const parsedDocument of parsed.documents) {
      // Account sets first: the schema sees account ids, never `set:<name>`.
      const expanded = expandAccountSetReferences(parsedDocument, options.accountSets ?? new Map());
      this.#diagnostics.push(...expanded.diagnostics);
      if (expanded.diagnostics.length > 0) continue;
      const source = expanded.document;
      const result = validateDocument(source, options);
      this.#diagnostics.push(...result.diagnostics);
      if (result.validated !== undefined) {
        const fromSets = expanded.accountSetOf === undefined ? {} : { accountSetOf: expanded.accountSetOf };
        const validated = { ...result.validated, positions: source.valuePositions, ...fromSets };
        this.#documents.push({ validated, source });
        passed.push(validated);
      }
    }
    return passed;
  }

  /** The result over every file added. */
  finish(): ValidationResult {
    const diagnostics = [...this.#diagnostics, ...arnCollisions(this.#documents)];
    diagnostics.sort(compareDiagnostics);
    if (hasErrors(diagnostics)) return { ok: false, diagnostics };
    return { ok: true, documents: this.#documents.map((d) => d.validated), diagnostics };
  }
}

function validateDocument(
  source: ParsedDocument,
  options: ValidateOptions,
): { validated?: ValidatedDocument; diagnostics: Diagnostic[] } {
  const at = new Locator(source);
  const schema = checkSchema(at);
  if (!schema.ok) return { diagnostics: schema.diagnostics };
  const identity = resolveIdentity(schema.document, at, options.defaultRegion);
  if (identity.validated === undefined) return { diagnostics: identity.diagnostics };
  const diagnostics = [
    ...identity.diagnostics,
    ...regionDiagnostics(identity.validated, at),
    ...serviceRuleDiagnostics(identity.validated.document, at),
    ...policyDiagnostics(identity.validated.document, options.policy ?? defaultPolicy, at),
  ];
  return { validated: identity.validated, diagnostics };
}
