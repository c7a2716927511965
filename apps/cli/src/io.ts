// What a CLI run reads and writes, passed in so tests capture it.
import type { CommandSpec } from "./commands.js";

/** Somewhere text goes (process.stdout, or a buffer in tests). */
export interface TextSink {
  write(text: string): unknown;
}

export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  /** Where the confirmation answer comes from. */
  stdin: NodeJS.ReadableStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether a person is at a terminal (stdin and stderr): enables the confirmation prompt and progress on stderr. */
  isTTY: boolean;
  /** Whether stdout is a terminal: enables colour (`waybill plan > plan.txt` gets none). */
  stdoutIsTTY: boolean;
  cwd: string;
}

export interface ParsedCommand {
  command: CommandSpec;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}
