// The caller: the account the run is in is the one the files (and settings) expect; every region in play is enabled.
import { accessFinding, finding } from "./findings.js";
import {
  type FactRequest,
  type Facts,
  factKey,
  type PreflightContext,
  type PreflightFinding,
} from "./preflight-model.js";

export function callerRequests(context: PreflightContext): FactRequest[] {
  const first = context.configurations[0];
  return [
    { kind: "caller-identity" },
    ...(first ? [{ kind: "enabled-regions" as const, region: first.region }] : []),
  ];
}

export function evaluateCaller(context: PreflightContext, facts: Facts): PreflightFinding[] {
  const findings: PreflightFinding[] = [];
  const first = context.configurations[0];
  if (!first) return findings;
  const identity = facts.get(factKey({ kind: "caller-identity" }));
  const access = accessFinding(first, [], identity, "the caller's identity");
  if (access) findings.push(access);
  if (identity?.status === "found" && identity.value.kind === "caller-identity") {
    const { account, arn } = identity.value;
    if (context.expectedAccount !== undefined && context.expectedAccount !== account) {
      findings.push(
        finding(first, [], {
          check: "caller",
          code: "caller-account-mismatch",
          message: `the run is in account ${account} (${arn}), but waybill.config.yaml expects ${context.expectedAccount}`,
          hint: "use the credentials of the expected account, or correct preflight.account",
          evidence: identity.evidence,
        }),
      );
    }
    for (const configuration of context.configurations) {
      if (configuration.accountId !== undefined && configuration.accountId !== account) {
        findings.push(
          finding(configuration, ["distributionConfigurationArn"], {
            check: "caller",
            code: "caller-account-mismatch",
            message: `the ARN names account ${configuration.accountId}, but the run is in account ${account}`,
            hint: "run with the credentials of the account the ARN names, or correct the ARN",
            evidence: identity.evidence,
          }),
        );
      }
    }
  }
  const regions = facts.get(factKey({ kind: "enabled-regions", region: first.region }));
  const regionAccess = accessFinding(first, [], regions, "the account's enabled regions");
  if (regionAccess) findings.push(regionAccess);
  if (regions?.status !== "found" || regions.value.kind !== "enabled-regions") return findings;
  const enabled = new Set(regions.value.regions);
  for (const configuration of context.configurations) {
    if (!enabled.has(configuration.region)) {
      findings.push(
        finding(configuration, ["region"], {
          check: "caller",
          code: "caller-region-not-enabled",
          message: `home region ${configuration.region} is not enabled for the account`,
          hint: "enable (opt in to) the region in the account, or choose another home region",
          evidence: regions.evidence,
        }),
      );
    }
    configuration.distributions.forEach((distribution, index) => {
      if (enabled.has(distribution.region)) return;
      findings.push(
        finding(configuration, ["distributions", index, "region"], {
          check: "caller",
          code: "caller-region-not-enabled",
          message: `distribution region ${distribution.region} is not enabled for the account`,
          hint: "enable (opt in to) the region in the source account, or remove the distribution",
          evidence: regions.evidence,
        }),
      );
    });
  }
  return findings;
}
