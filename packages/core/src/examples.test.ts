// The example repository (examples/basic) validates cleanly under its own policy.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { type Policy, policySchema } from "./policy.js";
import { validateConfigFiles } from "./validate/validation.js";

const example = fileURLToPath(new URL("../../../examples/basic/", import.meta.url));

describe("examples/basic", () => {
  test("every config file validates with the example's policy and default region", () => {
    const settings = parse(readFileSync(`${example}waybill.config.yaml`, "utf8")) as {
      defaultRegion: string;
      policy: unknown;
    };
    const policy: Policy = policySchema.parse(settings.policy);
    const names = readdirSync(`${example}waybill`).sort();
    expect(names).toEqual(["app-base.json", "web-base.yaml"]);
    const result = validateConfigFiles(
      names.map((name) => ({
        path: `waybill/${name}`,
        text: readFileSync(`${example}waybill/${name}`, "utf8"),
      })),
      { defaultRegion: settings.defaultRegion, policy },
    );
    expect(result.diagnostics).toEqual([]);
    expect(
      result.ok && result.documents.map((d) => [d.document.name, d.region, d.document.distributions.length]),
    ).toEqual([
      ["app-base", "us-west-2", 2],
      ["web-base", "us-west-2", 3],
    ]);
  });
});
