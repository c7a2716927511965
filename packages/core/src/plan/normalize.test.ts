import { describe, expect, test } from "vitest";
import type { Distribution } from "../schema.js";
import { normalizeDistribution } from "./normalize.js";

const withSetDefault = (setDefaultVersion?: boolean): Distribution => ({
  region: "us-west-2",
  launchTemplateConfigurations: [
    {
      launchTemplateId: "lt-0123456789abcdef0",
      ...(setDefaultVersion === undefined ? {} : { setDefaultVersion }),
    },
  ],
});

describe("setDefaultVersion (the model: absent means true)", () => {
  test("absent and true are the same", () => {
    expect(normalizeDistribution(withSetDefault(true))).toEqual(normalizeDistribution(withSetDefault()));
  });

  test("false differs from absent", () => {
    expect(normalizeDistribution(withSetDefault(false))).not.toEqual(normalizeDistribution(withSetDefault()));
  });
});
