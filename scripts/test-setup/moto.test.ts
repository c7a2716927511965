// The moto set-up's decision, with the machine replaced by probes: no process, no network.
import { describe, expect, test } from "vitest";
import { MOTO_PIN, MOTO_REQUIREMENT, type MotoProbes, setUpMoto, venvPython } from "./moto.ts";

const venvDirectory = "/repo/node_modules/.cache/waybill/moto-venv";
const venv = venvPython(venvDirectory);

/** A machine: which pythons run, which import moto (and at which release), what venv and pip do; calls are recorded. */
function machine(options: {
  pythons?: string[];
  withMoto?: Record<string, string>;
  venv?: "ok" | "fails";
  pip?: "ok" | "fails";
}) {
  const calls: string[] = [];
  const withMoto = { ...options.withMoto };
  const probes: MotoProbes = {
    runs: async (python) => {
      calls.push(`runs ${python}`);
      return (options.pythons ?? []).includes(python);
    },
    importsMoto: async (python, version) => {
      calls.push(`imports ${python}${version === undefined ? "" : ` ${version}`}`);
      const has = withMoto[python];
      return has !== undefined && (version === undefined || has === version);
    },
    createVenv: async (python, directory) => {
      calls.push(`venv ${python} ${directory}`);
      return options.venv === "ok" ? { ok: true } : { ok: false, detail: "ensurepip is not available" };
    },
    pipInstall: async (python, requirement) => {
      calls.push(`pip ${python} ${requirement}`);
      if (options.pip !== "ok") return { ok: false, detail: "No matching distribution found for moto" };
      withMoto[python] = MOTO_PIN;
      return { ok: true };
    },
  };
  return { probes, calls };
}

describe("setUpMoto", () => {
  test("python3 imports moto: it is used, nothing is installed", async () => {
    const { probes, calls } = machine({ pythons: ["python3"], withMoto: { python3: "5.0.0" } });
    expect(await setUpMoto(probes, { venvDirectory })).toEqual({
      ok: true,
      python: "python3",
      how: "system",
    });
    expect(calls).toEqual(["runs python3", "imports python3"]);
  });

  test("python3 without moto, the venv made before: it is reused, nothing is installed", async () => {
    const { probes, calls } = machine({ pythons: ["python3"], withMoto: { [venv]: MOTO_PIN } });
    expect(await setUpMoto(probes, { venvDirectory })).toEqual({ ok: true, python: venv, how: "venv" });
    expect(calls.some((call) => call.startsWith("venv") || call.startsWith("pip"))).toBe(false);
  });

  test("python3 without moto, installable: a venv under the cache folder gets the pinned moto[server], once", async () => {
    const { probes, calls } = machine({ pythons: ["python3"], venv: "ok", pip: "ok" });
    expect(await setUpMoto(probes, { venvDirectory })).toEqual({
      ok: true,
      python: venv,
      how: "venv-installed",
    });
    expect(calls.filter((call) => call.startsWith("venv") || call.startsWith("pip"))).toEqual([
      `venv python3 ${venvDirectory}`,
      `pip ${venv} ${MOTO_REQUIREMENT}`,
    ]);
    // The next run finds it.
    expect(await setUpMoto(probes, { venvDirectory })).toMatchObject({ ok: true, how: "venv" });
  });

  test("a venv with another moto release is brought to the pin", async () => {
    const { probes, calls } = machine({
      pythons: ["python3"],
      withMoto: { [venv]: "4.0.0" },
      venv: "ok",
      pip: "ok",
    });
    expect(await setUpMoto(probes, { venvDirectory })).toMatchObject({ ok: true, how: "venv-installed" });
    expect(calls).toContain(`pip ${venv} ${MOTO_REQUIREMENT}`);
  });

  test("no python3: one line saying to install python3", async () => {
    const { probes, calls } = machine({});
    const result = await setUpMoto(probes, { venvDirectory });
    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining("install it (Debian/Ubuntu: apt-get install python3 python3-venv)"),
    });
    expect(result.ok || result.message.includes("\n")).toBe(false);
    expect(calls).toEqual(["runs python3"]);
  });

  test("python3 that cannot make a venv: one line naming python3-venv and the pip command", async () => {
    const { probes } = machine({ pythons: ["python3"], venv: "fails" });
    const result = await setUpMoto(probes, { venvDirectory });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain("ensurepip is not available");
    expect(result.message).toContain("apt-get install python3-venv");
    expect(result.message).toContain(`python3 -m pip install '${MOTO_REQUIREMENT}'`);
    expect(result.message).not.toContain("\n");
  });

  test("pip cannot reach PyPI: one line with pip's reason and how to install moto by hand", async () => {
    const { probes } = machine({ pythons: ["python3"], venv: "ok", pip: "fails" });
    const result = await setUpMoto(probes, { venvDirectory });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain("No matching distribution found for moto");
    expect(result.message).toContain("apt-get install python3-moto");
    expect(result.message).not.toContain("\n");
  });

  test("WAYBILL_MOTO_PYTHON is used when it imports moto, and refused with a line when it does not", async () => {
    const { probes } = machine({ withMoto: { "/opt/py/bin/python": "5.1.0" } });
    expect(await setUpMoto(probes, { venvDirectory, python: "/opt/py/bin/python" })).toEqual({
      ok: true,
      python: "/opt/py/bin/python",
      how: "given",
    });
    expect(await setUpMoto(probes, { venvDirectory, python: "/usr/bin/python3.8" })).toEqual({
      ok: false,
      message: expect.stringContaining("WAYBILL_MOTO_PYTHON=/usr/bin/python3.8 cannot import moto.server"),
    });
  });
});
