// `waybill schema`: the JSON Schema of config files, generated from core's zod schema.
import { configFileDocumentSchema } from "@waybill/core";
import type { CliIo, ParsedCommand } from "../io.js";

/** The JSON Schema of one config file document (draft 2020-12). */
export function configFileJsonSchema(): Record<string, unknown> {
  // Shim until core exports its own generator: the same zod schema core validates with.
  const generated = configFileDocumentSchema.toJSONSchema({ io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return {
    ...generated,
    title: "Waybill distribution configuration",
    description: "One EC2 Image Builder distribution configuration, in the API's own shapes.",
  };
}

export async function runSchema(parsed: ParsedCommand, io: CliIo): Promise<number> {
  void parsed;
  io.stdout.write(`${JSON.stringify(configFileJsonSchema(), null, 2)}\n`);
  return 0;
}
