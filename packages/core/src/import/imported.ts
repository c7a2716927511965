/**
 * What every importer returns: configurations as Waybill documents (and their YAML file text),
 * and diagnostics located in the source the other tool wrote. Validation of each imported
 * document is reported at the source too, through the map of where each of its values came from.
 */
import { stringify } from "yaml";
import { arnResourceName } from "../arn.js";
import { compareDiagnostics, type Diagnostic, formatJsonPath } from "../diagnostics.js";
import type { SourcePosition } from "../parse.js";
import type { DistributionConfigurationDocument } from "../schema.js";
import { type ValidateOptions, validateConfigFiles } from "../validate/validation.js";

/** A file another tool wrote (a template, `terraform show -json` output, a state file). */
export interface ImportSource {
  /** The path as diagnostics should name it. */
  path: string;
  text: string;
}

/** Where in the source a value was written: its position and JSON path there. */
export interface SourceLocation extends SourcePosition {
  path: string;
}

/** One configuration brought over from another tool. */
export interface ImportedConfiguration {
  /** The configuration's name. */
  name: string;
  /** Its home region, when the source tells it (else the run's default applies). */
  region?: string;
  /** A file name for it: the ARN's name with `.yaml` (`web-base.yaml`). */
  fileName: string;
  /** The Waybill document. */
  document: DistributionConfigurationDocument;
  /** The config file's text: a comment naming the source, then the document as YAML. */
  text: string;
  /** Where the other tool declared it (`Resources.WebDistribution` at its line). */
  source: SourceLocation & { file: string; id: string };
}

/**
 * The result of an import: the configurations that could be brought over, and every diagnostic
 * (errors first among equals by position). A configuration with an error that makes it
 * unwritable (an unresolved reference) is left out; one that only fails validation (an AMI name
 * the service refuses) is kept, so the file can be fixed where the diagnostic says.
 */
export interface ImportResult {
  configurations: ImportedConfiguration[];
  diagnostics: Diagnostic[];
}

/**
 * Map from JSON paths of an imported document to where the source wrote each value. Paths with
 * no entry fall back to their nearest recorded ancestor.
 */
export class SourceMap {
  readonly #locations = new Map<string, SourceLocation>();

  constructor(readonly file: string) {}

  set(documentPath: readonly PropertyKey[], location: SourceLocation): void {
    this.#locations.set(formatJsonPath(documentPath), location);
  }

  /** The source location of a document path given as text (`distributions[0].region`). */
  locate(documentPath: string): SourceLocation | undefined {
    let path = documentPath;
    for (;;) {
      const found = this.#locations.get(path);
      if (found !== undefined) return found;
      if (path === "") return undefined;
      path = parentPath(path);
    }
  }
}

function parentPath(path: string): string {
  const bracket = path.lastIndexOf("[");
  const dot = path.lastIndexOf(".");
  // A quoted key may contain dots or brackets; formatJsonPath quotes with JSON, so `["` marks it.
  const quoted = path.endsWith('"]') ? path.lastIndexOf('["') : -1;
  const cut = quoted >= 0 ? quoted : Math.max(bracket, dot);
  return cut <= 0 ? "" : path.slice(0, cut);
}

/** The YAML file text of an imported document, with a first comment saying where it came from. */
export function importedFileText(document: DistributionConfigurationDocument, origin: string): string {
  return `# ${origin}\n${stringify(document, { lineWidth: 0 })}`;
}

/**
 * Builds an imported configuration and validates its document as `waybill validate` would; each
 * validation diagnostic is reported at the source location the map gives, naming the source's
 * path, with the message and hint unchanged (so an AMI name without `{{imagebuilder:buildDate}}`
 * is reported where the other tool wrote it, with the fixed name as the hint).
 */
export function importedConfiguration(options: {
  document: DistributionConfigurationDocument;
  origin: string;
  source: ImportedConfiguration["source"];
  map: SourceMap;
  validate?: Pick<ValidateOptions, "defaultRegion" | "policy">;
}): { configuration: ImportedConfiguration; diagnostics: Diagnostic[] } {
  const { document, map } = options;
  const fileName = `${arnResourceName(document.name)}.yaml`;
  const text = importedFileText(document, options.origin);
  const validated = validateConfigFiles([{ path: fileName, text }], {
    // The home region is not the importer's to check: the run gives a default.
    defaultRegion: document.region ?? options.validate?.defaultRegion ?? "us-east-1",
    ...(options.validate?.policy === undefined ? {} : { policy: options.validate.policy }),
  });
  const diagnostics = validated.diagnostics.map((diagnostic): Diagnostic => {
    const location = map.locate(diagnostic.path) ?? options.source;
    return {
      ...diagnostic,
      file: map.file,
      line: location.line,
      column: location.column,
      path: location.path,
      message:
        diagnostic.path === "" ? diagnostic.message : `${diagnostic.message} (Waybill: ${diagnostic.path})`,
    };
  });
  if (document.region === undefined) {
    // Adopting needs the configuration's own region: a wrong default would plan a create instead.
    diagnostics.push({
      code: "region-unresolved",
      severity: "warning",
      file: map.file,
      line: options.source.line,
      column: options.source.column,
      path: options.source.path,
      message: `the source does not say which region ${document.name} lives in: the file names none, so the run's default region applies`,
      hint: "give the region it lives in (--region), and the file says it",
    });
  }
  return {
    configuration: {
      name: document.name,
      ...(document.region === undefined ? {} : { region: document.region }),
      fileName,
      document,
      text,
      source: options.source,
    },
    diagnostics,
  };
}

/** Sorts and returns a result. */
export function importResult(
  configurations: ImportedConfiguration[],
  diagnostics: Diagnostic[],
): ImportResult {
  return { configurations, diagnostics: [...diagnostics].sort(compareDiagnostics) };
}
