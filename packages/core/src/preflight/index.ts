/**
 * Preflight, the pure part: which facts about AWS a run needs (`preflightRequests`) and what they
 * mean for the desired configurations (`evaluatePreflight`). Gathering them is @waybill/aws's job.
 */
import { callerRequests, evaluateCaller } from "./caller.js";
import { crossAccountRoleRequests, evaluateCrossAccountRole } from "./cross-account-role.js";
import { evaluateKms, kmsRequests } from "./kms.js";
import { evaluateLaunchTemplates, launchTemplateRequests } from "./launch-template.js";
import { evaluateLicenseConfigurations } from "./license-configuration.js";
import {
  type FactRequest,
  type Facts,
  factKey,
  type PreflightContext,
  type PreflightFinding,
  type PreflightSeverities,
} from "./preflight-model.js";
import { evaluateRolloutRole, rolloutRoleRequests } from "./rollout-role.js";
import { evaluateS3Export, s3ExportRequests } from "./s3-export.js";

export {
  CROSS_ACCOUNT_POLICY_ARN,
  CROSS_ACCOUNT_ROLE_NAME,
  type Evidence,
  type Fact,
  type FactRequest,
  type Facts,
  type FactValue,
  factKey,
  type KmsGrant,
  type Position,
  type PreflightCheckName,
  type PreflightCode,
  type PreflightConfiguration,
  type PreflightContext,
  type PreflightFinding,
  type PreflightSeverities,
  preflightChecks,
  preflightCodes,
} from "./preflight-model.js";
export type { PreflightReport, ResolvedAccountSet } from "./render.js";

/** Every fact the checks need for `context`, once each, in a stable order. */
export function preflightRequests(context: PreflightContext): FactRequest[] {
  const all = [
    ...callerRequests(context),
    ...kmsRequests(context),
    ...crossAccountRoleRequests(context),
    ...launchTemplateRequests(context),
    ...s3ExportRequests(context),
    ...rolloutRoleRequests(context),
  ];
  const unique = new Map<string, FactRequest>();
  for (const request of all) if (!unique.has(factKey(request))) unique.set(factKey(request), request);
  return [...unique.values()];
}

/**
 * Every check over the gathered facts. A check's findings take the severity the settings give it
 * (default: error; findings that something could not be checked are warnings unless `access` says
 * otherwise). Sorted by file, position, code.
 */
export function evaluatePreflight(
  context: PreflightContext,
  facts: Facts,
  severities: PreflightSeverities = {},
): PreflightFinding[] {
  const findings = [
    ...evaluateCaller(context, facts),
    ...evaluateKms(context, facts),
    ...evaluateCrossAccountRole(context, facts),
    ...evaluateLaunchTemplates(context, facts),
    ...evaluateS3Export(context, facts),
    ...evaluateLicenseConfigurations(context, facts),
    ...evaluateRolloutRole(context, facts),
  ];
  return findings
    .map((found) => {
      const severity = severities[found.check];
      return severity === undefined ? found : { ...found, severity };
    })
    .sort(
      (a, b) =>
        (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
        a.line - b.line ||
        a.column - b.column ||
        (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
        (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
    );
}
