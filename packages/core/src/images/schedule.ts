/** A pipeline's schedule and next run in words: "next build: web-golden, weekly, next 2026-12-14 02:00 UTC". */
import type { Target } from "./image-model.js";

/**
 * A cron expression of Image Builder (`cron(minutes hours day-of-month month day-of-week year)`) as
 * a word only when the word is exact: minute a single number, hour a single number (daily, weekly
 * on one day, monthly on one date) or `*` with every day (hourly), every month and year. Anything
 * else (a step of hours such as `0/6`, hour lists or ranges, `2#1`, `6L`, `L`, `W`) is the expression itself.
 */
export function scheduleWord(expression: string): string {
  const match = /^cron\((.*)\)$/i.exec(expression.trim());
  const fields = match?.[1]?.trim().split(/\s+/) ?? [];
  if (fields.length < 5 || fields.length > 6) return expression;
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year = "*"] = fields as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  const any = (field: string) => field === "*" || field === "?";
  const single = (field: string) => /^\d{1,2}$/.test(field);
  if (!single(minutes) || !any(month) || !any(year)) return expression;
  if (hours === "*") return any(dayOfMonth) && any(dayOfWeek) ? "hourly" : expression;
  if (!single(hours)) return expression;
  if (any(dayOfMonth) && any(dayOfWeek)) return "daily";
  if (any(dayOfMonth) && /^([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)$/i.test(dayOfWeek)) return "weekly";
  if (/^\d{1,2}$/.test(dayOfMonth) && any(dayOfWeek)) return "monthly";
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
  /** `pipelineExecutionStartCondition`; absent means the service's default (see {@link buildsOnlyOnUpdates}). */
  startCondition?: string | undefined;
  dateNextRun?: string | undefined;
}

/**
 * Whether a scheduled run builds only when the recipe's dependencies changed: the start condition
 * `EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE`, which is the default when none is set (the
 * model's `pipelineExecutionStartCondition`: "If no value is set Image Builder defaults to
 * EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE"). Only `EXPRESSION_MATCH_ONLY` always builds.
 */
export function buildsOnlyOnUpdates(pipeline: PipelineSchedule): boolean {
  return pipeline.startCondition !== "EXPRESSION_MATCH_ONLY";
}

/** When the pipeline builds next, in one line. */
export function nextBuildLine(pipeline: PipelineSchedule): string {
  if (pipeline.status === "DISABLED") return `disabled: ${pipeline.name}; no build will pick this up`;
  if (pipeline.schedule === undefined)
    return `no schedule: ${pipeline.name} builds only when started by hand`;
  const next = pipeline.dateNextRun === undefined ? "" : `, next ${formatRunDate(pipeline.dateNextRun)}`;
  const condition = buildsOnlyOnUpdates(pipeline) ? ", builds only if its dependencies changed" : "";
  return `next build: ${pipeline.name}, ${scheduleWord(pipeline.schedule)}${next}${condition}`;
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
  if (buildsOnlyOnUpdates(pipeline))
    return `${subject}: the next scheduled run${next} builds only if the recipe's dependencies changed; run \`waybill rollout\` right after apply to put it there`;
  return `${subject}: the next build${next} puts it there, or run \`waybill rollout\` right after apply`;
}
