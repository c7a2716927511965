// `waybill apply [paths...]`: plan, show, confirm, apply; or apply a saved plan.
import { createInterface } from "node:readline";
import type { ApplyResult, LiveStateProgress } from "@waybill/aws";
import { hasChanges, type Plan } from "@waybill/core";
import { parsePlanJson, renderPlanText } from "@waybill/core/render";
import { applyRepository, planRepository } from "@waybill/engine";
import { CliError } from "../errors.js";
import type { CliIo, ParsedCommand } from "../io.js";
import { reportConflicts } from "./conflicts.js";
import {
  formatRunDiagnostic,
  invalidWhat,
  locationFor,
  openRunFor,
  readUserFile,
  stringFlag,
  useColor,
} from "./context.js";
import { describeReadProgress, progressLine } from "./progress.js";

export async function runApply(parsed: ParsedCommand, io: CliIo): Promise<number> {
  const { root, paths } = await locationFor(parsed, io);
  const { settings, aws } = await openRunFor(parsed, io, root);
  const color = useColor(parsed, io);
  const planFile = stringFlag(parsed, "plan");
  // Reading live state shows one line, rewritten, on a terminal; cleared before anything else.
  const reading = progressLine(io);
  const onReadProgress = (read: LiveStateProgress) => reading.update(describeReadProgress(read));
  const refresh = parsed.values.refresh === true;
  const pruneAll = parsed.values["prune-all"] === true;

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
    const planned = await planRepository({
      root,
      settings,
      paths,
      aws,
      refresh,
      pruneAll,
      onReadProgress,
    }).finally(() => reading.clear());
    if (planned.status === "invalid") return reportInvalid(planned.diagnostics, io);
    io.stdout.write(renderPlanText(planned.plan, { color }));
    if (!hasChanges(planned.plan)) return reportConflicts(planned.plan, io) ? 1 : 0;
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
  const result = await applyRepository({
    root,
    settings,
    paths,
    aws,
    refresh,
    pruneAll,
    onReadProgress,
    ...(savedPlan ? { savedPlan } : {}),
    ...(progress ? { onResult: progress } : {}),
  }).finally(() => reading.clear());
  if (result.status === "invalid") return reportInvalid(result.diagnostics, io);
  if (result.status === "stale" || result.status === "refused") {
    // The CLI passes no approval gate, so "refused" is not expected; said like a stale plan if it happens.
    io.stderr.write(`waybill: ${result.reason}\n`);
    io.stdout.write(renderPlanText(result.plan, { color }));
    return 1;
  }
  if (parsed.values.json) {
    io.stdout.write(`${JSON.stringify({ ok: result.ok, results: result.results }, null, 2)}\n`);
  } else {
    if (!savedPlan || planFile) io.stdout.write(renderPlanText(result.plan, { color }));
    io.stdout.write(formatResults(result.results));
  }
  // Conflicts were skipped: the repository and live state still disagree.
  const conflicts = reportConflicts(result.plan, io);
  return result.ok && !conflicts ? 0 : 1;
}

function reportInvalid(diagnostics: Parameters<typeof formatRunDiagnostic>[0][], io: CliIo): number {
  for (const diagnostic of diagnostics) io.stderr.write(`${formatRunDiagnostic(diagnostic)}\n`);
  io.stderr.write(
    diagnostics.some((diagnostic) => diagnostic.code === "configuration-in-use")
      ? "waybill: a delete would fail (an image pipeline uses the configuration); nothing was applied\n"
      : `waybill: ${invalidWhat(diagnostics)}; nothing was applied\n`,
  );
  return 1;
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
