// KMS: the key a distribution encrypts its copies with exists, is enabled, and lets every target account use it.
import { accessFinding, amiPath, finding } from "./findings.js";
import { allowedActions, describeStatement, parsePolicyDocument } from "./policy-document.js";
import {
  CROSS_ACCOUNT_ROLE_NAME,
  type FactRequest,
  type Facts,
  factKey,
  type PreflightContext,
  type PreflightFinding,
} from "./preflight-model.js";

/**
 * What a target account must be allowed on the key to copy an encrypted AMI into itself (EC2's
 * "share a KMS key for encrypted AMIs": the copy decrypts and re-encrypts snapshots through grants).
 */
export const KMS_ACTIONS_FOR_COPY = [
  "kms:DescribeKey",
  "kms:CreateGrant",
  "kms:Decrypt",
  "kms:ReEncryptFrom",
  "kms:GenerateDataKeyWithoutPlaintext",
] as const;

/** The region inside a key ARN (`arn:aws:kms:<region>:<account>:key/...`), if `keyId` is one. */
function arnRegion(keyId: string): string | undefined {
  const match = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:/.exec(keyId);
  return match?.[1];
}

export function kmsRequests(context: PreflightContext): FactRequest[] {
  return context.configurations.flatMap((configuration) =>
    configuration.distributions.flatMap((distribution) => {
      const keyId = distribution.amiDistributionConfiguration?.kmsKeyId;
      return keyId ? [{ kind: "kms-key" as const, region: distribution.region, keyId }] : [];
    }),
  );
}

export function evaluateKms(context: PreflightContext, facts: Facts): PreflightFinding[] {
  const findings: PreflightFinding[] = [];
  for (const configuration of context.configurations) {
    configuration.distributions.forEach((distribution, index) => {
      const ami = distribution.amiDistributionConfiguration;
      const keyId = ami?.kmsKeyId;
      if (!ami || !keyId) return;
      const at = [...amiPath(index), "kmsKeyId"];
      const keyRegion = arnRegion(keyId);
      if (keyRegion !== undefined && keyRegion !== distribution.region) {
        findings.push(
          finding(configuration, at, {
            check: "kms-key",
            code: "kms-key-region-mismatch",
            message: `KMS key ${keyId} is in ${keyRegion}, but the distribution copies to ${distribution.region}`,
            hint: `use a key in ${distribution.region} (a multi-Region replica, or a key created there)`,
            evidence: "the key's ARN",
          }),
        );
        return;
      }
      const fact = facts.get(factKey({ kind: "kms-key", region: distribution.region, keyId }));
      const access = accessFinding(configuration, at, fact, `KMS key ${keyId} in ${distribution.region}`);
      if (access) {
        findings.push(access);
        return;
      }
      if (fact?.status === "missing") {
        findings.push(
          finding(configuration, at, {
            check: "kms-key",
            code: "kms-key-missing",
            message: `KMS key ${keyId} does not exist in ${distribution.region}`,
            hint: `create the key (or an alias of that name) in ${distribution.region}, or correct kmsKeyId`,
            evidence: fact.evidence,
          }),
        );
        return;
      }
      if (fact?.status !== "found" || fact.value.kind !== "kms-key") return;
      const key = fact.value;
      if (!key.enabled) {
        findings.push(
          finding(configuration, at, {
            check: "kms-key",
            code: "kms-key-disabled",
            message: `KMS key ${keyId} in ${distribution.region} is not enabled`,
            hint: "enable the key (or cancel its deletion); a disabled key fails every copy",
            evidence: fact.evidence,
          }),
        );
        return;
      }
      const policy = parsePolicyDocument(key.policy);
      const statements = policy.ok ? policy.statements : [];
      for (const account of new Set(ami.targetAccountIds ?? [])) {
        const fromPolicy = allowedActions(statements, account, KMS_ACTIONS_FOR_COPY, CROSS_ACCOUNT_ROLE_NAME);
        const granted = new Set(fromPolicy.allowed);
        for (const grant of key.grants) {
          const grantee = grant.granteePrincipal ?? "";
          if (grantee !== account && !grantee.startsWith(`arn:aws:iam::${account}:`)) continue;
          for (const action of KMS_ACTIONS_FOR_COPY) {
            if (grant.operations.includes(action.slice("kms:".length))) granted.add(action);
          }
        }
        const missing = KMS_ACTIONS_FOR_COPY.filter((action) => !granted.has(action));
        if (missing.length === 0) continue;
        const accountIndex = (ami.targetAccountIds ?? []).indexOf(account);
        const denied = fromPolicy.deniedBy.map(describeStatement).join(", ");
        findings.push(
          finding(configuration, [...amiPath(index), "targetAccountIds", accountIndex], {
            check: "kms-key",
            code: "kms-key-policy-omits-account",
            message: `KMS key ${keyId} in ${distribution.region} does not let account ${account} use it: ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not allowed${denied ? ` (denied by ${denied})` : ""}; copying the AMI into ${account} will fail`,
            hint: `add a statement to the key policy allowing arn:aws:iam::${account}:root ${KMS_ACTIONS_FOR_COPY.join(", ")}`,
            evidence: `${fact.evidence}: ${policy.ok ? `${statements.length} statement${statements.length === 1 ? "" : "s"}, none allows ${account} ${missing.join(", ")}` : policy.message}; ${key.grants.length} grant${key.grants.length === 1 ? "" : "s"}`,
          }),
        );
      }
    });
  }
  return findings;
}
