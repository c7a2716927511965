// A pipeline's schedule: Image Builder's cron and rate expressions, checked, and their next run computed.
//
// Image Builder's cron has six fields, `cron(<minute> <hour> <day> <month> <day of week> <year>)`, in
// UTC or the schedule's IANA `timezone`; day of week 1-7 is SUN-SAT, and one of day and day of week
// is `?` (user guide, "Use cron expressions in EC2 Image Builder"). The API reference also names rate
// expressions, `rate(1 day)`. Day of month takes `L` (the last day), `LW` (the last weekday) and `15W`
// (the weekday nearest the 15th, within the month); day of week takes `L` (Saturday, the week's last
// day), `6L` (the month's last Friday) and `2#1` (its first Monday), as EventBridge-style crons do.

/** A day of the calendar, as the day fields see it. */
interface CalendarDay {
  day: number;
  /** 1-7, Sunday to Saturday. */
  weekday: number;
  /** The number of days in the month. */
  lastDay: number;
  year: number;
  month: number;
}

type DayRule = (day: CalendarDay) => boolean;

/** A schedule expression, parsed. */
export type ScheduleExpression =
  | {
      kind: "cron";
      minutes: Set<number>;
      hours: Set<number>;
      months: Set<number>;
      years: Set<number>;
      /** Whether a day matches the day and day-of-week fields (one of them is `?`). */
      dayMatches: DayRule;
    }
  | { kind: "rate"; everyMs: number };

export type ParsedSchedule = { ok: true; expression: ScheduleExpression } | { ok: false; reason: string };

const monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

