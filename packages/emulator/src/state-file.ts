// Persists the emulator's state to one JSON file: atomic replacement, writes coalesced into group commits.
import { open, readFile, rename, unlink } from "node:fs/promises";
import type { StoreState } from "./distribution-configuration-store.js";

export type StateFileRead = { ok: true; state: StoreState | undefined } | { ok: false; message: string };

/** Checks that parsed JSON has the state file's shape. */
export function parseStoreState(
  json: unknown,
): { ok: true; state: StoreState } | { ok: false; message: string } {
  if (typeof json !== "object" || json === null) return { ok: false, message: "not a JSON object" };
  const state = json as Partial<StoreState>;
  if (state.version !== 1) return { ok: false, message: `unsupported version ${String(state.version)}` };
  if (
    !Array.isArray(state.configurations) ||
    !Array.isArray(state.clientTokens) ||
    !Array.isArray(state.inUse)
  ) {
    return { ok: false, message: "configurations, clientTokens and inUse must be lists" };
  }
  for (const configuration of state.configurations) {
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
  return { ok: true, state: state as StoreState };
}

/** Reads a state file; a missing file is an empty start, not an error. */
export async function readStateFile(path: string): Promise<StateFileRead> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { ok: true, state: undefined };
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
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
}

/**
 * Group commit: callers that changed state call {@link commit} and wait; at most one write runs at a
 * time, and each write takes a fresh snapshot covering every change made before it started, so one
 * write answers many requests and no request is answered before its change is on disk.
 */
export class StateFileWriter {
  private waiting: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  private writing: Promise<void> | undefined;

  constructor(
    private readonly path: string,
    private readonly serialize: () => string,
  ) {}

  /** Resolves once a write that includes every change made so far has replaced the file. */
  commit(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.writeNext();
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
    const text = this.serialize();
    this.writing = writeFileAtomically(this.path, text).then(
      () => {
        for (const waiter of batch) waiter.resolve();
      },
      (error: unknown) => {
        for (const waiter of batch) waiter.reject(error);
      },
    );
    void this.writing.finally(() => {
      this.writing = undefined;
      this.writeNext();
    });
  }
}
