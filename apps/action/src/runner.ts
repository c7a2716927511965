/**
 * What the action needs from a Waybill run, in the action's own terms. The engine adapter
 * (engine-runner.ts) provides it over @waybill/engine; tests hand in fakes.
 */

import type { ChangeAction, Diagnostic, SharingApprovalEvidence } from "@waybill/core";
import type { Verdict } from "@waybill/engine";
import type { ReviewRecord } from "./review.js";

export type { Verdict };

export interface PlannedChange {
  action: ChangeAction;
  name: string;
  /** Home region. */
  region: string;
  /** Repository-relative file, when known. */
  source?: string;
  /**
   * For delete: whether it runs (prune) or is only reported. Whether a change does anything is
   * @waybill/core's `isExecuted` (and a plan's, `hasChanges`): one definition for every front end.
   */
  executed?: boolean;
}

export interface PlanReport {
  /** The stack the plan is for: the comment's heading names it, as the CLI's does. */
  stack: string;
  changes: readonly PlannedChange[];
  counts: Record<ChangeAction, number>;
  /** The plan's headline (`Plan: 1 to create, 2 unchanged.`): the comment's bold line and the `summary` output. */
  headline: string;
  /**
   * The engine's verdict on the plan (or on the apply that ran it): whether it fails, and why
   * (conflicts with their reason, preflight's errors, failed changes). The action only renders it.
   */
  verdict: Verdict;
  /**
   * The plan as markdown within `maxLength` characters: `title` as its heading, and, when it
   * carries a hidden comment marker, the one for `key`; `onMerge` says what merging will do.
   */
  renderMarkdown(options: {
    maxLength: number;
    title: string;
    key: string;
    onMerge?: boolean;
    /** A drift check's plan: differences said from the repository's side. */
    drift?: boolean;
    /** With `alert`, a GitHub alert right under the headline (see @waybill/core's PlanSection). */
    sections?: readonly {
      title: string;
      lines: readonly string[];
      alert?: "CAUTION" | "IMPORTANT" | "WARNING";
    }[];
  }): string;
  /**
   * When the policy's `sharingApproval` applies to this plan (it widens who may launch the
   * images): what approves it, in words (`the label "sharing-approved" or an approving review`),
   * whether an approving review can (so reviews are worth asking for), and whether what a pull
   * request shows approves it (what approved, in words, or undefined).
   */
  approvalNeeded?: {
    widening: number;
    approves: string;
    reviewsApprove: boolean;
    approvedBy(evidence: { labels: readonly string[]; approvingReviews: number }): string | undefined;
  };
  /** The versioned JSON plan. */
  renderJson(): string;
  /**
   * What a reviewer saw: a hash of the changes, warnings and settings (prune, adopt) without the
   * time-dependent AMI name previews or the live-state fingerprint, so the same plan made later
   * hashes the same; and each change's digest, so a difference can be named.
   */
  review: ReviewRecord;
  /** The settings the plan was made with: what the apply of this plan will use. */
  settings: { prune: boolean; adopt: boolean };
  /** Preflight's findings, when it ran (settings `preflight.enabled`); the comment shows them as a section. */
  preflight?: {
    findings: readonly {
      severity: "error" | "warning";
      code: string;
      file: string;
      line: number;
      column: number;
      message: string;
    }[];
  };
}

export interface AppliedChange {
  action: ChangeAction;
  name: string;
  region: string;
  source?: string;
  status: "ok" | "failed" | "skipped";
  /** Why it failed (with the service's error type) or was skipped. */
  detail?: string;
}

export interface ActionRunRequest {
  /** Config globs; empty uses the settings file's. */
  paths: string[];
  stack: string | undefined;
  region: string | undefined;
  prune: boolean | undefined;
  adopt: boolean | undefined;
  /** Files holding no configuration mean: delete the whole stack (the `prune-all` input). */
  pruneAll: boolean;
  /** Get every configuration the plan considers, trusting no `waybill:applied` record. */
  refresh: boolean;
  endpointUrl: string | undefined;
}

export type PlanRunOutcome =
  /** Nothing was planned: the diagnostics (the verdict's `invalid` reason's), the verdict's headline the words. */
  | { status: "invalid"; diagnostics: Diagnostic[]; verdict: Verdict }
  | { status: "planned"; plan: PlanReport; diagnostics: Diagnostic[] }
  /**
   * The files are valid but live state could not be read: the SDK's credential chain found no
   * credentials (a pull request from a fork gets no secrets and no OIDC token). `message` is the
   * SDK's, which names no secret.
   */
  | { status: "no-credentials"; message: string; files: string[]; diagnostics: Diagnostic[] };

export type ApplyRunOutcome =
  /** Nothing was planned: the diagnostics (the verdict's `invalid` reason's), the verdict's headline the words. */
  | { status: "invalid"; diagnostics: Diagnostic[]; verdict: Verdict }
  /**
   * Nothing was applied: the plan differs from the reviewed one (`differences`, one line each), or
   * it needs an approval (the policy's sharingApproval) it does not have.
   */
  | {
      status: "refused";
      plan: PlanReport;
      reason: string;
      differences?: string[];
      diagnostics: Diagnostic[];
      /** The engine's verdict: not applied, and why (the step's `summary` is its headline). */
      verdict: Verdict;
    }
  | {
      status: "applied";
      plan: PlanReport;
      results: AppliedChange[];
      diagnostics: Diagnostic[];
      /** What approved the plan's wider sharing (the policy's sharingApproval), in words, when it needed approval. */
      approvedBy?: string;
      /** The engine's verdict on the apply: failed changes and conflicts fail it; its headline counts the results. */
      verdict: Verdict;
    };

/** Whether the plan about to be applied may be: the reviewed one, or a difference the run accepts. */
export type ReviewVerdict = { apply: true } | { apply: false; reason: string; differences: string[] };

/** `waybill rollout --yes` after an apply: one line per image and its targets, and how many failed. */
export type RolloutRunOutcome =
  | { status: "invalid"; diagnostics: Diagnostic[] }
  | { status: "done"; lines: string[]; failed: number };

/** `waybill status` for drift mode: its summary line and missing targets, and the page when asked. */
export type StatusRunOutcome =
  | { status: "invalid"; diagnostics: Diagnostic[] }
  | { status: "read"; headline: string; missing: string[] };

export interface WaybillRunner {
  /**
   * Where the images are (drift mode): coverage of each current image; with `htmlPath`, the page
   * is also written there (relative to the working directory).
   */
  status?(request: ActionRunRequest, options: { htmlPath?: string | undefined }): Promise<StatusRunOutcome>;
  plan(request: ActionRunRequest): Promise<PlanRunOutcome>;
  /** Distributes each current image to the targets it is missing (input `rollout: true`, after an apply). */
  rollout?(request: ActionRunRequest): Promise<RolloutRunOutcome>;
  /**
   * Re-plans against live state and applies that plan; when the plan needs the policy's sharing
   * approval, `approval` is asked what the merged pull request shows of what `rule` counts
   * (undefined: none found); it asks GitHub only for that (no reviews for a label-only rule).
   * `review`, asked first, compares the plan's review record with the reviewed one; a refusal applies nothing.
   */
  apply(
    request: ActionRunRequest,
    approval?: (rule: {
      label?: string;
      approvingReview: boolean;
    }) => Promise<SharingApprovalEvidence | undefined>,
    review?: (record: ReviewRecord) => ReviewVerdict,
  ): Promise<ApplyRunOutcome>;
}

/** Live differs from the repository: anything but no-op, whether or not this run would act on it. */
export function isDrift(change: PlannedChange): boolean {
  return change.action !== "no-op";
}
