/** The JSON Schema of config files, generated from the zod schema, for editors. */
import { z } from "zod";
import { configFileDocumentSchema } from "./schema.js";

/** Where the committed schema lives, relative to the package root. */
export const jsonSchemaFileName = "distribution-configuration.schema.json";

/** The JSON Schema (draft 2020-12) of one config file document. */
export function distributionConfigurationJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configFileDocumentSchema, {
    target: "draft-2020-12",
    unrepresentable: "throw",
  });
  return {
    $schema: generated.$schema,
    $id: "https://waybill.dev/schemas/distribution-configuration.schema.json",
    description:
      "An EC2 Image Builder distribution configuration managed by Waybill (the API's create request, plus an optional home region).",
    ...Object.fromEntries(Object.entries(generated).filter(([key]) => key !== "$schema")),
  };
}

/** The schema file's text: two-space JSON and a final newline. */
export function distributionConfigurationJsonSchemaText(): string {
  return `${JSON.stringify(distributionConfigurationJsonSchema(), null, 2)}\n`;
}
