// One status line on stderr, rewritten in place (`\r`), for a person at a terminal only.
import type { LiveStateProgress } from "@waybill/aws";
import type { CliIo } from "../io.js";

/** A line that shows the latest status; `clear` wipes it before other output. */
export interface ProgressLine {
  update(text: string): void;
  clear(): void;
}

/**
 * The progress line of `io`: on a terminal (`io.isTTY`) each update overwrites the last (`\r`,
 * then erase to the end of the line); elsewhere (CI logs, pipes) nothing is written at all.
 */
export function progressLine(io: CliIo): ProgressLine {
  if (!io.isTTY) return { update() {}, clear() {} };
  let shown = "";
  return {
    update(text) {
      if (text === shown) return;
      io.stderr.write(`\r${text}\u001b[K`);
      shown = text;
    },
    clear() {
      if (shown !== "") io.stderr.write("\r\u001b[K");
      shown = "";
    },
  };
}

/**
 * The live-state read as one line: `Reading live state: 3 pages listed (2/2 regions), 12/40
 * configurations read, 950 unchanged since applied` (the last part only when records were trusted).
 */
export function describeReadProgress(progress: LiveStateProgress): string {
  const pages = `${progress.pages} page${progress.pages === 1 ? "" : "s"} listed`;
  const trusted = progress.trusted > 0 ? `, ${progress.trusted} unchanged since applied` : "";
  return `Reading live state: ${pages} (${progress.regionsListed}/${progress.regions} regions), ${progress.gets}/${progress.getsTotal} configurations read${trusted}`;
}
