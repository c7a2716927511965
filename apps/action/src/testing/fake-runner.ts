/** In-memory WaybillRunner and plan builders for tests of the action's GitHub side. */
import { createHash } from "node:crypto";
import { CHANGE_ACTIONS, type ChangeAction, hasChanges, type SharingApprovalEvidence } from "@waybill/core";
import type {
  AppliedChange,
  ApplyRunOutcome,
  PlannedChange,
  PlanReport,
  PlanRunOutcome,
  RolloutRunOutcome,
  RunRequest,
  StatusRunOutcome,
  WaybillRunner,
} from "../runner.js";

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
  return {
    stack: "platform",
    changes,
    counts,
    headline,
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
  requests: { kind: "plan" | "apply" | "rollout" | "status"; request: RunRequest }[];
  /** What each apply's approval callback answered (asked, as the engine runner does, only when the plan needs it). */
  evidence: (SharingApprovalEvidence | undefined)[];
}

export function fakeRunner(outcomes: {
  plan?: PlanRunOutcome;
  apply?: ApplyRunOutcome;
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
      return outcomes.plan;
    },
    async apply(request, approval, review) {
      requests.push({ kind: "apply", request });
      const plan = outcomes.apply !== undefined && "plan" in outcomes.apply ? outcomes.apply.plan : undefined;
      // As the engine runner: the review is asked first, and its refusal applies nothing.
      const verdict = plan === undefined ? undefined : review?.(plan);
      if (plan !== undefined && verdict !== undefined && !verdict.apply)
        return {
          status: "refused",
          plan,
          reason: verdict.reason,
          differences: verdict.differences,
          diagnostics: [],
        };
      const needed = plan?.approvalNeeded;
      if (approval !== undefined && needed)
        evidence.push(await approval({ label: "sharing-approved", approvingReview: needed.reviewsApprove }));
      if (outcomes.apply === undefined) throw new Error("fakeRunner: no apply outcome given");
      return outcomes.apply;
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
