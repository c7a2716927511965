import { describe, expect, test } from "vitest";
import { mapWithConcurrency } from "./concurrency.js";

describe("mapWithConcurrency", () => {
  test("keeps input order and never exceeds the limit", async () => {
    let inFlight = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    const pending = mapWithConcurrency([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise<void>((resolve) => gates.push(resolve));
      inFlight--;
      return n * 10;
    });
    // Release tasks one at a time, in reverse of arrival, until all are done.
    while (gates.length > 0 || inFlight > 0) {
      await Promise.resolve();
      const release = gates.pop();
      if (release) release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await pending).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(peak).toBe(3);
  });

  test("handles an empty list and rejects a bad limit", async () => {
    expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
    await expect(mapWithConcurrency([1], 0, async () => 1)).rejects.toThrow(RangeError);
  });
});
