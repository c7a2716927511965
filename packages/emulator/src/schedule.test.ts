import { describe, expect, test } from "vitest";
import { isKnownTimezone, nextRun, parseScheduleExpression } from "./schedule.js";

function next(expression: string, after: string, timezone = "UTC", anchor = after): string | undefined {
  const parsed = parseScheduleExpression(expression);
  if (!parsed.ok) throw new Error(parsed.reason);
  const ms = nextRun(parsed.expression, timezone, Date.parse(after), Date.parse(anchor));
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

describe("parseScheduleExpression", () => {
  test("accepts Image Builder's six-field cron and rate expressions", () => {
    for (const text of [
      "cron(0 0 * * ? *)",
      "cron(0 2 ? * MON *)",
      "cron(15,45 8-18/2 ? JAN-MAR,DEC 2-6 2026-2030)",
      "cron(0 0 L * ? *)",
      "cron(0 0 ? * 2#1 *)",
      "cron(0 0 15W * ? *)",
      "cron(0 0 ? * FRIL *)",
      "rate(1 day)",
      "rate(12 hours)",
    ]) {
      expect([text, parseScheduleExpression(text).ok]).toEqual([text, true]);
    }
  });

  test("refuses five fields, both day fields, values out of range and bad rates, saying why", () => {
    const reasons = [
      "cron(0 0 * * *)",
      "cron(0 0 * * 1 *)",
      "cron(60 0 * * ? *)",
      "cron(0 0 ? 13 * *)",
      "cron(0 0 * * ? 1969)",
      "rate(1 days)",
      "rate(0 hours)",
      "cron(0 0 32W * ? *)",
      "cron(0 0 ? * 8#1 *)",
      "weekly",
    ].map((text) => {
      const parsed = parseScheduleExpression(text);
      return parsed.ok ? `${text}: accepted` : parsed.reason;
    });
    expect(reasons).toEqual([
      expect.stringContaining("use cron(<minute> <hour> <day> <month> <day of week> <year>)"),
      expect.stringContaining("exactly one of day and day of week must be '?'"),
      expect.stringContaining("the minute field '60' is not within 0-59"),
      expect.stringContaining("the month field '13' is not within 1-12"),
      expect.stringContaining("the year field '1969' is not within 1970-2199"),
      expect.stringContaining("is not a valid rate expression"),
      expect.stringContaining("is not a valid rate expression"),
      expect.stringContaining("the day field '32W' is not within 1-31"),
      expect.stringContaining("the day of week field '8#1' is not within 1-7"),
      expect.stringContaining("is not a valid schedule expression"),
    ]);
  });
});

describe("nextRun", () => {
  test("the first matching minute strictly after the time given", () => {
    // 2026-12-07 is a Monday.
    expect(next("cron(0 2 ? * MON *)", "2026-12-07T01:59:00.000Z")).toBe("2026-12-07T02:00:00.000Z");
    expect(next("cron(0 2 ? * MON *)", "2026-12-07T02:00:00.000Z")).toBe("2026-12-14T02:00:00.000Z");
    expect(next("cron(*/15 * * * ? *)", "2026-12-07T10:07:30.000Z")).toBe("2026-12-07T10:15:00.000Z");
    expect(next("cron(0 0 1 JAN ? *)", "2026-12-07T00:00:00.000Z")).toBe("2027-01-01T00:00:00.000Z");
    expect(next("cron(0 0 29 FEB ? *)", "2026-03-01T00:00:00.000Z")).toBe("2028-02-29T00:00:00.000Z");
    expect(next("cron(0 0 1 1 ? 2030)", "2026-03-01T00:00:00.000Z")).toBe("2030-01-01T00:00:00.000Z");
    expect(next("cron(0 0 1 1 ? 2020)", "2026-03-01T00:00:00.000Z")).toBeUndefined();
  });

  test("L, W and # in the day fields", () => {
    // December 2026: the 1st is a Tuesday, the 31st a Thursday; the 5th and 6th a weekend.
    expect(next("cron(0 0 L * ? *)", "2026-12-07T00:00:00.000Z")).toBe("2026-12-31T00:00:00.000Z");
    expect(next("cron(0 0 L * ? *)", "2027-02-01T00:00:00.000Z")).toBe("2027-02-28T00:00:00.000Z");
    // January 2027 ends on a Sunday: its last weekday is Friday the 29th.
    expect(next("cron(0 0 LW * ? *)", "2027-01-01T00:00:00.000Z")).toBe("2027-01-29T00:00:00.000Z");
    // The weekday nearest Saturday the 5th is Friday the 4th; nearest Sunday the 6th, Monday the 7th.
    expect(next("cron(0 0 5W * ? *)", "2026-12-01T00:00:00.000Z")).toBe("2026-12-04T00:00:00.000Z");
    expect(next("cron(0 0 6W * ? *)", "2026-12-01T00:00:00.000Z")).toBe("2026-12-07T00:00:00.000Z");
    // The first Monday of each month, the last Friday, and Saturday as L.
    expect(next("cron(0 0 ? * 2#1 *)", "2026-12-08T00:00:00.000Z")).toBe("2027-01-04T00:00:00.000Z");
    expect(next("cron(0 0 ? * FRI#1 *)", "2026-12-01T00:00:00.000Z")).toBe("2026-12-04T00:00:00.000Z");
    expect(next("cron(0 0 ? * 6L *)", "2026-12-01T00:00:00.000Z")).toBe("2026-12-25T00:00:00.000Z");
    expect(next("cron(0 0 ? * L *)", "2026-12-01T00:00:00.000Z")).toBe("2026-12-05T00:00:00.000Z");
  });

  test("in the schedule's time zone, across daylight saving time", () => {
    // 02:00 in Los Angeles is 10:00 UTC in winter (PST) and 09:00 UTC in summer (PDT).
    expect(next("cron(0 2 ? * MON *)", "2026-12-07T00:00:00.000Z", "America/Los_Angeles")).toBe(
      "2026-12-07T10:00:00.000Z",
    );
    expect(next("cron(0 2 ? * MON *)", "2026-06-01T00:00:00.000Z", "America/Los_Angeles")).toBe(
      "2026-06-01T09:00:00.000Z",
    );
    expect(isKnownTimezone("Europe/Paris")).toBe(true);
    expect(isKnownTimezone("Mars/Olympus")).toBe(false);
  });

  test("a rate runs every period from the anchor", () => {
    expect(next("rate(1 day)", "2026-12-07T10:00:00.000Z", "UTC", "2026-12-01T08:30:00.000Z")).toBe(
      "2026-12-08T08:30:00.000Z",
    );
    expect(next("rate(6 hours)", "2026-12-01T08:30:00.000Z", "UTC", "2026-12-01T08:30:00.000Z")).toBe(
      "2026-12-01T14:30:00.000Z",
    );
  });
});
