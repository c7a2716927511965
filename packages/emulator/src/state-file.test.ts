import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  describeStateWriteError,
  parseStoreState,
  readStateFile,
  StateFileWriter,
  writeFileAtomically,
} from "./state-file.js";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "waybill-state-"));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const empty = { version: 2, configurations: [], clientTokens: [], pipelines: [], images: [] };

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
    await writeFile(path, JSON.stringify({ version: 3 }));
    const foreign = await readStateFile(path);
    expect(!foreign.ok && foreign.message).toContain("unsupported version 3");
    await writeFile(path, JSON.stringify({ version: 2 }));
    const partial = await readStateFile(path);
    expect(!partial.ok && partial.message).toContain("must be lists");
  });

  test("parseStoreState checks configurations, pipelines and images", () => {
    expect(parseStoreState({ ...empty, configurations: [{ name: "x" }] }).ok).toBe(false);
    expect(parseStoreState({ ...empty, pipelines: [{ arn: "a", name: "x" }] }).ok).toBe(false);
    expect(parseStoreState({ ...empty, images: [null] }).ok).toBe(false);
    expect(parseStoreState(null).ok).toBe(false);
  });

  test("a version 1 file (before pipelines and images) reads as version 2 with none, in-use marks dropped", () => {
    const configuration = { arn: "arn:x", name: "x", distributions: [] };
    expect(
      parseStoreState({ version: 1, configurations: [configuration], clientTokens: [], inUse: ["arn:x"] }),
    ).toEqual({ ok: true, state: { ...empty, configurations: [configuration] } });
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

  test("writeFileAtomically leaves no temporary file when the rename fails", async () => {
    const path = join(folder, "taken");
    await mkdir(path); // a file cannot be renamed over a folder
    await expect(writeFileAtomically(path, "text")).rejects.toThrow();
    expect((await readdir(folder)).sort()).toEqual(["taken"]);
  });

  test("StateFileWriter coalesces concurrent commits and each commit sees its change on disk", async () => {
    const path = join(folder, "state.json");
    let version = 0;
    let serialisations = 0;
    const writer = await StateFileWriter.open(
      path,
      () => {
        serialisations += 1;
        return JSON.stringify({ version });
      },
      () => {
        throw new Error("no write fails here");
      },
    );
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ version: 0 });
    serialisations = 0;
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

  test("open writes the file once, and rejects where it cannot write", async () => {
    const path = join(folder, "state.json");
    await StateFileWriter.open(
      path,
      () => "{}",
      () => {},
    );
    expect(await readFile(path, "utf8")).toBe("{}");
    const missing = join(folder, "missing-folder", "state.json");
    await expect(
      StateFileWriter.open(
        missing,
        () => "{}",
        () => {},
      ),
    ).rejects.toThrow(/ENOENT/);
    expect(await readdir(folder)).toEqual(["state.json"]);
  });

  test("settled() is undefined with nothing to write and otherwise waits for the write under way", async () => {
    const path = join(folder, "state.json");
    let version = 0;
    let serialisations = 0;
    const writer = await StateFileWriter.open(
      path,
      () => {
        serialisations += 1;
        return JSON.stringify({ version });
      },
      () => {},
    );
    expect(writer.settled()).toBeUndefined();
    version = 1;
    const committed = writer.commit();
    const settled = writer.settled();
    expect(settled).toBeDefined();
    await settled;
    // settled() joined the write that carries version 1; it asked for no write of its own.
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ version: 1 });
    await committed;
    await writer.idle();
    expect(serialisations).toBe(2); // open's write and the commit's: settled() asked for none
    expect(writer.settled()).toBeUndefined();
  });

  test("a failed write rolls back to the last written state and rejects every commit not on disk", async () => {
    const sub = join(folder, "sub");
    await mkdir(sub);
    const path = join(sub, "state.json");
    let state = "zero";
    const rollBacks: { durableText: string; code: string | undefined }[] = [];
    const writer = await StateFileWriter.open(
      path,
      () => JSON.stringify({ state }),
      (durableText, error) => {
        rollBacks.push({ durableText, code: (error as NodeJS.ErrnoException).code });
        state = (JSON.parse(durableText) as { state: string }).state;
      },
    );
    state = "one";
    await writer.commit();

    await rm(sub, { recursive: true });
    state = "two";
    const carried = writer.commit(); // starts a write at once: it will fail
    const joined = writer.settled(); // joins that write
    state = "three";
    const queued = writer.commit(); // waits for the next write, made on top of "two"
    const outcomes = await Promise.allSettled([carried, joined, queued]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["rejected", "rejected", "rejected"]);
    // One rollback, to what the last successful write put on disk; "three" went with it.
    expect(rollBacks).toEqual([{ durableText: JSON.stringify({ state: "one" }), code: "ENOENT" }]);
    expect(state).toBe("one");
    await writer.idle();
    expect(writer.settled()).toBeUndefined();

    // Once the folder is back, the next commit writes (and rolls back to) the new state.
    await mkdir(sub);
    state = "four";
    await writer.commit();
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ state: "four" });
    expect(rollBacks).toHaveLength(1);
  });
});

describe("describeStateWriteError", () => {
  test("names the file and the reason in one line", async () => {
    const missing = join(folder, "nope", "state.json");
    const error = await StateFileWriter.open(
      missing,
      () => "{}",
      () => {},
    ).catch((caught: unknown) => caught);
    expect(describeStateWriteError(missing, error)).toBe(
      `cannot write state file ${missing}: the folder ${join(folder, "nope")} does not exist`,
    );
    await writeFile(join(folder, "file"), "");
    const underFile = join(folder, "file", "state.json");
    const notFolder = await StateFileWriter.open(
      underFile,
      () => "{}",
      () => {},
    ).catch((caught: unknown) => caught);
    expect(describeStateWriteError(underFile, notFolder)).toBe(
      `cannot write state file ${underFile}: ${join(folder, "file")} is not a folder`,
    );
    expect(describeStateWriteError("x.json", new Error("odd\nsecond line"))).toBe(
      "cannot write state file x.json: odd",
    );
  });
});
