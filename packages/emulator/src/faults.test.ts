import { describe, expect, test } from "vitest";
import { FaultInjector, mulberry32 } from "./faults.js";

describe("mulberry32", () => {
  test("is repeatable for a seed and differs between seeds", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    for (const value of first) expect(value >= 0 && value < 1).toBe(true);
  });
});

describe("FaultInjector", () => {
  test("no settings, no faults", () => {
    const faults = new FaultInjector();
    for (let index = 0; index < 100; index++)
      expect(faults.decide("GetDistributionConfiguration", "s")).toEqual({ kind: "none" });
  });

  test("the same seed gives the same sequence of decisions", () => {
    const decisions = (seed: number) => {
      const faults = new FaultInjector({ errorRate: 0.3, dropRate: 0.1, seed });
      return Array.from({ length: 200 }, () => faults.decide("ListDistributionConfigurations", "s").kind);
    };
    expect(decisions(5)).toEqual(decisions(5));
    expect(decisions(5)).not.toEqual(decisions(6));
    const kinds = decisions(5);
    const errors = kinds.filter((kind) => kind === "error").length;
    expect(errors).toBeGreaterThan(30);
    expect(errors).toBeLessThan(90);
    expect(kinds).toContain("drop");
  });

  test("throttling is a token bucket per operation and scope, refilled by the clock", () => {
    let now = 0;
    const faults = new FaultInjector({ throttleRps: 2 }, () => now);
    const take = (operation = "GetDistributionConfiguration", scope = "a") =>
      faults.decide(operation, scope).kind;
    expect([take(), take(), take()]).toEqual(["none", "none", "throttle"]);
    expect(take("ListDistributionConfigurations")).toBe("none");
    expect(take("GetDistributionConfiguration", "b")).toBe("none");
    now = 500; // half a second refills one request
    expect([take(), take()]).toEqual(["none", "throttle"]);
  });

  test("throttleScope: one bucket per region for all operations, or per account for all regions", () => {
    const now = 0;
    const region = new FaultInjector({ throttleRps: 2, throttleScope: "region" }, () => now);
    expect([
      region.decide("GetDistributionConfiguration", "111111111111:us-east-1").kind,
      region.decide("TagResource", "111111111111:us-east-1").kind,
      region.decide("ListDistributionConfigurations", "111111111111:us-east-1").kind,
      region.decide("ListDistributionConfigurations", "111111111111:eu-west-1").kind,
    ]).toEqual(["none", "none", "throttle", "none"]);
    const account = new FaultInjector({ throttleRps: 2, throttleScope: "account" }, () => now);
    expect([
      account.decide("GetDistributionConfiguration", "111111111111:us-east-1").kind,
      account.decide("TagResource", "111111111111:eu-west-1").kind,
      account.decide("ListDistributionConfigurations", "111111111111:ap-southeast-2").kind,
      account.decide("ListDistributionConfigurations", "222222222222:us-east-1").kind,
    ]).toEqual(["none", "none", "throttle", "none"]);
  });

  test("update changes settings at run time and a new seed restarts the sequence", () => {
    const faults = new FaultInjector({ seed: 9 });
    faults.update({ errorRate: 1 });
    expect(faults.decide("TagResource", "s").kind).toBe("error");
    expect(faults.current()).toMatchObject({ errorRate: 1, seed: 9 });
    faults.update({ errorRate: 0.5, seed: 1 });
    const first = Array.from({ length: 20 }, () => faults.decide("TagResource", "s"));
    faults.update({ seed: 1 });
    expect(Array.from({ length: 20 }, () => faults.decide("TagResource", "s"))).toEqual(first);
  });
});
