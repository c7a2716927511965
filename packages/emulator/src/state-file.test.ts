import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { parseStoreState, readStateFile, StateFileWriter, writeFileAtomically } from "./state-file.js";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "waybill-state-"));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const empty = { version: 1, configurations: [], clientTokens: [], inUse: [] };

describe("readStateFile", () => {
  test("a missing file is an empty start", async () => {
    expect(await readStateFile(join(folder, "none.json"))).toEqual({ ok: true, state: undefined });
  });

  test("reads a state file", async () => {
    const path = join(folder, "state.json");
    await writeFile(path, JSON.stringify(empty));
    expect(await readStateFile(path)).toEqual({ ok: true, state: empty });
  });

  test("broken JSON and foreign shapes are reported, not thrown", async () => {
    const path = join(folder, "state.json");
    await writeFile(path, "{");
    const broken = await readStateFile(path);
    expect(!broken.ok && broken.message).toContain("is not valid JSON");
    await writeFile(path, JSON.stringify({ version: 2 }));
    const foreign = await readStateFile(path);
    expect(!foreign.ok && foreign.message).toContain("unsupported version 2");
  });

  test("parseStoreState checks configurations", () => {
    expect(parseStoreState({ ...empty, configurations: [{ name: "x" }] }).ok).toBe(false);
    expect(parseStoreState(null).ok).toBe(false);
  });
});

describe("writing", () => {
  test("writeFileAtomically replaces the file and leaves no temporary file", async () => {
    const path = join(folder, "state.json");
    await writeFileAtomically(path, "one");
    await writeFileAtomically(path, "two");
    expect(await readFile(path, "utf8")).toBe("two");
    expect(await readdir(folder)).toEqual(["state.json"]);
  });

  test("StateFileWriter coalesces concurrent commits and each commit sees its change on disk", async () => {
    const path = join(folder, "state.json");
    let version = 0;
    let serialisations = 0;
    const writer = new StateFileWriter(path, () => {
      serialisations += 1;
      return JSON.stringify({ version });
    });
    const commits: Promise<void>[] = [];
    for (let change = 1; change <= 50; change++) {
      version = change;
      const expected = change;
      commits.push(
        writer.commit().then(async () => {
          const onDisk = JSON.parse(await readFile(path, "utf8")) as { version: number };
          expect(onDisk.version).toBeGreaterThanOrEqual(expected);
        }),
      );
    }
    await Promise.all(commits);
    await writer.idle();
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ version: 50 });
    // One write started at once, the 49 others waited and shared the next one.
    expect(serialisations).toBe(2);
  });

  test("a failed write rejects the commits it carried", async () => {
    const writer = new StateFileWriter(join(folder, "missing-folder", "state.json"), () => "{}");
    await expect(writer.commit()).rejects.toThrow(/ENOENT/);
  });
});
