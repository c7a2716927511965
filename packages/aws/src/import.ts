// Import: existing configurations written out as Waybill config files (YAML), one per configuration.
import { arnResourceName, type LiveConfiguration, normalizeDistributions } from "@waybill/core";
import { stringify } from "yaml";
import type { ImageBuilderGateway } from "./gateway.js";
import { readLiveState } from "./live-state.js";

/** One configuration as a config file. */
export interface ImportedConfiguration {
  name: string;
  region: string;
  arn: string;
  /** A file name for it: the ARN's name with `.yaml` (`web-base.yaml`). */
  fileName: string;
  /** The file's YAML text. */
  text: string;
}

/**
 * Reads the configurations of `region` (all, or only `name`) and renders each as a config file:
 * name, home region, description, distributions in canonical form (the service's empty echoes
 * and defaults dropped, set-like lists sorted) and the user's tags (`waybill:` and `aws:` tags
 * left out). One List per page, one Get per imported configuration.
 */
export async function importConfigurations(options: {
  region: string;
  clientFor(region: string): ImageBuilderGateway;
  /** Only the configuration of this name (compared as the ARN compares names). */
  name?: string | undefined;
  concurrency?: number;
}): Promise<ImportedConfiguration[]> {
  const wanted = options.name === undefined ? undefined : arnResourceName(options.name);
  const live = await readLiveState({
    regions: [options.region],
    clientFor: options.clientFor,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    needsDetails: (summary) => wanted === undefined || arnResourceName(summary.name ?? "") === wanted,
  });
  return live.map((configuration) => ({
    name: configuration.name,
    region: configuration.region,
    arn: configuration.arn,
    fileName: `${arnResourceName(configuration.name)}.yaml`,
    text: configFileText(configuration),
  }));
}

/** The config file text of one live configuration. */
export function configFileText(configuration: LiveConfiguration): string {
  const tags = Object.fromEntries(
    Object.entries(configuration.tags).filter(
      ([key]) => !key.startsWith("waybill:") && !key.startsWith("aws:"),
    ),
  );
  const document = {
    name: configuration.name,
    region: configuration.region,
    ...(configuration.description ? { description: configuration.description } : {}),
    distributions: normalizeDistributions(configuration.distributions),
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
  };
  return `# Imported from ${configuration.arn}\n${stringify(document, { lineWidth: 0 })}`;
}
