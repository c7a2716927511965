// Test harness: run `main()` in-process with captured io, against a copy of a fixture repository.
import { cp, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { CliIo } from "../io.js";
import { main } from "../main.js";

export const fixturesDir = join(import.meta.dirname, "..", "fixtures");

/** Fake credentials for the emulator (it reads the account from the access key, checks no signature). */
export const fakeAwsEnv = {
  AWS_ACCESS_KEY_ID: "AKIAWAYBILLCLITEST01",
  AWS_SECRET_ACCESS_KEY: "not-a-secret",
  AWS_REGION: "us-west-2",
};

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Cli {
  root: string;
  run(
    args: string[],
    options?: {
      /** stdin and stderr are a terminal (prompt, progress). */
      isTTY?: boolean;
      /** stdout is a terminal (colour). */
      stdoutIsTTY?: boolean;
      stdin?: string;
      env?: Record<string, string>;
      /** The working directory, relative to the root (default: the root). */
      cwd?: string;
    },
  ): Promise<CliRun>;
}

/** A temp copy of `fixtures/<name>` and a runner whose env points at `endpointUrl`. */
export async function cliOn(fixture: string | undefined, endpointUrl: string): Promise<Cli> {
  const root = await mkdtemp(join(tmpdir(), "waybill-cli-"));
  if (fixture) await cp(join(fixturesDir, fixture), root, { recursive: true });
  return {
    root,
    async run(args, options = {}) {
      let stdout = "";
      let stderr = "";
      const io: CliIo = {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
        stdin: Readable.from([options.stdin ?? ""]),
        env: { ...fakeAwsEnv, AWS_ENDPOINT_URL_IMAGEBUILDER: endpointUrl, ...options.env },
        isTTY: options.isTTY ?? false,
        stdoutIsTTY: options.stdoutIsTTY ?? false,
        cwd: options.cwd ? join(root, options.cwd) : root,
      };
      const code = await main(args, io);
      return { code, stdout, stderr };
    },
  };
}
