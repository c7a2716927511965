// `waybill plan [paths...]`.
import { renderPlanJson, renderPlanText, renderPreflightText } from "@waybill/core/render";
import type { CliIo, ParsedCommand } from "../io.js";
import { formatRunDiagnostic, openRunFor, stringFlag, useColor, writeUserFile } from "./context.js";
import { describeReadProgress, progressLine } from "./progress.js";
import { reportVerdict } from "./verdict.js";

export async function runPlan(parsed: ParsedCommand, io: CliIo): Promise<number> {
  const run = await openRunFor(parsed, io);
  const progress = progressLine(io);
  progress.update("Reading live state...");
  const result = await run
    .plan({
      refresh: parsed.values.refresh === true,
      onReadProgress: (read) => progress.update(describeReadProgress(read)),
    })
    .finally(() => progress.clear());
  if (result.status === "invalid") return reportVerdict(result.verdict, io);
  for (const diagnostic of result.diagnostics) io.stderr.write(`${formatRunDiagnostic(diagnostic)}\n`);
  const out = stringFlag(parsed, "out");
  if (out) await writeUserFile(io, out, renderPlanJson(result.plan));
  const markdown = stringFlag(parsed, "markdown");
  const preflight = result.preflight;
  if (markdown) await writeUserFile(io, markdown, result.markdown());
  io.stdout.write(
    parsed.values.json
      ? renderPlanJson(result.plan)
      : renderPlanText(result.plan, { color: useColor(parsed, io) }),
  );
  // Preflight's section goes after the plan; under --json the JSON carries it (its `preflight` member).
  if (preflight && !parsed.values.json) io.stdout.write(`\n${renderPreflightText(preflight)}`);
  return reportVerdict(result.verdict, io);
}
