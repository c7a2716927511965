// The engine's verdict, as the CLI says it: the reasons on stderr, one `waybill:` line each; its exit status.
import type { Verdict } from "@waybill/engine";
import type { CliIo } from "../io.js";
import { formatRunDiagnostic } from "./context.js";

/**
 * Writes why the run failed (nothing when it did not) and returns its exit status: invalid files'
 * diagnostics then what is not valid; each conflict with what to do about it; preflight's errors;
 * a stale or refused plan. The engine decides all of it; this only says it.
 */
export function reportVerdict(verdict: Verdict, io: CliIo): number {
  for (const reason of verdict.reasons) {
    switch (reason.kind) {
      case "invalid":
        for (const diagnostic of reason.diagnostics) io.stderr.write(`${formatRunDiagnostic(diagnostic)}\n`);
        io.stderr.write(`waybill: ${reason.message}\n`);
        break;
      case "conflict":
        io.stderr.write(`waybill: conflict: ${reason.message}; ${reason.hint}\n`);
        break;
      case "preflight":
        io.stderr.write(
          "waybill: preflight found errors; the build would fail (see the Preflight section)\n",
        );
        break;
      case "stale":
      case "refused":
        io.stderr.write(`waybill: ${reason.message}\n`);
        break;
      case "failed":
        // Each failure is on its line of the results already.
        break;
    }
  }
  return verdict.exitCode;
}
