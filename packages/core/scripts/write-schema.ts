/** Writes the JSON Schema generated from the zod schema (`pnpm --filter @waybill/core schema:write`). */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { distributionConfigurationJsonSchemaText, jsonSchemaFileName } from "../src/json-schema.js";

const target = fileURLToPath(new URL(`../${jsonSchemaFileName}`, import.meta.url));
writeFileSync(target, distributionConfigurationJsonSchemaText());
console.log(`wrote ${target}`);
