/**
 * In-memory WaybillRunner and plan builders for tests of the action's GitHub side. Outcomes are
 * given as a test writes them (diagnostics without a path, no verdict); the fake adds the verdict
 * as the engine words it (the engine's own verdict is tested in the engine, and the same fixture
 * through the CLI and the action in one-verdict.test.ts).
 */
import { createHash } from "node:crypto";
import {
  CHANGE_ACTIONS,
  type ChangeAction,
  type Diagnostic,
  hasChanges,
  type SharingApprovalEvidence,
} from "@waybill/core";
import type {
  ActionRunRequest,
  AppliedChange,
  ApplyRunOutcome,
  PlannedChange,
  PlanReport,
  PlanRunOutcome,
  RolloutRunOutcome,
  StatusRunOutcome,
  Verdict,
  WaybillRunner,
} from "../runner.js";

/** A diagnostic as a test writes it: any code, the path optional. */
export type FakeDiagnostic = Omit<Diagnostic, "code" | "path"> & { code: string; path?: string };

/** An outcome as a test writes it: loose diagnostics, no verdict (the fake adds it). */
type Loose<T> = T extends { diagnostics: readonly Diagnostic[] }
  ? Omit<T, "diagnostics" | "verdict"> & { diagnostics: FakeDiagnostic[] }
  : Omit<T, "verdict">;
type FakeInvalid = { status: "invalid"; diagnostics: FakeDiagnostic[] };
export type FakePlanOutcome = Loose<Exclude<PlanRunOutcome, { status: "invalid" }>> | FakeInvalid;
export type FakeApplyOutcome = Loose<Exclude<ApplyRunOutcome, { status: "invalid" }>> | FakeInvalid;

const diagnosticsOf = (given: readonly FakeDiagnostic[]): Diagnostic[] =>
  given.map((d) => ({ path: "", ...d }) as Diagnostic);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The engine's verdict on invalid files, as it words it. */
function invalidVerdict(given: readonly FakeDiagnostic[]): Verdict {
  const diagnostics = diagnosticsOf(given);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  return {
    exitCode: 1,
    headline: `${plural(errors, "error")}${warnings > 0 ? `, ${plural(warnings, "warning")}` : ""} in the configuration files: nothing was planned.`,
    reasons: [
      {
        kind: "invalid",
        message: "the config files are not valid; nothing was planned",
        diagnostics,
        errors,
      },
    ],
    warnings: [],
  };
}

/** Each conflict as the engine's verdict gives it (the fakes' conflicts are all unmanaged). */
function conflictReasons(changes: readonly PlannedChange[]): Verdict["reasons"][number][] {
  return changes
    .filter((change) => change.action === "conflict")
    .map((change) => ({
      kind: "conflict",
      name: change.name,
      region: change.region,
      source: change.source,
      reason: "unmanaged",
      message: `${change.name} in ${change.region} exists and is not managed by Waybill`,
      hint: "pass input 'adopt' to take it over, or give it another name",
    }));
}

function planOutcome(given: FakePlanOutcome): PlanRunOutcome {
  if (given.status === "invalid")
    return {
      status: "invalid",
      diagnostics: diagnosticsOf(given.diagnostics),
      verdict: invalidVerdict(given.diagnostics),
    };
  return { ...given, diagnostics: diagnosticsOf(given.diagnostics) } as PlanRunOutcome;
}

function applyOutcome(given: FakeApplyOutcome): ApplyRunOutcome {
  if (given.status === "invalid")
    return {
      status: "invalid",
      diagnostics: diagnosticsOf(given.diagnostics),
      verdict: invalidVerdict(given.diagnostics),
    };
  const diagnostics = diagnosticsOf(given.diagnostics);
  if (given.status === "refused")
    return {
      ...given,
      diagnostics,
      verdict: {
        exitCode: 1,
        headline: `Not applied: ${given.reason}.`,
        reasons: [{ kind: "refused", message: given.reason }],
        warnings: diagnostics,
      },
    };
  const count = (status: AppliedChange["status"]) => given.results.filter((r) => r.status === status).length;
  const failed = count("failed");
  const reasons: Verdict["reasons"][number][] = [
    ...(failed > 0
      ? [
          {
            kind: "failed" as const,
            message: `${failed} of ${plural(given.results.length, "change")} failed`,
            failed,
            of: given.results.length,
          },
        ]
      : []),
    ...conflictReasons(given.plan.changes),
  ];
  return {
    ...given,
    diagnostics,
    verdict: {
      exitCode: reasons.length > 0 ? 1 : 0,
      headline: `Applied: ${plural(count("ok"), "change")} done, ${failed} failed, ${count("skipped")} skipped.`,
      reasons,
      warnings: diagnostics,
    },
  };
}

