/** Writes src/aws-partitions.json from the installed AWS SDK (`pnpm --filter @waybill/core regions:write`). */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sdkPartitionsText } from "../src/testing/sdk-partitions.js";

const target = fileURLToPath(new URL("../src/aws-partitions.json", import.meta.url));
writeFileSync(target, sdkPartitionsText());
console.log(`wrote ${target}`);
