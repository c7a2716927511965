import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import {
  distributionConfigurationJsonSchema,
  distributionConfigurationJsonSchemaText,
  jsonSchemaFileName,
} from "./json-schema.js";

function patterns(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(patterns);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === "pattern" && typeof inner === "string" ? [inner] : patterns(inner),
  );
}

describe("the JSON Schema", () => {
  test("the committed file is up to date (run pnpm --filter @waybill/core schema:write)", () => {
    const committed = readFileSync(
      fileURLToPath(new URL(`../${jsonSchemaFileName}`, import.meta.url)),
      "utf8",
    );
    expect(committed === distributionConfigurationJsonSchemaText()).toBe(true);
  });

  test("is strict and states the model's limits", () => {
    const schema = distributionConfigurationJsonSchema() as {
      additionalProperties: boolean;
      required: string[];
      properties: Record<string, { maxProperties?: number; pattern?: string }>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["distributions"]);
    expect(schema.properties.tags?.maxProperties).toBe(50);
    expect(schema.properties.name?.pattern).toBe("^[-_A-Za-z0-9][-_A-Za-z0-9 ]{1,126}[-_A-Za-z0-9]$");
  });

  test("every pattern compiles as a Unicode regular expression, as JSON Schema validators use them", () => {
    const found = patterns(distributionConfigurationJsonSchema());
    expect(found.length).toBeGreaterThan(10);
    for (const pattern of found) expect(() => new RegExp(pattern, "u")).not.toThrow();
  });
});
