/** Identity: which configuration a document is (name or ARN) and its home region. */
import { arnResourceName, parseDistributionConfigurationArn } from "../arn.js";
import { type Diagnostic, hasErrors } from "../diagnostics.js";
import type { ConfigFileDocument, DistributionConfigurationDocument } from "../schema.js";
import type { Locator } from "./locator.js";
import type { ValidatedDocument } from "./validation-model.js";

/**
 * Resolves the configuration's name (given, else the ARN's resource name) and home region (the
 * document's, else the ARN's, else `defaultRegion`); drops `$schema`, `clientToken`, `dryRun` and the ARN.
 */
export function resolveIdentity(
  input: ConfigFileDocument,
  at: Locator,
  defaultRegion: string | undefined,
): { validated?: ValidatedDocument; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const {
    $schema: _schema,
    clientToken: _clientToken,
    dryRun: _dryRun,
    distributionConfigurationArn: arn,
    ...rest
  } = input;
  let name = rest.name;
  let arnRegion: string | undefined;
  if (arn !== undefined) {
    const parsedArn = parseDistributionConfigurationArn(arn);
    // The schema already checked the pattern, so the ARN parses.
    if (parsedArn.ok) {
      arnRegion = parsedArn.arn.region;
      if (name !== undefined && arnResourceName(name) !== parsedArn.arn.resourceName) {
        diagnostics.push(
          at.diagnostic(
            "arn-name-mismatch",
            ["name"],
            `name '${name}' maps to ARN resource '${arnResourceName(name)}', but the ARN names '${parsedArn.arn.resourceName}'`,
            { hint: "a configuration cannot be renamed; remove one of the two" },
          ),
        );
      }
      if (rest.region !== undefined && rest.region !== arnRegion) {
        diagnostics.push(
          at.diagnostic(
            "arn-region-mismatch",
            ["region"],
            `region '${rest.region}' differs from the ARN's region '${arnRegion}'`,
          ),
        );
      }
      name ??= parsedArn.arn.resourceName;
    }
  }
  if (name === undefined) {
    diagnostics.push(
      at.diagnostic(
        "name-or-arn-required",
        [],
        "a configuration needs a 'name' (or a 'distributionConfigurationArn')",
        {
          hint: "add name: <configuration name>",
        },
      ),
    );
    return { diagnostics };
  }
  const region = rest.region ?? arnRegion ?? defaultRegion;
  if (region === undefined) {
    diagnostics.push(
      at.diagnostic("region-unresolved", [], `no home region for configuration '${name}'`, {
        hint: "add region: <home region>, or give a default region to the run",
      }),
    );
  }
  if (hasErrors(diagnostics) || region === undefined) return { diagnostics };
  const document: DistributionConfigurationDocument = { ...rest, name };
  return {
    diagnostics,
    validated: {
      document,
      kind: arn === undefined ? "create" : "update",
      ...(arn === undefined ? {} : { distributionConfigurationArn: arn }),
      file: at.source.file,
      index: at.source.index,
      line: at.source.line,
      column: at.source.column,
      region,
    },
  };
}
