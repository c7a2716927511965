// `waybill plan [paths...]`.
import { hasChanges } from "@waybill/core";
import {
  renderPlanJson,
  renderPlanMarkdown,
  renderPlanText,
  renderPreflightMarkdown,
  renderPreflightText,
} from "@waybill/core/render";
import { planRepository } from "@waybill/engine";
import type { CliIo, ParsedCommand } from "../io.js";
import { reportConflicts } from "./conflicts.js";
import {
  formatRunDiagnostic,
  invalidWhat,
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
    pruneAll: parsed.values["prune-all"] === true,
    onReadProgress: (read) => progress.update(describeReadProgress(read)),
  }).finally(() => progress.clear());
  if (result.status === "invalid") {
    for (const diagnostic of result.diagnostics) io.stderr.write(`${formatRunDiagnostic(diagnostic)}\n`);
    io.stderr.write(
      result.diagnostics.some((diagnostic) => diagnostic.code === "configuration-in-use")
        ? "waybill: a delete would fail at apply (an image pipeline uses the configuration); nothing was planned\n"
        : `waybill: ${invalidWhat(result.diagnostics)}; nothing was planned\n`,
    );
    return 1;
  }
  for (const diagnostic of result.diagnostics) io.stderr.write(`${formatRunDiagnostic(diagnostic)}\n`);
  const out = stringFlag(parsed, "out");
  if (out) await writeUserFile(io, out, renderPlanJson(result.plan));
  const markdown = stringFlag(parsed, "markdown");
  const preflight = result.preflight;
  if (markdown) {
    const comment = renderPlanMarkdown(result.plan);
    await writeUserFile(
      io,
      markdown,
      preflight ? `${comment}\n${renderPreflightMarkdown(preflight)}` : comment,
    );
  }
  io.stdout.write(
    parsed.values.json
      ? renderPlanJson(result.plan)
      : renderPlanText(result.plan, { color: useColor(parsed, io) }),
  );
  // Preflight's section goes after the plan; under --json the JSON carries it (its `preflight` member).
  if (preflight && !parsed.values.json) io.stdout.write(`\n${renderPreflightText(preflight)}`);
  if (reportConflicts(result.plan, io)) return 1;
  if (preflight?.findings.some((finding) => finding.severity === "error")) {
    io.stderr.write("waybill: preflight found errors; the build would fail (see the Preflight section)\n");
    return 1;
  }
  return hasChanges(result.plan) ? 2 : 0;
}
