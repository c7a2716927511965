// Rollout's execution role: it exists in the source account and trusts imagebuilder.amazonaws.com.
import { accessFinding, finding } from "./findings.js";
import { allowedActions, parsePolicyDocument } from "./policy-document.js";
import {
  type FactRequest,
  type Facts,
  factKey,
  type PreflightConfiguration,
  type PreflightContext,
  type PreflightFinding,
} from "./preflight-model.js";

/** The service that assumes the role to distribute. */
export const IMAGE_BUILDER_SERVICE = "imagebuilder.amazonaws.com";

/** The role's name (GetRole takes no path) from a name or an ARN (`arn:aws:iam::1:role/path/Name`). */
export function roleNameOf(role: string): string {
  return role.split("/").pop() ?? role;
}

export function rolloutRoleRequests(context: PreflightContext): FactRequest[] {
  const role = context.rolloutRole;
  return role === undefined ? [] : [{ kind: "role", account: "source", roleName: roleNameOf(role.role) }];
}

export function evaluateRolloutRole(context: PreflightContext, facts: Facts): PreflightFinding[] {
  const role = context.rolloutRole;
  if (role === undefined) return [];
  // The settings file stands in for a configuration: findings are located at the setting.
  const where: PreflightConfiguration = {
    name: "rollout",
    region: "",
    file: role.file,
    line: role.line,
    column: role.column,
    positions: new Map(),
    distributions: [],
  };
  const name = roleNameOf(role.role);
  const fact = facts.get(factKey({ kind: "role", account: "source", roleName: name }));
  const access = accessFinding(where, [], fact, `role ${name}`);
  if (access) return [{ ...access, path: "rollout.executionRole" }];
  const at = { check: "rollout-role" as const, evidence: fact?.evidence ?? "" };
  if (fact?.status === "missing") {
    return [
      {
        ...finding(where, [], {
          ...at,
          code: "rollout-role-missing",
          message: `rollout.executionRole ${name} does not exist in the source account`,
          hint: `create the role, trusting ${IMAGE_BUILDER_SERVICE}, or correct rollout.executionRole`,
        }),
        path: "rollout.executionRole",
      },
    ];
  }
  if (fact?.status !== "found" || fact.value.kind !== "role") return [];
  const trust = parsePolicyDocument(fact.value.trustPolicy);
  const trusted =
    trust.ok &&
    trust.statements.some(
      (statement) =>
        statement.effect === "Allow" &&
        !statement.conditional &&
        (statement.services ?? []).includes(IMAGE_BUILDER_SERVICE) &&
        allowedActions([{ ...statement, principals: ["*"] }], "000000000000", ["sts:AssumeRole"]).allowed.has(
          "sts:AssumeRole",
        ),
    );
  if (trusted) return [];
  return [
    {
      ...finding(where, [], {
        ...at,
        code: "rollout-role-untrusted",
        message: `rollout.executionRole ${name} does not trust ${IMAGE_BUILDER_SERVICE}: DistributeImage cannot assume it`,
        hint: `add a trust statement allowing the service ${IMAGE_BUILDER_SERVICE} sts:AssumeRole`,
        evidence: `${fact.evidence}: the trust policy ${trust.ok ? `has no unconditional Allow of sts:AssumeRole for ${IMAGE_BUILDER_SERVICE}` : trust.message}`,
      }),
      path: "rollout.executionRole",
    },
  ];
}