function fieldValue(text: string, min: number, names: string[] | undefined): number | undefined {
  const named = names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + min;
  if (!/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** The values a cron field allows, or a reason it is not valid. */
function parseField(
  text: string,
  label: string,
  min: number,
  max: number,
  names?: string[],
): Set<number> | string {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const [range = "", stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) return `the ${label} field has a bad increment '${part}'`;
    let low = min;
    let high = max;
    if (range !== "*") {
      const [first = "", last] = range.split("-");
      const from = fieldValue(first, min, names);
      const to = last === undefined ? (stepText === undefined ? from : max) : fieldValue(last, min, names);
      if (from === undefined || to === undefined || from < min || to > max || from > to) {
        return `the ${label} field '${part}' is not within ${min}-${max}`;
      }
      low = from;
      high = to;
    }
    for (let value = low; value <= high; value += step) values.add(value);
  }
  return values;
}

// 0-6, Sunday to Saturday, of a date of the month.
function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

// The weekday (Monday to Friday) nearest the `wanted` day, without leaving the month.
function nearestWeekday(calendar: CalendarDay, wanted: number): number {
  const target = Math.min(wanted, calendar.lastDay);
  const weekday = weekdayOf(calendar.year, calendar.month, target);
  if (weekday === 6) return target === 1 ? 3 : target - 1;
  if (weekday === 0) return target === calendar.lastDay ? target - 2 : target + 1;
  return target;
}

function parseDayOfMonth(text: string): DayRule | string {
  if (text === "?") return () => true;
  if (text === "L") return (calendar) => calendar.day === calendar.lastDay;
  if (text === "LW") return (calendar) => calendar.day === nearestWeekday(calendar, calendar.lastDay);
  const weekday = /^(\d+)W$/.exec(text);
  if (weekday !== null) {
    const wanted = Number(weekday[1]);
    if (wanted < 1 || wanted > 31) return `the day field '${text}' is not within 1-31`;
    return (calendar) => calendar.day === nearestWeekday(calendar, wanted);
  }
  const days = parseField(text, "day", 1, 31);
  return typeof days === "string" ? days : (calendar) => days.has(calendar.day);
}

function parseDayOfWeek(text: string): DayRule | string {
  if (text === "?") return () => true;
  if (text === "L") return (calendar) => calendar.weekday === 7;
  const special = /^([0-9A-Z]+)(?:L|#([1-5]))$/.exec(text);
  if (special !== null) {
    const weekday = fieldValue(special[1] as string, 1, dayNames);
    if (weekday === undefined || weekday < 1 || weekday > 7) {
      return `the day of week field '${text}' is not within 1-7`;
    }
    const nth = special[2];
    if (nth === undefined) {
      return (calendar) => calendar.weekday === weekday && calendar.day + 7 > calendar.lastDay;
    }
    return (calendar) => calendar.weekday === weekday && Math.ceil(calendar.day / 7) === Number(nth);
  }
  const weekdays = parseField(text, "day of week", 1, 7, dayNames);
  return typeof weekdays === "string" ? weekdays : (calendar) => weekdays.has(calendar.weekday);
}

/** Checks a schedule expression (`cron(...)` or `rate(...)`) the way Image Builder reads it. */
export function parseScheduleExpression(text: string): ParsedSchedule {
  const rate = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(text);
  if (rate !== null) {
    const value = Number(rate[1]);
    const unit = rate[2] as string;
    if (value < 1 || (value === 1) !== !unit.endsWith("s")) {
      return { ok: false, reason: `'${text}' is not a valid rate expression.` };
    }
    const unitMs = unit.startsWith("minute") ? 60_000 : unit.startsWith("hour") ? 3_600_000 : 86_400_000;
    return { ok: true, expression: { kind: "rate", everyMs: value * unitMs } };
  }
  const cron = /^cron\((.*)\)$/.exec(text);
  const fields = cron?.[1]?.split(" ");
  if (fields === undefined || fields.length !== 6 || fields.some((field) => field === "")) {
    return {
      ok: false,
      reason: `'${text}' is not a valid schedule expression: use cron(<minute> <hour> <day> <month> <day of week> <year>) or rate(<value> <unit>).`,
    };
  }
  const [minute, hour, day, month, weekday, year] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if ((day === "?") === (weekday === "?")) {
    return { ok: false, reason: `'${text}': exactly one of day and day of week must be '?'.` };
  }
  const fail = (reason: string): ParsedSchedule => ({ ok: false, reason: `'${text}': ${reason}.` });
  const minutes = parseField(minute, "minute", 0, 59);
  if (typeof minutes === "string") return fail(minutes);
  const hours = parseField(hour, "hour", 0, 23);
  if (typeof hours === "string") return fail(hours);
  const months = parseField(month, "month", 1, 12, monthNames);
  if (typeof months === "string") return fail(months);
  const years = parseField(year, "year", 1970, 2199);
  if (typeof years === "string") return fail(years);
  const dayRule = parseDayOfMonth(day.toUpperCase());
  if (typeof dayRule === "string") return fail(dayRule);
  const weekdayRule = parseDayOfWeek(weekday.toUpperCase());
  if (typeof weekdayRule === "string") return fail(weekdayRule);
  const dayMatches: DayRule = (calendar) => dayRule(calendar) && weekdayRule(calendar);
  return { ok: true, expression: { kind: "cron", minutes, hours, months, years, dayMatches } };
}

/** Whether `timezone` is an IANA time zone this runtime knows. */
export function isKnownTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(ms: number, timezone: string): WallClock {
  let format = formatters.get(timezone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    formatters.set(timezone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(ms).map((part) => [part.type, part.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

function utcOf(clock: WallClock): number {
  return Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute);
}

// The instant a wall-clock time names in `timezone` (the later reading in a DST overlap, shifted in a gap).
function instantOf(clock: WallClock, timezone: string): number {
  const guess = utcOf(clock);
  const offset = utcOf(wallClock(guess, timezone)) - guess;
  const first = guess - offset;
  const secondOffset = utcOf(wallClock(first, timezone)) - first;
  return secondOffset === offset ? first : guess - secondOffset;
}

const sorted = (values: Set<number>) => [...values].sort((a, b) => a - b);

/**
 * The first run strictly after `afterMs`, or undefined when no time before 2200 matches. A rate runs
 * every period from `anchorMs`.
 */
export function nextRun(
  expression: ScheduleExpression,
  timezone: string,
  afterMs: number,
  anchorMs: number,
): number | undefined {
  if (expression.kind === "rate") {
    const periods = Math.floor((afterMs - anchorMs) / expression.everyMs) + 1;
    return anchorMs + Math.max(1, periods) * expression.everyMs;
  }
  const start = wallClock(Math.floor(afterMs / 60_000) * 60_000 + 60_000, timezone);
  const hours = sorted(expression.hours);
  const minutes = sorted(expression.minutes);
  const date = new Date(Date.UTC(start.year, start.month - 1, start.day));
  let firstDay = true;
  while (date.getUTCFullYear() <= 2199) {
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    if (!expression.years.has(year)) {
      date.setUTCFullYear(year + 1, 0, 1);
      firstDay = false;
      continue;
    }
    if (!expression.months.has(month)) {
      date.setUTCMonth(month, 1);
      firstDay = false;
      continue;
    }
    const day = date.getUTCDate();
    const calendar: CalendarDay = {
      year,
      month,
      day,
      weekday: date.getUTCDay() + 1,
      lastDay: new Date(Date.UTC(year, month, 0)).getUTCDate(),
    };
    if (expression.dayMatches(calendar)) {
      for (const hour of hours) {
        for (const minute of minutes) {
          if (firstDay && (hour < start.hour || (hour === start.hour && minute < start.minute))) continue;
          const instant = instantOf({ year, month, day, hour, minute }, timezone);
          if (instant > afterMs) return instant;
        }
      }
    }
    date.setUTCDate(day + 1);
    firstDay = false;
  }
  return undefined;
}
