// `waybill apply [paths...]`: plan, show, confirm, apply; or apply a saved plan.
import { createInterface } from "node:readline";
import type { ApplyResult, LiveStateProgress } from "@waybill/aws";
import { hasChanges, type Plan } from "@waybill/core";
import { parsePlanJson, renderPlanText } from "@waybill/core/render";
import { CliError } from "../errors.js";
import type { CliIo, ParsedCommand } from "../io.js";
import { openRunFor, readUserFile, stringFlag, useColor } from "./context.js";
import { describeReadProgress, progressLine } from "./progress.js";
import { reportVerdict } from "./verdict.js";

export async function runApply(parsed: ParsedCommand, io: CliIo): Promise<number> {
  const run = await openRunFor(parsed, io);
  const { settings } = run;
  const color = useColor(parsed, io);
  const planFile = stringFlag(parsed, "plan");
  // Reading live state shows one line, rewritten, on a terminal; cleared before anything else.
  const reading = progressLine(io);
  const onReadProgress = (read: LiveStateProgress) => reading.update(describeReadProgress(read));
  const refresh = parsed.values.refresh === true;

  let savedPlan: Plan | undefined;
  if (planFile) {
    const read = parsePlanJson(await readUserFile(io, planFile));
    if (!read.success) {
      const issue = read.issues[0];
      throw new CliError(
        `${planFile} is not a Waybill plan: ${issue?.path ? `${issue.path}: ` : ""}${issue?.message ?? "unreadable"}`,
      );
    }
    savedPlan = read.plan;
    if (savedPlan.stack !== settings.stack) {
      throw new CliError(`${planFile} was made for stack '${savedPlan.stack}', not '${settings.stack}'`);
    }
  } else if (!parsed.values.yes) {
    // Show the plan and ask; then apply exactly that plan (refused if live state moved meanwhile).
    reading.update("Reading live state...");
    const planned = await run
      .plan({ refresh, onReadProgress, preflight: false })
      .finally(() => reading.clear());
    if (planned.status === "invalid") return reportVerdict(planned.verdict, io);
    io.stdout.write(renderPlanText(planned.plan, { color }));
    // Nothing to apply: its conflicts (if any) still fail the run; no changes is not "changes" (2).
    if (!hasChanges(planned.plan)) return Math.min(reportVerdict(planned.verdict, io), 1);
    if (!io.isTTY)
      throw new CliError("apply asks for confirmation on a terminal; pass --yes to apply without asking");
    // The plan went to stdout: asking when that is a pipe or a file would confirm a plan nobody saw whole.
    if (!io.stdoutIsTTY)
      throw new CliError(
        "apply asks only when its plan is shown on the terminal, and stdout is not one: nothing was applied; pass --yes, or review with `plan --out plan.json` and run `apply --plan plan.json`",
      );
    const answer = await ask(io, "Apply these changes? Only 'yes' applies: ");
    if (answer.trim() !== "yes") {
      io.stderr.write("Apply cancelled; nothing was changed.\n");
      return 1;
    }
    savedPlan = planned.plan;
  }

  const progress = io.isTTY
    ? (result: ApplyResult, done: number, total: number) => {
        reading.clear();
        io.stderr.write(
          `[${done}/${total}] ${result.status} ${result.change.action} ${result.change.name} (${result.change.region})\n`,
        );
      }
    : undefined;
  const result = await run
    .apply({ refresh, onReadProgress, savedPlan, onResult: progress })
    .finally(() => reading.clear());
  if (result.status === "invalid") return reportVerdict(result.verdict, io);
  if (result.status === "stale" || result.status === "refused") {
    // The CLI passes no approval gate, so "refused" is not expected; said like a stale plan if it happens.
    const status = reportVerdict(result.verdict, io);
    io.stdout.write(renderPlanText(result.plan, { color }));
    return status;
  }
  if (parsed.values.json) {
    io.stdout.write(`${JSON.stringify({ ok: result.ok, results: result.results }, null, 2)}\n`);
  } else {
    if (!savedPlan || planFile) io.stdout.write(renderPlanText(result.plan, { color }));
    io.stdout.write(formatResults(result.results));
  }
  // Failures are on their lines; conflicts were skipped: the repository and live state still disagree.
  return reportVerdict(result.verdict, io);
}

/** One line per result, then a count. */
export function formatResults(results: ApplyResult[]): string {
  if (results.length === 0) return "Nothing to apply.\n";
  const lines = results.map((result) => {
    const what = `${result.change.action} ${result.change.name} in ${result.change.region}`;
    if (result.status === "ok") return `ok       ${what}`;
    if (result.status === "skipped") return `skipped  ${what}: ${result.reason ?? ""}`;
    return `FAILED   ${what}: ${result.error?.message ?? ""} (${result.error?.type ?? "unknown"})`;
  });
  const count = (status: ApplyResult["status"]) => results.filter((r) => r.status === status).length;
  lines.push(`Applied: ${count("ok")} ok, ${count("failed")} failed, ${count("skipped")} skipped.`);
  return `${lines.join("\n")}\n`;
}

function ask(io: CliIo, question: string): Promise<string> {
  io.stderr.write(question);
  return new Promise((resolve) => {
    const lines = createInterface({ input: io.stdin, terminal: false });
    let answered = false;
    lines.once("line", (line) => {
      answered = true;
      lines.close();
      resolve(line);
    });
    lines.once("close", () => {
      if (!answered) resolve("");
    });
  });
}
