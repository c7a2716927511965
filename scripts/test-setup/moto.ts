/**
 * What `pnpm test` needs from Python, decided before any test runs: a python that imports moto's
 * server (the preflight tests run `python -m moto.server`). The system's python3 when it has moto;
 * else a virtual environment under node_modules/.cache with a pinned moto[server], made once; else
 * one line saying what to install. The decision is pure over its probes, so tests inject them.
 */

/** The moto release the preflight tests are written against (its server, with its extras). */
export const MOTO_PIN = "5.2.1";
export const MOTO_REQUIREMENT = `moto[server]==${MOTO_PIN}`;

export type StepResult = { ok: true } | { ok: false; detail: string };

/** How the decision looks at the machine: real processes in main.ts, fakes in tests. */
export interface MotoProbes {
  /** Whether `python` starts at all (false: not installed / not on PATH). */
  runs(python: string): Promise<boolean>;
  /** Whether `python -c "import moto.server"` succeeds (with `version`, also that moto is that release). */
  importsMoto(python: string, version?: string): Promise<boolean>;
  /** `python -m venv directory`. */
  createVenv(python: string, directory: string): Promise<StepResult>;
  /** `python -m pip install requirement` (python being the venv's). */
  pipInstall(python: string, requirement: string): Promise<StepResult>;
}

export interface MotoSetupOptions {
  /** The python asked for (WAYBILL_MOTO_PYTHON), tried first; else `python3`. */
  python?: string;
  /** Where the virtual environment lives (under the ignored cache folder). */
  venvDirectory: string;
}

export type MotoSetup =
  | { ok: true; python: string; how: "given" | "system" | "venv" | "venv-installed" }
  | { ok: false; message: string };

const INSTALL_HINT = `install moto into python3 yourself (python3 -m pip install '${MOTO_REQUIREMENT}', or on Debian/Ubuntu: apt-get install python3-moto)`;

export function venvPython(directory: string): string {
  return `${directory}/bin/python`;
}

export async function setUpMoto(probes: MotoProbes, options: MotoSetupOptions): Promise<MotoSetup> {
  if (options.python !== undefined && options.python !== "") {
    if (await probes.importsMoto(options.python)) return { ok: true, python: options.python, how: "given" };
    return {
      ok: false,
      message: `WAYBILL_MOTO_PYTHON=${options.python} cannot import moto.server: point it at a python with moto, or unset it.`,
    };
  }
  if (!(await probes.runs("python3"))) {
    return {
      ok: false,
      message:
        "pnpm test needs python3 (3.9 or newer) for the preflight tests' moto server: install it (Debian/Ubuntu: apt-get install python3 python3-venv) and run pnpm test again.",
    };
  }
  if (await probes.importsMoto("python3")) return { ok: true, python: "python3", how: "system" };
  const python = venvPython(options.venvDirectory);
  if (await probes.importsMoto(python, MOTO_PIN)) return { ok: true, python, how: "venv" };
  const venv = await probes.createVenv("python3", options.venvDirectory);
  if (!venv.ok) {
    return {
      ok: false,
      message: `pnpm test needs moto and python3 cannot make a virtual environment for it (${venv.detail}): apt-get install python3-venv, or ${INSTALL_HINT}.`,
    };
  }
  const installed = await probes.pipInstall(python, MOTO_REQUIREMENT);
  if (!installed.ok) {
    return {
      ok: false,
      message: `pnpm test needs moto and pip could not install ${MOTO_REQUIREMENT} (${installed.detail}): ${INSTALL_HINT}.`,
    };
  }
  if (!(await probes.importsMoto(python, MOTO_PIN))) {
    return {
      ok: false,
      message: `pnpm test needs moto: pip installed ${MOTO_REQUIREMENT} into ${options.venvDirectory} but it cannot be imported; ${INSTALL_HINT}.`,
    };
  }
  return { ok: true, python, how: "venv-installed" };
}
