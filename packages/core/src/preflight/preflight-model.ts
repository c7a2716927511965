// Preflight's data: what a run needs to know about AWS (requests), what it learned (facts), what it says (findings).
import type { Diagnostic } from "../diagnostics.js";
import type { Distribution } from "../schema.js";

/** The checks, by the name settings use for severities (`preflight.severity.<check>`). */
export const preflightChecks = [
  "caller",
  "kms-key",
  "cross-account-role",
  "launch-template",
  "s3-export",
  "license-configuration",
  "account-set",
  "access",
  "rollout-role",
] as const;
export type PreflightCheckName = (typeof preflightChecks)[number];

/** Every code a preflight finding can carry, by check. docs/preflight.md describes each. */
export const preflightCodes = {
  caller: ["caller-account-mismatch", "caller-region-not-enabled"],
  "kms-key": [
    "kms-key-missing",
    "kms-key-disabled",
    "kms-key-region-mismatch",
    "kms-key-policy-omits-account",
  ],
  "cross-account-role": [
    "cross-account-role-missing",
    "cross-account-role-untrusted",
    "cross-account-role-policy-missing",
  ],
  "launch-template": ["launch-template-missing"],
  "s3-export": ["export-bucket-missing", "vm-import-role-missing"],
  "license-configuration": ["license-configuration-foreign"],
  "account-set": ["account-set-unresolved", "account-set-empty"],
  access: ["preflight-access-denied", "preflight-unreachable", "preflight-no-read-role"],
  "rollout-role": ["rollout-role-missing", "rollout-role-untrusted"],
} as const satisfies Record<PreflightCheckName, readonly string[]>;
export type PreflightCode = (typeof preflightCodes)[PreflightCheckName][number];

/** The role Image Builder assumes in a target account to copy an AMI there (AWS user guide). */
export const CROSS_ACCOUNT_ROLE_NAME = "EC2ImageBuilderDistributionCrossAccountRole";
/** The AWS managed policy that role needs (AWS user guide, "Ec2ImageBuilderCrossAccountDistributionAccess"). */
export const CROSS_ACCOUNT_POLICY_ARN =
  "arn:aws:iam::aws:policy/Ec2ImageBuilderCrossAccountDistributionAccess";

/** A source position, 1-based. */
export interface Position {
  line: number;
  column: number;
}

/**
 * One desired configuration as preflight sees it: where it lives (to locate findings) and its
 * distributions (account lists already expanded from account sets).
 */
export interface PreflightConfiguration {
  name: string;
  /** Home region. */
  region: string;
  /** The account named by the configuration's ARN, when the file gives one. */
  accountId?: string | undefined;
  file: string;
  /** Where the document starts. */
  line: number;
  column: number;
  /** Positions of values by JSON path (`distributions[0].region`), as the parser found them. */
  positions: ReadonlyMap<string, Position>;
  distributions: readonly Distribution[];
}

export interface PreflightContext {
  configurations: readonly PreflightConfiguration[];
  /**
   * The role `waybill rollout` passes to DistributeImage (settings `rollout.executionRole`), with
   * where the settings file names it; checked to exist and trust imagebuilder.amazonaws.com.
   */
  rolloutRole?: { role: string; file: string; line: number; column: number } | undefined;
  /** The account the run expects to be in (settings `preflight.account`), if any. */
  expectedAccount?: string | undefined;
}

/** A fact preflight needs. `key` identifies it (requests with the same key are gathered once). */
export type FactRequest =
  | { kind: "caller-identity" }
  | { kind: "enabled-regions"; region: string }
  | { kind: "kms-key"; region: string; keyId: string }
  | { kind: "role"; account: string | "source"; roleName: string }
  | { kind: "launch-template"; account: string | "source"; region: string; id?: string; name?: string }
  | { kind: "bucket"; bucket: string };

/** The stable key of a request. */
export function factKey(request: FactRequest): string {
  switch (request.kind) {
    case "caller-identity":
      return "caller-identity";
    case "enabled-regions":
      return `enabled-regions/${request.region}`;
    case "kms-key":
      return `kms-key/${request.region}/${request.keyId}`;
    case "role":
      return `role/${request.account}/${request.roleName}`;
    case "launch-template":
      return `launch-template/${request.account}/${request.region}/${request.id ?? ""}/${request.name ?? ""}`;
    case "bucket":
      return `bucket/${request.bucket}`;
  }
}

/** Which call answered (for a finding's evidence): `KMS GetKeyPolicy alias/x in us-east-1`. */
export type Evidence = string;

/** A grant on a KMS key, as ListGrants returns it (the members preflight reads). */
export interface KmsGrant {
  granteePrincipal?: string | undefined;
  operations: readonly string[];
}

export type FactValue =
  | { kind: "caller-identity"; account: string; arn: string }
  | { kind: "enabled-regions"; regions: readonly string[] }
  | {
      kind: "kms-key";
      arn: string;
      enabled: boolean;
      /** The key policy document's text (GetKeyPolicy, policy `default`). */
      policy: string | undefined;
      grants: readonly KmsGrant[];
    }
  | {
      kind: "role";
      arn: string;
      /** The trust policy document (decoded JSON text). */
      trustPolicy: string | undefined;
      attachedPolicyArns: readonly string[];
    }
  | { kind: "launch-template"; id: string; name: string }
  | { kind: "bucket" };

/**
 * What gathering one request found: the thing (`found`), its absence (`missing`), no permission to
 * look (`denied`, naming the IAM action), or no answer (`failed`: timeout, network, no read role).
 */
export type Fact =
  | { status: "found"; value: FactValue; evidence: Evidence }
  | { status: "missing"; evidence: Evidence }
  | { status: "denied"; permission: string; evidence: Evidence; message: string }
  | { status: "failed"; evidence: Evidence; message: string; reason?: "no-read-role" | "unreachable" };

export type Facts = ReadonlyMap<string, Fact>;

/** A diagnostic with a preflight code, the check that found it and the evidence it rests on. */
export interface PreflightFinding extends Diagnostic<PreflightCode> {
  check: PreflightCheckName;
  /** Which call (and which policy statement) the finding rests on. */
  evidence: Evidence;
}

/** Severity per check; checks not named keep their default. */
export type PreflightSeverities = Partial<Record<PreflightCheckName, "error" | "warning">>;
