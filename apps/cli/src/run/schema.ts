// `waybill schema`: the JSON Schema of config files, as core generates it.
import { distributionConfigurationJsonSchemaText } from "@waybill/core";
import type { CliIo, ParsedCommand } from "../io.js";

export async function runSchema(_parsed: ParsedCommand, io: CliIo): Promise<number> {
  io.stdout.write(distributionConfigurationJsonSchemaText());
  return 0;
}
