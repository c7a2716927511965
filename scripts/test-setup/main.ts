/**
 * The first step of `pnpm test`: find or make a python with moto (see moto.ts), record it in
 * node_modules/.cache/waybill/moto-python for the tests (vitest.config.ts passes it on as
 * WAYBILL_MOTO_PYTHON), or stop with one line saying what to install.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type MotoProbes, type StepResult, setUpMoto } from "./moto.ts";

const cache = fileURLToPath(new URL("../../node_modules/.cache/waybill/", import.meta.url));
export const MOTO_PYTHON_FILE = `${cache}moto-python`;

function exec(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.once("error", (error) => resolve({ code: null, output: error.message }));
    child.once("close", (code) => resolve({ code, output }));
  });
}

async function step(command: string, args: string[]): Promise<StepResult> {
  const { code, output } = await exec(command, args);
  const last = output.trim().split("\n").at(-1) ?? "";
  return code === 0 ? { ok: true } : { ok: false, detail: last === "" ? `exit ${code}` : last };
}

const probes: MotoProbes = {
  runs: async (python) => (await exec(python, ["-c", "pass"])).code === 0,
  importsMoto: async (python, version) =>
    (
      await exec(python, [
        "-c",
        version === undefined
          ? "import moto.server"
          : `import moto.server, moto; assert moto.__version__ == ${JSON.stringify(version)}`,
      ])
    ).code === 0,
  createVenv: (python, directory) => step(python, ["-m", "venv", directory]),
  pipInstall: (python, requirement) =>
    step(python, ["-m", "pip", "install", "--disable-pip-version-check", "--quiet", requirement]),
};

const setup = await setUpMoto(probes, {
  python: process.env.WAYBILL_MOTO_PYTHON,
  venvDirectory: `${cache}moto-venv`,
});
if (!setup.ok) {
  console.error(setup.message);
  process.exit(1);
}
mkdirSync(cache, { recursive: true });
writeFileSync(MOTO_PYTHON_FILE, setup.python);
if (setup.how === "venv-installed") console.log(`moto installed for the tests: ${setup.python}`);
