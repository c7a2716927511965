// Cross-account role: each target account has EC2ImageBuilderDistributionCrossAccountRole, trusting the source account, with its managed policy.
import { accessFinding, amiPath, finding } from "./findings.js";
import { allowedActions, parsePolicyDocument } from "./policy-document.js";
import {
  CROSS_ACCOUNT_POLICY_ARN,
  CROSS_ACCOUNT_ROLE_NAME,
  type FactRequest,
  type Facts,
  factKey,
  type PreflightConfiguration,
  type PreflightContext,
  type PreflightFinding,
} from "./preflight-model.js";

/** The first place each target account appears in a configuration, as JSON path segments. */
function targetAccounts(configuration: PreflightConfiguration): Map<string, PropertyKey[]> {
  const first = new Map<string, PropertyKey[]>();
  configuration.distributions.forEach((distribution, index) => {
    (distribution.amiDistributionConfiguration?.targetAccountIds ?? []).forEach((account, j) => {
      if (!first.has(account)) first.set(account, [...amiPath(index), "targetAccountIds", j]);
    });
  });
  return first;
}

/** The account the run is in, when preflight learned it. */
export function sourceAccount(facts: Facts): string | undefined {
  const fact = facts.get(factKey({ kind: "caller-identity" }));
  return fact?.status === "found" && fact.value.kind === "caller-identity" ? fact.value.account : undefined;
}

export function crossAccountRoleRequests(context: PreflightContext): FactRequest[] {
  const accounts = new Set(context.configurations.flatMap((c) => [...targetAccounts(c).keys()]));
  return [...accounts].map((account) => ({ kind: "role", account, roleName: CROSS_ACCOUNT_ROLE_NAME }));
}

export function evaluateCrossAccountRole(context: PreflightContext, facts: Facts): PreflightFinding[] {
  const source = sourceAccount(facts);
  const findings: PreflightFinding[] = [];
  for (const configuration of context.configurations) {
    for (const [account, at] of targetAccounts(configuration)) {
      // Copies within the account itself need no cross-account role.
      if (account === source) continue;
      const fact = facts.get(factKey({ kind: "role", account, roleName: CROSS_ACCOUNT_ROLE_NAME }));
      const access = accessFinding(
        configuration,
        at,
        fact,
        `${CROSS_ACCOUNT_ROLE_NAME} in account ${account}`,
      );
      if (access) {
        findings.push(access);
        continue;
      }
      if (fact?.status === "missing") {
        findings.push(
          finding(configuration, at, {
            check: "cross-account-role",
            code: "cross-account-role-missing",
            message: `account ${account} has no role ${CROSS_ACCOUNT_ROLE_NAME}: Image Builder cannot copy the AMI there ("AMI Copy Reported Failure")`,
            hint: `create ${CROSS_ACCOUNT_ROLE_NAME} in ${account}, trusting ${source ?? "the source account"}, with the managed policy ${CROSS_ACCOUNT_POLICY_ARN}`,
            evidence: fact.evidence,
          }),
        );
        continue;
      }
      if (fact?.status !== "found" || fact.value.kind !== "role") continue;
      const role = fact.value;
      if (source !== undefined) {
        const trust = parsePolicyDocument(role.trustPolicy);
        const trusted =
          trust.ok &&
          allowedActions(trust.statements, source, ["sts:AssumeRole"]).allowed.has("sts:AssumeRole");
        if (!trusted) {
          findings.push(
            finding(configuration, at, {
              check: "cross-account-role",
              code: "cross-account-role-untrusted",
              message: `${CROSS_ACCOUNT_ROLE_NAME} in account ${account} does not trust the source account ${source}`,
              hint: `add a trust statement allowing arn:aws:iam::${source}:root sts:AssumeRole`,
              evidence: `${fact.evidence}: the trust policy ${trust.ok ? `has no unconditional Allow of sts:AssumeRole for ${source}` : trust.message}`,
            }),
          );
        }
      }
      if (!role.attachedPolicyArns.includes(CROSS_ACCOUNT_POLICY_ARN)) {
        findings.push(
          finding(configuration, at, {
            check: "cross-account-role",
            code: "cross-account-role-policy-missing",
            message: `${CROSS_ACCOUNT_ROLE_NAME} in account ${account} lacks the managed policy Ec2ImageBuilderCrossAccountDistributionAccess`,
            hint: `attach ${CROSS_ACCOUNT_POLICY_ARN} to the role`,
            evidence: `${fact.evidence}: attached ${role.attachedPolicyArns.length === 0 ? "none" : role.attachedPolicyArns.join(", ")}`,
          }),
        );
      }
    }
  }
  return findings;
}
