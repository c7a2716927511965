import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { cliReferenceMarkdown, commandHelp, commands } from "./commands.js";
import { emulatorHelp } from "./run/emulator.js";
import { cliOn } from "./testing/harness.js";

describe("help", () => {
  test.each(commands.map((c) => [c.name, c] as const))(
    "waybill %s --help prints the command's help",
    async (name, command) => {
      const cli = await cliOn(undefined, "http://127.0.0.1:9");
      const help = name === "emulator" ? emulatorHelp() : commandHelp(command);
      expect(await cli.run([name, "--help"])).toEqual({ code: 0, stdout: help, stderr: "" });
      expect(await cli.run(["help", name])).toEqual({ code: 0, stdout: help, stderr: "" });
    },
  );

  test("the emulator's help (and docs/cli.md) lists its own flags and its exit code", () => {
    for (const flag of ["--port", "--host", "--state", "--latency-ms", "--throttle-rps", "--default-account"])
      expect(emulatorHelp()).toContain(flag);
    expect(emulatorHelp()).toContain("Exits 2");
    expect(cliReferenceMarkdown({ emulator: emulatorHelp() })).toContain(emulatorHelp());
  });

  test("every option a command accepts is in its help", () => {
    for (const command of commands) {
      for (const option of command.options) expect(commandHelp(command)).toContain(`--${option.name}`);
    }
  });

  test("validate offers only what a run without AWS uses, and refuses the rest", async () => {
    const validate = commands.find((c) => c.name === "validate");
    const plan = commands.find((c) => c.name === "plan");
    if (!validate || !plan) throw new Error("missing commands");
    for (const option of ["--endpoint-url", "--stack", "--concurrency"]) {
      expect(commandHelp(validate)).not.toContain(option);
      expect(commandHelp(plan)).toContain(option);
    }
    expect(commandHelp(validate)).toContain("--region");
    const cli = await cliOn(undefined, "http://127.0.0.1:9");
    expect(await cli.run(["validate", "--stack", "x"])).toEqual({
      code: 1,
      stdout: "",
      stderr: "waybill: unknown option '--stack'; see 'waybill validate --help'\n",
    });
  });

  test("docs/cli.md is the generated reference (regenerate: pnpm -s waybill help --markdown > docs/cli.md)", async () => {
    const onDisk = await readFile(join(import.meta.dirname, "..", "..", "..", "docs", "cli.md"), "utf8");
    expect(onDisk).toBe(cliReferenceMarkdown({ emulator: emulatorHelp() }));
  });
});
