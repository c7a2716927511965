/**
 * Alchemy (Cloud Control) → Waybill documents. Alchemy's `AWS.ImageBuilder.DistributionConfiguration`
 * records the resource's properties as Cloud Control takes them (CloudFormation's PascalCase
 * shape) in its state files (`.alchemy/<app>/<stage>/<id>.json`: `kind`, `status`, `props`,
 * `output`); the generic `CloudControlResource` records them under `props.desiredState`. A JSON or
 * YAML file mapping resource ids to their properties is read too.
 */

import { parseDistributionConfigurationArn } from "../arn.js";
import { type Diagnostic, hasErrors } from "../diagnostics.js";
import { parseConfigFile } from "../parse.js";
import type { Policy } from "../policy.js";
import { withRegion } from "./cloudformation.js";
import { type ImportResult, type ImportSource, importedConfiguration, importResult } from "./imported.js";
import { LocatedSource } from "./located-source.js";
import { documentFromPascalCase, isRecord } from "./pascal-case-document.js";

export const alchemyResourceKind = "AWS::ImageBuilder::DistributionConfiguration";

export interface AlchemyImportOptions {
  /** Home region when the state does not tell it (no ARN in the output, no `region` prop). */
  region?: string;
  /** Policy for validating the imported documents (the repository's). */
  policy?: Policy;
}

/** One resource found in a source: its id, properties, and where they are. */
interface AlchemyResource {
  id: string;
  props: Record<string, unknown>;
  propsAt: PropertyKey[];
  region?: string;
}

/**
 * Imports the distribution configurations of Alchemy state files or props files. State files of
 * other resource kinds are passed over without a word (a state directory holds every resource).
 */
export function importAlchemy(
  sources: readonly ImportSource[],
  options: AlchemyImportOptions = {},
): ImportResult {
  const diagnostics: Diagnostic[] = [];
  const configurations = [];
  let considered = 0;
  for (const file of sources) {
    const parsed = parseConfigFile(file);
    diagnostics.push(...parsed.diagnostics.filter((d) => d.code !== "empty-file"));
    if (!parsed.ok) continue;
    for (const document of parsed.documents) {
      const source = new LocatedSource(document);
      const { found, matched } = resourcesIn(document.value, source);
      considered += matched;
      for (const resource of found) {
        const converted = documentFromPascalCase(resource.props, file.path, (segments, prefer) =>
          source.locate([...resource.propsAt, ...segments], prefer),
        );
        diagnostics.push(...converted.diagnostics);
        if (hasErrors(converted.diagnostics)) continue;
        const region = resource.region ?? options.region;
        const at = source.locate(resource.propsAt);
        const imported = importedConfiguration({
          document: withRegion(converted.value, region),
          origin: `Imported from Alchemy: ${file.path}, resource ${resource.id}`,
          source: { ...at, file: file.path, id: resource.id },
          map: converted.map,
          validate: {
            ...(region === undefined ? {} : { defaultRegion: region }),
            ...(options.policy === undefined ? {} : { policy: options.policy }),
          },
        });
        configurations.push(imported.configuration);
        diagnostics.push(...imported.diagnostics);
      }
      diagnostics.push(...source.diagnostics);
    }
  }
  if (considered === 0 && sources.length > 0) {
    diagnostics.push({
      code: "no-configurations",
      severity: "warning",
      file: sources[0]?.path ?? "",
      line: 1,
      column: 1,
      path: "",
      message: `no ${alchemyResourceKind} in ${sources.length === 1 ? "this file" : `these ${sources.length} files`}`,
    });
  }
  return importResult(configurations, diagnostics);
}

/** The resources a source holds, and how many distribution configurations it names (deleted ones too). */
function resourcesIn(value: unknown, source: LocatedSource): { found: AlchemyResource[]; matched: number } {
  if (!isRecord(value)) {
    source.report(
      "import-source-invalid",
      [],
      "expected an Alchemy state file or a map of resource ids to properties",
    );
    return { found: [], matched: 0 };
  }
  if (isRecord(value.props) && (typeof value.kind === "string" || typeof value.provider === "string")) {
    return stateFileResource(value, source);
  }
  // A props file: { resourceId: { Name, Distributions, ... }, ... }.
  const out: AlchemyResource[] = [];
  for (const [id, props] of Object.entries(value)) {
    if (isRecord(props)) out.push({ id, props, propsAt: [id] });
    else source.report("import-source-invalid", [id], `${id}: expected the resource's properties (a map)`);
  }
  return { found: out, matched: out.length };
}

function stateFileResource(
  state: Record<string, unknown>,
  source: LocatedSource,
): { found: AlchemyResource[]; matched: number } {
  const kind = typeof state.kind === "string" ? state.kind : String(state.provider);
  const props = state.props as Record<string, unknown>;
  const id =
    typeof state.id === "string" ? state.id : typeof state.fqn === "string" ? state.fqn : source.file;
  const output = isRecord(state.output) ? state.output : {};
  let resource: AlchemyResource;
  if (kind === alchemyResourceKind) {
    resource = { id, props, propsAt: ["props"] };
  } else if (
    kind === "aws::CloudControlResource" &&
    props.typeName === alchemyResourceKind &&
    isRecord(props.desiredState)
  ) {
    resource = { id, props: props.desiredState, propsAt: ["props", "desiredState"] };
    if (typeof props.region === "string") resource.region = props.region;
  } else {
    return { found: [], matched: 0 };
  }
  if (state.status === "deleted" || state.status === "deleting") {
    source.report("resource-skipped", ["status"], `${id} is ${state.status} in Alchemy's state`, {
      severity: "warning",
    });
    return { found: [], matched: 1 };
  }
  // The output's id is the configuration's ARN, which names its home region.
  const arn = [output.id, output.Arn, output.arn].find((v): v is string => typeof v === "string");
  const parsed = arn === undefined ? undefined : parseDistributionConfigurationArn(arn);
  if (parsed?.ok) resource.region = parsed.arn.region;
  return { found: [resource], matched: 1 };
}
