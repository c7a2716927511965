import { expect, test } from "vitest";
import { appliedVerdict, invalidVerdict, invalidWhat } from "./verdict.js";

const at = (file: string, severity: "error" | "warning" = "error") => ({
  file,
  line: 1,
  column: 1,
  severity,
  path: "",
  code: "settings-invalid" as const,
  message: "m",
});

test("the closing line names the settings file when only it failed, the config files when only they did, else both", () => {
  expect(invalidWhat([at("waybill.config.yaml")])).toBe("waybill.config.yaml is not valid");
  expect(invalidWhat([at("waybill/a.yaml"), at("waybill.config.yaml", "warning")])).toBe(
    "the config files are not valid",
  );
  expect(invalidWhat([at("waybill/a.yaml"), at("waybill.config.yaml")])).toBe(
    "waybill.config.yaml and the config files are not valid",
  );
});

test("invalid files: exit 1, the diagnostics as the one reason, and a headline that counts them", () => {
  const diagnostics = [at("waybill/a.yaml"), at("waybill/b.yaml"), at("waybill/b.yaml", "warning")];
  expect(invalidVerdict(diagnostics, "plan")).toEqual({
    exitCode: 1,
    headline: "2 errors, 1 warning in the configuration files: nothing was planned.",
    reasons: [
      {
        kind: "invalid",
        message: "the config files are not valid; nothing was planned",
        diagnostics,
        errors: 2,
      },
    ],
    warnings: [],
  });
  expect(invalidVerdict([at("waybill.config.yaml")], "apply").reasons[0]?.message).toBe(
    "waybill.config.yaml is not valid; nothing was applied",
  );
});

test("a delete a pipeline blocks is said as such, at plan and at apply", () => {
  const inUse = [{ ...at("waybill/a.yaml"), code: "configuration-in-use" as const }];
  expect(invalidVerdict(inUse, "plan").reasons[0]?.message).toBe(
    "a delete would fail at apply (an image pipeline uses the configuration); nothing was planned",
  );
  expect(invalidVerdict(inUse, "apply").reasons[0]?.message).toBe(
    "a delete would fail (an image pipeline uses the configuration); nothing was applied",
  );
});

test("an apply: failed changes and conflicts fail it, its headline counts the results", () => {
  const plan = { stack: "platform", changes: [] } as unknown as Parameters<typeof appliedVerdict>[0];
  const result = (status: "ok" | "failed" | "skipped") =>
    ({ status, change: {} }) as Parameters<typeof appliedVerdict>[1][number];
  expect(appliedVerdict(plan, [result("ok"), result("failed")], [], {})).toMatchObject({
    exitCode: 1,
    headline: "Applied: 1 change done, 1 failed, 0 skipped.",
    reasons: [{ kind: "failed", message: "1 of 2 changes failed", failed: 1, of: 2 }],
  });
  expect(appliedVerdict(plan, [result("ok"), result("skipped")], [], {})).toMatchObject({
    exitCode: 0,
    reasons: [],
  });
});
