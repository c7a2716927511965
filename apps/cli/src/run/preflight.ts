// `waybill preflight [paths...]`.
import { renderPreflightText } from "@waybill/core/render";
import type { CliIo, ParsedCommand } from "../io.js";
import { formatRunDiagnostic, openRunFor } from "./context.js";

export async function runPreflight(parsed: ParsedCommand, io: CliIo): Promise<number> {
  const result = await (await openRunFor(parsed, io)).preflight();
  for (const diagnostic of result.diagnostics) io.stderr.write(`${formatRunDiagnostic(diagnostic)}\n`);
  if (result.status === "invalid") {
    io.stderr.write("waybill: the config files or account sets are not valid; nothing was checked\n");
    return 1;
  }
  const { report } = result;
  io.stdout.write(parsed.values.json ? `${JSON.stringify(report, null, 2)}\n` : renderPreflightText(report));
  return report.findings.some((finding) => finding.severity === "error") ? 1 : 0;
}
