import { expect, test } from "vitest";
import { invalidWhat } from "./verdict.js";

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
