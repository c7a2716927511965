// `waybill plan [paths...]`.
import { hasChanges, renderPlanJson, renderPlanMarkdown, renderPlanText } from "@waybill/core";
import { planRepository } from "@waybill/engine";
import type { CliIo, ParsedCommand } from "../io.js";
import { reportConflicts } from "./conflicts.js";
import {
  formatRunDiagnostic,
  locationFor,
  openRunFor,
  stringFlag,
  useColor,
  writeUserFile,
} from "./context.js";
import { describeReadProgress, progressLine } from "./progress.js";

export async function runPlan(parsed: ParsedCommand, io: CliIo): Promise<number> {
  const { root, paths } = await locationFor(parsed, io);
  const { settings, aws } = await openRunFor(parsed, io, root);
  const progress = progressLine(io);
  progress.update("Reading live state...");
  const result = await planRepository({
    root,
    settings,
    paths,
    aws,
    refresh: parsed.values.refresh === true,
    onReadProgress: (read) => progress.update(describeReadProgress(read)),
  }).finally(() => progress.clear());
  if (result.status === "invalid") {
    for (const diagnostic of result.diagnostics) io.stderr.write(`${formatRunDiagnostic(diagnostic)}\n`);
    io.stderr.write("waybill: the config files are not valid; nothing was planned\n");
    return 1;
  }
  for (const diagnostic of result.diagnostics) io.stderr.write(`${formatRunDiagnostic(diagnostic)}\n`);
  const out = stringFlag(parsed, "out");
  if (out) await writeUserFile(io, out, renderPlanJson(result.plan));
  const markdown = stringFlag(parsed, "markdown");
  if (markdown) await writeUserFile(io, markdown, renderPlanMarkdown(result.plan));
  io.stdout.write(
    parsed.values.json
      ? renderPlanJson(result.plan)
      : renderPlanText(result.plan, { color: useColor(parsed, io) }),
  );
  if (reportConflicts(result.plan, io)) return 1;
  return hasChanges(result.plan) ? 2 : 0;
}