/** A plan whose markdown is a table of `changes` followed by `markdownFill` times `fillText` (`x` by default). */
export function planReport(changes: PlannedChange[], markdownFill = 0, fillText = "x"): PlanReport {
  const counts = Object.fromEntries(CHANGE_ACTIONS.map((action) => [action, 0])) as Record<
    ChangeAction,
    number
  >;
  for (const change of changes) counts[change.action]++;
  const parts = CHANGE_ACTIONS.filter((action) => counts[action] > 0).map(
    (action) => `${counts[action]} ${action === "no-op" ? "unchanged" : action}`,
  );
  const headline = `${hasChanges({ changes }) ? "Plan" : "No changes"}: ${parts.join(", ")}.`;
  const reasons = conflictReasons(changes);
  return {
    stack: "platform",
    changes,
    counts,
    headline,
    verdict: {
      exitCode: reasons.length > 0 ? 1 : hasChanges({ changes }) ? 2 : 0,
      headline,
      reasons,
      warnings: [],
    },
    renderMarkdown: ({ maxLength, title, onMerge, sections }) => {
      const rows = changes.map((c) => `| ${c.action} | ${c.name} | ${c.region} |`);
      const text = [
        `### ${title}`,
        `**${headline}**`,
        onMerge === true ? "Merging applies the plan." : "Applying runs the plan.",
        ...(sections ?? []).map((section) => `**${section.title}**: ${section.lines.join(" ")}`),
        "| action | name | region |",
        "| --- | --- | --- |",
        ...rows,
        fillText.repeat(markdownFill),
      ].join("\n");
      return text.length <= maxLength ? text : `${text.slice(0, maxLength - 20)}\n(truncated)`;
    },
    renderJson: () => JSON.stringify({ version: 3, changes }),
    review: {
      hash: createHash("sha256").update(JSON.stringify(changes)).digest("hex"),
      prune: false,
      adopt: false,
      changes: changes
        .filter((change) => change.action !== "no-op")
        .map((change) => ({
          ...change,
          digest: createHash("sha256").update(JSON.stringify(change)).digest("hex"),
        })),
    },
    settings: { prune: false, adopt: false },
  };
}

export interface FakeRunner extends WaybillRunner {
  requests: { kind: "plan" | "apply" | "rollout" | "status"; request: ActionRunRequest }[];
  /** What each apply's approval callback answered (asked, as the engine runner does, only when the plan needs it). */
  evidence: (SharingApprovalEvidence | undefined)[];
}

export function fakeRunner(outcomes: {
  plan?: FakePlanOutcome;
  apply?: FakeApplyOutcome;
  rollout?: RolloutRunOutcome;
  status?: StatusRunOutcome;
}): FakeRunner {
  const requests: FakeRunner["requests"] = [];
  const evidence: FakeRunner["evidence"] = [];
  return {
    requests,
    evidence,
    async plan(request) {
      requests.push({ kind: "plan", request });
      if (outcomes.plan === undefined) throw new Error("fakeRunner: no plan outcome given");
      return planOutcome(outcomes.plan);
    },
    async apply(request, approval, review) {
      requests.push({ kind: "apply", request });
      const plan = outcomes.apply !== undefined && "plan" in outcomes.apply ? outcomes.apply.plan : undefined;
      // As the engine runner: the review is asked first, and its refusal applies nothing.
      const verdict = plan === undefined ? undefined : review?.(plan.review);
      if (plan !== undefined && verdict !== undefined && !verdict.apply)
        return applyOutcome({
          status: "refused",
          plan,
          reason: verdict.reason,
          differences: verdict.differences,
          diagnostics: [],
        });
      const needed = plan?.approvalNeeded;
      if (approval !== undefined && needed)
        evidence.push(await approval({ label: "sharing-approved", approvingReview: needed.reviewsApprove }));
      if (outcomes.apply === undefined) throw new Error("fakeRunner: no apply outcome given");
      return applyOutcome(outcomes.apply);
    },
    async status(request) {
      requests.push({ kind: "status", request });
      return (
        outcomes.status ?? {
          status: "read",
          headline: "0 configurations, 0 pipelines: 0 present, 0 missing, 0 extra",
          missing: [],
        }
      );
    },
    async rollout(request) {
      requests.push({ kind: "rollout", request });
      if (outcomes.rollout === undefined) throw new Error("fakeRunner: no rollout outcome given");
      return outcomes.rollout;
    },
  };
}

export function applied(
  change: PlannedChange,
  status: AppliedChange["status"],
  detail?: string,
): AppliedChange {
  return { ...change, status, ...(detail === undefined ? {} : { detail }) };
}
