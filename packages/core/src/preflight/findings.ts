// Building located findings: shared by every check module.
import { formatJsonPath } from "../diagnostics.js";
import type {
  Fact,
  PreflightCheckName,
  PreflightCode,
  PreflightConfiguration,
  PreflightFinding,
} from "./preflight-model.js";

/** The position of the value at `segments` (or its nearest located parent) in the configuration's file. */
export function locate(
  configuration: PreflightConfiguration,
  segments: readonly PropertyKey[],
): { line: number; column: number } {
  for (let n = segments.length; n >= 0; n--) {
    const found = configuration.positions.get(formatJsonPath(segments.slice(0, n)));
    if (found !== undefined) return found;
  }
  return { line: configuration.line, column: configuration.column };
}

export function finding(
  configuration: PreflightConfiguration,
  segments: readonly PropertyKey[],
  fields: {
    check: PreflightCheckName;
    code: PreflightCode;
    message: string;
    hint?: string;
    evidence: string;
    severity?: "error" | "warning";
  },
): PreflightFinding {
  return {
    check: fields.check,
    code: fields.code,
    severity: fields.severity ?? "error",
    file: configuration.file,
    ...locate(configuration, segments),
    path: formatJsonPath(segments),
    message: fields.message,
    ...(fields.hint === undefined ? {} : { hint: fields.hint }),
    evidence: fields.evidence,
  };
}

/**
 * The finding for a fact that could not be established: a warning naming the missing permission
 * (`denied`), or saying why no answer came (`failed`). Undefined for `found` and `missing`.
 */
export function accessFinding(
  configuration: PreflightConfiguration,
  segments: readonly PropertyKey[],
  fact: Fact | undefined,
  what: string,
): PreflightFinding | undefined {
  if (fact === undefined) {
    return finding(configuration, segments, {
      check: "access",
      code: "preflight-unreachable",
      severity: "warning",
      message: `could not check ${what}: it was not gathered`,
      evidence: "none",
    });
  }
  if (fact.status === "denied") {
    return finding(configuration, segments, {
      check: "access",
      code: "preflight-access-denied",
      severity: "warning",
      message: `could not check ${what}: access denied; preflight needs ${fact.permission}`,
      hint: `allow ${fact.permission} to the identity preflight runs as (docs/preflight.md has the whole policy)`,
      evidence: fact.evidence,
    });
  }
  if (fact.status === "failed") {
    const noRole = fact.reason === "no-read-role";
    return finding(configuration, segments, {
      check: "access",
      code: noRole ? "preflight-no-read-role" : "preflight-unreachable",
      severity: "warning",
      message: `could not check ${what}: ${fact.message}`,
      ...(noRole
        ? { hint: "name a read-only role for this account in waybill.config.yaml (preflight.readRole)" }
        : {}),
      evidence: fact.evidence,
    });
  }
  return undefined;
}

/** The segments of a distribution's AMI settings. */
export const amiPath = (index: number): PropertyKey[] => [
  "distributions",
  index,
  "amiDistributionConfiguration",
];
