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

/**
 * A process stream as a sink that a closed pipe cannot crash: `waybill plan | head -1` closes
 * stdout after one line, and Node then emits EPIPE, which unhandled is a stack trace and exit 1.
 * Once the reader is gone the rest of the output is dropped (nobody can read it) and the command
 * runs to its end, so the exit code is the command's own, as documented. Other write errors are
 * not this function's to decide: `onOtherError` gets them.
 */
export function closedPipeSafe(
  stream: NodeJS.WritableStream,
  onOtherError: (error: NodeJS.ErrnoException) => void,
): TextSink {
  let closed = false;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") closed = true;
    else onOtherError(error);
  });
  return {
    write(text: string) {
      if (closed) return false;
      return stream.write(text);
    },
  };
}
