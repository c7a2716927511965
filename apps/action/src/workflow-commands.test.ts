import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { parseOutputFile } from "../test/run-bundle.js";
import { createWorkflowCommands, escapeData, escapeProperty, fileCommandBlock } from "./workflow-commands.js";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function capture(env: Record<string, string | undefined> = {}) {
  const written: string[] = [];
  const exitCodes: number[] = [];
  const commands = createWorkflowCommands({
    env,
    write: (text) => written.push(text),
    setExitCode: (code) => exitCodes.push(code),
  });
  return { commands, written, exitCodes };
}

describe("workflow commands", () => {
  test("a message escapes %, CR and LF; a property also : and ,", () => {
    expect(escapeData("50% done\r\nnext")).toBe("50%25 done%0D%0Anext");
    expect(escapeProperty("a:b,c%")).toBe("a%3Ab%2Cc%25");
  });

  test("an annotation names file, line, column and title the way the runner reads them", () => {
    const { commands, written } = capture();
    commands.annotate("warning", "two lines\nhere", {
      title: "waybill x: y",
      file: "waybill/a,b.yaml",
      line: 3,
      column: 7,
    });
    expect(written.join("")).toBe(
      "::warning title=waybill x%3A y,file=waybill/a%2Cb.yaml,line=3,col=7::two lines%0Ahere\n",
    );
  });

  test("setFailed writes an error and sets exit code 1", () => {
    const { commands, written, exitCodes } = capture();
    commands.setFailed("Waybill cannot start:\nInput 'mode' is wrong");
    expect(written.join("")).toBe("::error::Waybill cannot start:%0AInput 'mode' is wrong\n");
    expect(exitCodes).toEqual([1]);
  });

  test("outputs go to GITHUB_OUTPUT as delimited blocks, multi-line values intact", async () => {
    const dir = await mkdtemp(join(tmpdir(), "waybill-commands-"));
    dirs.push(dir);
    const output = join(dir, "output");
    await writeFile(output, "");
    const { commands, written } = capture({ GITHUB_OUTPUT: output });
    commands.setOutput("plan-json", "/tmp/plan.json");
    commands.setOutput("summary", "line one\nline two");
    expect(written).toEqual([]);
    expect(parseOutputFile(await readFile(output, "utf8"))).toEqual({
      "plan-json": "/tmp/plan.json",
      summary: "line one\nline two",
    });
  });

  test("a value that contains the delimiter is refused rather than cut short", () => {
    expect(() => fileCommandBlock("x", "a\nEND\nb", "END")).toThrow(/delimiter/);
    expect(fileCommandBlock("x", "a", "END")).toBe("x<<END\na\nEND\n");
  });

  test("the summary is appended to GITHUB_STEP_SUMMARY, or logged without one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "waybill-commands-"));
    dirs.push(dir);
    const summary = join(dir, "summary.md");
    await writeFile(summary, "earlier step\n");
    capture({ GITHUB_STEP_SUMMARY: summary }).commands.appendSummary("## Waybill");
    expect(await readFile(summary, "utf8")).toBe("earlier step\n## Waybill\n");
    const logged = capture();
    logged.commands.appendSummary("## Waybill");
    expect(logged.written.join("")).toBe("## Waybill\n");
  });
});
