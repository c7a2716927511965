// Persists the emulator's state to one JSON file: atomic replacement, writes coalesced into group commits.
import { open, readFile, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import type { StoreState } from "./distribution-configuration-store.js";

export type StateFileRead = { ok: true; state: StoreState | undefined } | { ok: false; message: string };

/**
 * Checks that parsed JSON has the state file's shape. Version 1 (before pipelines and images) is read
 * as a version 2 state with none; its `inUse` marks, a test device the real rule replaced, are dropped.
 */
export function parseStoreState(
  json: unknown,
): { ok: true; state: StoreState } | { ok: false; message: string } {
  if (typeof json !== "object" || json === null) return { ok: false, message: "not a JSON object" };
  const raw = json as Record<string, unknown>;
  if (raw.version !== 1 && raw.version !== 2) {
    return { ok: false, message: `unsupported version ${String(raw.version)}` };
  }
  const state =
    raw.version === 1
      ? {
          version: 2,
          configurations: raw.configurations,
          clientTokens: raw.clientTokens,
          pipelines: [],
          images: [],
        }
      : raw;
  const lists = ["configurations", "clientTokens", "pipelines", "images"] as const;
  if (!lists.every((list) => Array.isArray(state[list]))) {
    return { ok: false, message: "configurations, clientTokens, pipelines and images must be lists" };
  }
  for (const configuration of state.configurations as Partial<StoreState["configurations"][number]>[]) {
    if (
      typeof configuration !== "object" ||
      configuration === null ||
      typeof configuration.arn !== "string" ||
      typeof configuration.name !== "string" ||
      !Array.isArray(configuration.distributions)
    ) {
      return { ok: false, message: "a configuration lacks arn, name or distributions" };
    }
  }
  for (const item of [...(state.pipelines as unknown[]), ...(state.images as unknown[])]) {
    const record = item as { arn?: unknown; name?: unknown; dateCreated?: unknown } | null;
    if (
      typeof record !== "object" ||
      record === null ||
      typeof record.arn !== "string" ||
      typeof record.name !== "string" ||
      typeof record.dateCreated !== "string"
    ) {
      return { ok: false, message: "a pipeline or image lacks arn, name or dateCreated" };
    }
  }
  return { ok: true, state: state as unknown as StoreState };
}

/**
 * Reads a state file; a missing file is an empty start, not an error. (So is a missing folder: the
 * write at start then says what is wrong with it.)
 */
export async function readStateFile(path: string): Promise<StateFileRead> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { ok: true, state: undefined };
    return { ok: false, message: `cannot read state file ${path}: ${(error as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `state file ${path} is not valid JSON: ${(error as Error).message}` };
  }
  const parsed = parseStoreState(json);
  if (!parsed.ok)
    return { ok: false, message: `state file ${path} is not an emulator state: ${parsed.message}` };
  return parsed;
}

let temporaryCounter = 0;

/** Writes `text` to `path` atomically: a temporary file in the same folder, flushed, then renamed over it. */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  temporaryCounter += 1;
  const temporary = `${path}.${process.pid}.${temporaryCounter}.tmp`;
  const handle = await open(temporary, "w");
  try {
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
}

/** Why the state file cannot be written, in one line: `cannot write state file <path>: <reason>`. */
export function describeStateWriteError(path: string, error: unknown): string {
  const folder = dirname(path);
  let reason: string;
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOENT":
      reason = `the folder ${folder} does not exist`;
      break;
    case "ENOTDIR":
      reason = `${folder} is not a folder`;
      break;
    case "EACCES":
    case "EPERM":
      reason = `no permission to write in ${folder}`;
      break;
    case "EROFS":
      reason = `${folder} is on a read-only file system`;
      break;
    case "EISDIR":
      reason = `${path} is a folder`;
      break;
    case "ENOSPC":
      reason = "no space left on the device";
      break;
    default:
      reason = ((error as Error).message ?? String(error)).split("\n")[0] as string;
  }
  return `cannot write state file ${path}: ${reason}`;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Called when a write fails, before any waiter hears of it: put the state back to `durableText`, the
 * content of the last write that succeeded (so every change not yet on disk is undone).
 */
export type RollBack = (durableText: string, error: unknown) => void;

/**
 * Group commit: callers that changed state call {@link commit} and wait; at most one write runs at a
 * time, and each write takes a fresh snapshot covering every change made before it started, so one
 * write answers many requests and no request is answered before its change is on disk.
 *
 * A failed write rolls the state back to the last write that succeeded and rejects every commit not
 * yet on disk: those the write carried and those waiting for the next one (their changes were made on
 * top of the failed ones, and none was acknowledged). Nothing is retried; a client's retry is.
 */
export class StateFileWriter {
  private waiting: Waiter[] = [];
  private inFlight: Waiter[] | undefined;
  private writing: Promise<void> | undefined;

  private constructor(
    private readonly path: string,
    private readonly serialize: () => string,
    private readonly rollBack: RollBack,
    private durableText: string,
  ) {}

  /**
   * Writes the current state once, so a path that cannot be written is found at start rather than by
   * the first change, and returns the writer. Rejects with the write's error.
   */
  static async open(path: string, serialize: () => string, rollBack: RollBack): Promise<StateFileWriter> {
    const text = serialize();
    await writeFileAtomically(path, text);
    return new StateFileWriter(path, serialize, rollBack, text);
  }

  /** Resolves once a write that includes every change made so far has replaced the file. */
  commit(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.writeNext();
    });
  }

  /**
   * Undefined when every change made so far is on disk; otherwise a promise that resolves when it is,
   * or rejects when that write fails (and the changes were rolled back). Asks for no write of its own.
   */
  settled(): Promise<void> | undefined {
    const batch = this.waiting.length > 0 ? this.waiting : this.inFlight;
    if (batch === undefined) return undefined;
    return new Promise((resolve, reject) => {
      batch.push({ resolve, reject });
    });
  }

  /** Resolves when no write is running or waiting. */
  async idle(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
  }

  private writeNext(): void {
    if (this.writing !== undefined || this.waiting.length === 0) return;
    const batch = this.waiting;
    this.waiting = [];
    this.inFlight = batch;
    const text = this.serialize();
    this.writing = writeFileAtomically(this.path, text).then(
      () => {
        this.inFlight = undefined;
        this.durableText = text;
        for (const waiter of batch) waiter.resolve();
      },
      (error: unknown) => {
        this.inFlight = undefined;
        const unwritten = this.waiting;
        this.waiting = [];
        try {
          this.rollBack(this.durableText, error);
        } finally {
          for (const waiter of batch) waiter.reject(error);
          for (const waiter of unwritten) waiter.reject(error);
        }
      },
    );
    void this.writing.finally(() => {
      this.writing = undefined;
      this.writeNext();
    });
  }
}
