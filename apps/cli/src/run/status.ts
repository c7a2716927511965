// `waybill status [paths...]` and `waybill rollout [paths...]`: where the images are, and filling the gaps.
import type { ImageStatus, RolloutPlan } from "@waybill/core";
import { formatTargets, renderStatusHtml, renderStatusText, rolloutLines } from "@waybill/core/render";
import type { CliIo, ParsedCommand } from "../io.js";
import { formatRunDiagnostic, openRunFor, stringFlag, writeUserFile } from "./context.js";
import { describeReadProgress, progressLine } from "./progress.js";

function reportInvalid(
  diagnostics: Parameters<typeof formatRunDiagnostic>[0][],
  io: CliIo,
  what: string,
): number {
  for (const diagnostic of diagnostics) io.stderr.write(`${formatRunDiagnostic(diagnostic)}\n`);
  io.stderr.write(`waybill: ${what}\n`);
  return 1;
}

/** The `--json` form of a status (docs/rollout.md). */
export function statusJson(report: ImageStatus): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export async function runStatus(parsed: ParsedCommand, io: CliIo): Promise<number> {
  const run = await openRunFor(parsed, io);
  const progress = progressLine(io);
  progress.update("Reading live state, pipelines and images...");
  const result = await run
    .status({ onReadProgress: (read) => progress.update(describeReadProgress(read)) })
    .finally(() => progress.clear());
  if (result.status === "invalid")
    return reportInvalid(result.diagnostics, io, "the config files are not valid; nothing was read");
  for (const diagnostic of result.diagnostics) io.stderr.write(`${formatRunDiagnostic(diagnostic)}\n`);
  const html = stringFlag(parsed, "html");
  if (html) await writeUserFile(io, html, renderStatusHtml(result.report, { generatedAt: new Date() }));
  io.stdout.write(parsed.values.json ? statusJson(result.report) : renderStatusText(result.report));
  return 0;
}

function rolloutPlanText(plan: RolloutPlan): string {
  return `Rollout plan:\n${rolloutLines(plan)
    .map((line) => `  ${line}`)
    .join("\n")}\n`;
}

export async function runRollout(parsed: ParsedCommand, io: CliIo): Promise<number> {
  const run = await openRunFor(parsed, io);
  const execute = parsed.values.yes === true;
  const json = parsed.values.json === true;
  const progress = progressLine(io);
  progress.update("Reading live state, pipelines and images...");
  const result = await run
    .rollout({
      execute,
      onReadProgress: (read) => progress.update(describeReadProgress(read)),
      onProgress: (event) =>
        progress.update(
          `${event.item.pipeline.name} ${event.item.image.version}: ${event.status.toLowerCase()}`,
        ),
    })
    .finally(() => progress.clear());
  if (result.status === "invalid") return reportInvalid(result.diagnostics, io, "nothing was distributed");
  for (const diagnostic of result.diagnostics) io.stderr.write(`${formatRunDiagnostic(diagnostic)}\n`);
  if (result.status === "planned") {
    if (json)
      io.stdout.write(`${JSON.stringify({ executed: false, items: result.rollout.items }, null, 2)}\n`);
    else {
      io.stdout.write(rolloutPlanText(result.rollout));
      if (result.rollout.items.length > 0)
        io.stdout.write("Nothing was distributed: run again with --yes to distribute.\n");
    }
    return 0;
  }
  const results = result.results.map((entry) => ({
    pipeline: entry.item.pipeline.name,
    configuration: entry.item.configuration.name,
    region: entry.item.configuration.region,
    image: entry.item.image,
    status: entry.status,
    targets: entry.item.targets.map((target) => {
      const ami =
        entry.status === "distributed"
          ? entry.amis.find(
              (candidate) => candidate.region === target.region && candidate.accountId === target.accountId,
            )
          : undefined;
      return { ...target, ...(ami ? { ami: ami.image } : {}) };
    }),
    ...(entry.status === "failed" ? { reason: entry.reason } : {}),
    ...(entry.imageBuildVersionArn ? { imageBuildVersionArn: entry.imageBuildVersionArn } : {}),
  }));
  if (json)
    io.stdout.write(`${JSON.stringify({ executed: true, results, cleanedUp: result.cleanedUp }, null, 2)}\n`);
  else {
    if (results.length === 0) io.stdout.write(`${rolloutLines(result.rollout)[0]}\n`);
    for (const entry of results) {
      const what = `${entry.pipeline} ${entry.image.version} → ${formatTargets(entry.targets)}`;
      io.stdout.write(
        entry.status === "distributed" ? `ok      ${what}\n` : `failed  ${what}: ${entry.reason}\n`,
      );
    }
    for (const arn of result.cleanedUp)
      io.stdout.write(`deleted a leftover temporary configuration: ${arn}\n`);
  }
  if (!result.ok) {
    io.stderr.write("waybill: some targets failed; run rollout again to retry only what is still missing\n");
    return 1;
  }
  return 0;
}
