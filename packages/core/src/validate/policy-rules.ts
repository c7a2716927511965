/** Policy: a repository's guardrails (policy.ts), checked after the service rules. */
import type { Diagnostic } from "../diagnostics.js";
import type { Policy } from "../policy.js";
import type { DistributionConfigurationDocument } from "../schema.js";
import type { Locator } from "./locator.js";

/** Every policy finding of one document. */
export function policyDiagnostics(
  document: DistributionConfigurationDocument,
  policy: Policy,
  at: Locator,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const accounts = policy.allowedAccounts === undefined ? undefined : new Set(policy.allowedAccounts);
  const organizations =
    policy.allowedOrganizationArns === undefined ? undefined : new Set(policy.allowedOrganizationArns);
  const organizationIds = new Set([...(organizations ?? [])].map((arn) => arn.split("/").at(-1)));
  const units =
    policy.allowedOrganizationalUnitArns === undefined
      ? undefined
      : new Set(policy.allowedOrganizationalUnitArns);
  const checkAccount = (account: string | undefined, segments: readonly PropertyKey[]) => {
    if (account === undefined || accounts === undefined || accounts.has(account)) return;
    out.push(
      at.diagnostic(
        "account-not-allowed",
        segments,
        `account ${account} is not in the policy's allowedAccounts`,
        {
          hint: "add it to allowedAccounts in waybill.config.yaml, or remove it here",
        },
      ),
    );
  };
  document.distributions.forEach((distribution, i) => {
    const base = ["distributions", i] as const;
    const ami = distribution.amiDistributionConfiguration;
    const amiPath = [...base, "amiDistributionConfiguration"] as const;
    const permission = ami?.launchPermission;
    const permissionPath = [...amiPath, "launchPermission"] as const;
    permission?.userGroups?.forEach((group, j) => {
      if (group.toLowerCase() === "all" && policy.allowPublicLaunchPermission !== true) {
        out.push(
          at.diagnostic(
            "public-launch-permission",
            [...permissionPath, "userGroups", j],
            `userGroups: [${group}] makes the AMI in ${distribution.region} public`,
            { hint: "set allowPublicLaunchPermission: true in the policy if this is intended" },
          ),
        );
      }
    });
    const accountUses: [string | undefined, readonly PropertyKey[]][] = [
      ...(ami?.targetAccountIds ?? []).map((account, j): [string, PropertyKey[]] => [
        account,
        [...amiPath, "targetAccountIds", j],
      ]),
      ...(permission?.userIds ?? []).map((account, j): [string, PropertyKey[]] => [
        account,
        [...permissionPath, "userIds", j],
      ]),
      ...(distribution.launchTemplateConfigurations ?? []).map(
        (c, j): [string | undefined, PropertyKey[]] => [
          c.accountId,
          [...base, "launchTemplateConfigurations", j, "accountId"],
        ],
      ),
      ...(distribution.fastLaunchConfigurations ?? []).map((c, j): [string | undefined, PropertyKey[]] => [
        c.accountId,
        [...base, "fastLaunchConfigurations", j, "accountId"],
      ]),
      ...(distribution.ssmParameterConfigurations ?? []).map((c, j): [string | undefined, PropertyKey[]] => [
        c.amiAccountId,
        [...base, "ssmParameterConfigurations", j, "amiAccountId"],
      ]),
    ];
    for (const [account, segments] of accountUses) checkAccount(account, segments);
    if (organizations !== undefined) {
      permission?.organizationArns?.forEach((arn, j) => {
        if (organizations.has(arn)) return;
        out.push(
          at.diagnostic(
            "organization-not-allowed",
            [...permissionPath, "organizationArns", j],
            `organization ${arn} is not in the policy's allowedOrganizationArns`,
          ),
        );
      });
    }
    if (units !== undefined || organizations !== undefined) {
      permission?.organizationalUnitArns?.forEach((arn, j) => {
        // An OU inside an allowed organization is allowed.
        const organizationId = arn.split("/")[1];
        if (units?.has(arn) || organizationIds.has(organizationId)) return;
        out.push(
          at.diagnostic(
            "organizational-unit-not-allowed",
            [...permissionPath, "organizationalUnitArns", j],
            `organizational unit ${arn} is not in the policy's allowedOrganizationalUnitArns or an allowed organization`,
          ),
        );
      });
    }
  });
  return out;
}
