// `waybill validate [paths...]`.
import type { CliIo, ParsedCommand } from "../io.js";
import { formatRunDiagnostic, openRunFor } from "./context.js";

export async function runValidate(parsed: ParsedCommand, io: CliIo): Promise<number> {
  const report = await (await openRunFor(parsed, io)).validate();
  if (parsed.values.json) {
    io.stdout.write(
      `${JSON.stringify({ ok: report.ok, files: report.files, diagnostics: report.diagnostics }, null, 2)}\n`,
    );
    return report.ok ? 0 : 1;
  }
  for (const diagnostic of report.diagnostics) io.stdout.write(`${formatRunDiagnostic(diagnostic)}\n`);
  const errors = report.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = report.diagnostics.length - errors;
  const files = `${report.files.length} file${report.files.length === 1 ? "" : "s"}`;
  io.stdout.write(
    report.ok
      ? `${files}, ${report.documents.length} configuration${report.documents.length === 1 ? "" : "s"}: valid${warnings > 0 ? ` (${warnings} warning${warnings === 1 ? "" : "s"})` : ""}.\n`
      : `${files}: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}.\n`,
  );
  return report.ok ? 0 : 1;
}
