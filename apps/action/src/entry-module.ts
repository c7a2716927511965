/** Whether a module is the script node was started with, or was imported (by @github/local-action, a test). */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function isEntryModule(moduleUrl: string, argv1: string | undefined): boolean {
  if (argv1 === undefined) return false;
  try {
    // Both through realpath: a runner may start the action through a symlinked checkout.
    return realpathSync(fileURLToPath(moduleUrl)) === realpathSync(argv1);
  } catch {
    return false;
  }
}
