/** A pipeline's schedule and next run in words: "next build: web-golden, weekly, next 2026-12-14 02:00 UTC". */
import type { Target } from "./types.js";

/**
 * A cron expression of Image Builder (`cron(minutes hours day-of-month month day-of-week year)`) as
 * a word when it is a common one (hourly, daily, weekly, monthly), else the expression itself.
 */
export function scheduleWord(expression: string): string {
  const match = /^cron\((.*)\)$/i.exec(expression.trim());
  const fields = match?.[1]?.trim().split(/\s+/) ?? [];
  if (fields.length < 5) return expression;
  const [, hours, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  const any = (field: string) => field === "*" || field === "?";
  if (!any(month)) return expression;
  if (any(dayOfMonth) && any(dayOfWeek)) return any(hours) || hours.includes("/") ? "hourly" : "daily";
  if (any(dayOfMonth) && /^[A-Za-z0-9#L]+$/.test(dayOfWeek)) return "weekly";
  if (/^\d+$/.test(dayOfMonth) && any(dayOfWeek)) return "monthly";
  return expression;
}

/** An API date as `2026-12-14 02:00 UTC`; the text itself when it is no date. */
export function formatRunDate(date: string): string {
  const parsed = Date.parse(date);
  if (Number.isNaN(parsed)) return date;
  const iso = new Date(parsed).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export interface PipelineSchedule {
  name: string;
  status: string;
  schedule?: string | undefined;
  dateNextRun?: string | undefined;
}

/** When the pipeline builds next, in one line. */
export function nextBuildLine(pipeline: PipelineSchedule): string {
  if (pipeline.status === "DISABLED") return `disabled: ${pipeline.name}; no build will pick this up`;
  if (pipeline.schedule === undefined)
    return `no schedule: ${pipeline.name} builds only when started by hand`;
  const next = pipeline.dateNextRun === undefined ? "" : `, next ${formatRunDate(pipeline.dateNextRun)}`;
  return `next build: ${pipeline.name}, ${scheduleWord(pipeline.schedule)}${next}`;
}

export function formatTarget(target: Target): string {
  return `${target.region} (${target.accountId})`;
}

/** Targets as `eu-west-1 (111111111111), eu-north-1 (222222222222)`. */
export function formatTargets(targets: readonly Target[]): string {
  return targets.map(formatTarget).join(", ");
}

/** How an added target gets the pipeline's current image: the next build, or `waybill rollout` after apply. */
export function gapLine(
  pipeline: PipelineSchedule & { image: { version: string } | null },
  missing: readonly Target[],
): string {
  const image = pipeline.image === null ? "its image" : `image ${pipeline.image.version}`;
  const subject = `${pipeline.name}'s ${image} is not in ${formatTargets(missing)}`;
  if (pipeline.status === "DISABLED" || pipeline.schedule === undefined)
    return `${subject}: no build is scheduled; run \`waybill rollout\` right after apply to put it there`;
  const next = pipeline.dateNextRun === undefined ? "" : ` (${formatRunDate(pipeline.dateNextRun)})`;
  return `${subject}: the next build${next} puts it there, or run \`waybill rollout\` right after apply`;
}
