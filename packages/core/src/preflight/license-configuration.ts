// License configurations: each ARN belongs to the source account and the distribution's region.
import { sourceAccount } from "./cross-account-role.js";
import { finding } from "./findings.js";
import type { Facts, PreflightContext, PreflightFinding } from "./preflight-model.js";

/**
 * License Manager is not among the services preflight calls, so a configuration's existence is not
 * read; what the ARN itself says is checked against the facts known: License Manager attaches only
 * configurations of the same account and region.
 */
export function evaluateLicenseConfigurations(context: PreflightContext, facts: Facts): PreflightFinding[] {
  const source = sourceAccount(facts);
  const findings: PreflightFinding[] = [];
  for (const configuration of context.configurations) {
    configuration.distributions.forEach((distribution, index) => {
      (distribution.licenseConfigurationArns ?? []).forEach((arn, j) => {
        const match = /^arn:aws[a-z-]*:license-manager:([a-z0-9-]+):(\d{12}):/.exec(arn);
        if (!match) return;
        const [, region, account] = match;
        const wrongRegion = region !== distribution.region;
        const wrongAccount = source !== undefined && account !== source;
        if (!wrongRegion && !wrongAccount) return;
        findings.push(
          finding(configuration, ["distributions", index, "licenseConfigurationArns", j], {
            check: "license-configuration",
            code: "license-configuration-foreign",
            message: `license configuration ${arn} is in ${wrongRegion ? `region ${region}` : ""}${wrongRegion && wrongAccount ? " and " : ""}${wrongAccount ? `account ${account}` : ""}, but the distribution is in ${distribution.region}${source ? ` of ${source}` : ""}`,
            hint: "use a license configuration of the source account in the distribution's region",
            evidence: `the ARN${wrongAccount ? "; STS GetCallerIdentity" : ""}`,
          }),
        );
      });
    });
  }
  return findings;
}
