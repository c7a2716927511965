// Runs `src/main.ts` as a child process, as `pnpm emulator` does, and reads the URL from its first line.
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const mainPath = fileURLToPath(new URL("../main.ts", import.meta.url));
const repositoryRoot = fileURLToPath(new URL("../../../../", import.meta.url));

export interface EmulatorProcess {
  child: ChildProcess;
  /** The first line the emulator printed (its URL), or undefined when it exited first. */
  firstLine: Promise<string | undefined>;
  /** Resolves with the exit code (or signal name) and everything printed on stderr. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

export function spawnEmulator(args: string[]): EmulatorProcess {
  const child = spawn(
    process.execPath,
    ["--conditions=@waybill/source", "--import", "tsx", mainPath, ...args],
    {
      cwd: repositoryRoot,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const firstLine = new Promise<string | undefined>((resolve) => {
    lines.once("line", resolve);
    lines.once("close", () => resolve(undefined));
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => {
      child.once("exit", (code, signal) => {
        // stderr may still be draining when "exit" fires; "close" follows once it is done.
        child.once("close", () => resolve({ code, signal, stderr }));
      });
    },
  );
  return { child, firstLine, exited };
}
