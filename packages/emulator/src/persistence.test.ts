// The state file end to end: restart without loss, clean stop on SIGTERM, and SIGKILL during writes.

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateDistributionConfigurationCommand,
  paginateListDistributionConfigurations,
} from "@aws-sdk/client-imagebuilder";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { EmulatorStateError, startEmulator } from "./emulator.js";
import { spawnEmulator } from "./testing/emulator-process.js";
import { sdkClient } from "./testing/sdk-client.js";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "waybill-persist-"));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const create = (name: string) =>
  new CreateDistributionConfigurationCommand({
    name,
    clientToken: name,
    distributions: [
      { region: "us-west-2", amiDistributionConfiguration: { name: `${name} {{imagebuilder:buildDate}}` } },
    ],
    tags: { source: name },
  });

async function listNames(url: string): Promise<string[]> {
  const client = sdkClient({ url });
  try {
    const names: string[] = [];
    for await (const page of paginateListDistributionConfigurations({ client }, {})) {
      for (const summary of page.distributionConfigurationSummaryList ?? []) names.push(summary.name ?? "");
    }
    return names;
  } finally {
    client.destroy();
  }
}

describe("state file", () => {
  test("a restarted emulator has everything: configurations, tags, client tokens and in-use marks", async () => {
    const statePath = join(folder, "state.json");
    const first = await startEmulator({ statePath });
    const client = sdkClient(first);
    const { distributionConfigurationArn: arn = "" } = await client.send(create("kept-one"));
    await client.send(create("kept-two"));
    first.markInUse(arn);
    client.destroy();
    await first.close();

    const second = await startEmulator({ statePath });
    try {
      expect(second.snapshot()).toEqual(first.snapshot());
      expect(await listNames(second.url)).toEqual(["kept-one", "kept-two"]);
      const again = sdkClient(second);
      // The same clientToken and request is still recognised after the restart.
      const replay = await again.send(create("kept-one"));
      expect(replay.distributionConfigurationArn).toBe(arn);
      again.destroy();
    } finally {
      await second.close();
    }
  });

  test("an unreadable state file stops the start with EmulatorStateError", async () => {
    const statePath = join(folder, "state.json");
    await writeFile(statePath, "not json");
    await expect(startEmulator({ statePath })).rejects.toBeInstanceOf(EmulatorStateError);
  });
});

describe("pnpm emulator (src/main.ts)", () => {
  test("prints the URL first, serves, and flushes the state file on SIGTERM", async () => {
    const statePath = join(folder, "state.json");
    const emulator = spawnEmulator(["--port", "0", "--state", statePath]);
    const url = await emulator.firstLine;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = sdkClient({ url: url as string });
    await client.send(create("via-cli"));
    client.destroy();
    emulator.child.kill("SIGTERM");
    const exit = await emulator.exited;
    expect(exit.code).toBe(0);
    const state = JSON.parse(await readFile(statePath, "utf8")) as { configurations: { name: string }[] };
    expect(state.configurations.map((configuration) => configuration.name)).toEqual(["via-cli"]);
  });

  test("a bad flag prints one line and exits 2", async () => {
    const emulator = spawnEmulator(["--error-rate", "lots"]);
    expect(await emulator.firstLine).toBeUndefined();
    const exit = await emulator.exited;
    expect(exit.code).toBe(2);
    expect(exit.stderr.trim().split("\n")).toEqual([
      "emulator: --error-rate must be a number from 0 to 1, got 'lots' (see --help)",
    ]);
  });

  test("after SIGKILL during writes, the state file parses and holds every acknowledged create", async () => {
    const statePath = join(folder, "state.json");
    const emulator = spawnEmulator(["--port", "0", "--state", statePath]);
    const url = (await emulator.firstLine) as string;
    const acknowledged: string[] = [];
    let killed = false;
    const writers = Array.from({ length: 40 }, async (_, writer) => {
      const client = sdkClient({ url }, { maxAttempts: 1 });
      try {
        for (let index = 0; !killed; index++) {
          const name = `w${writer}-c${index}`;
          try {
            await client.send(create(name));
            acknowledged.push(name);
          } catch {
            return; // the emulator is gone
          }
          // Kill while the other writers' requests are in flight and their writes are under way.
          if (acknowledged.length >= 400 && !killed) {
            killed = true;
            emulator.child.kill("SIGKILL");
          }
        }
      } finally {
        client.destroy();
      }
    });
    await Promise.all(writers);
    const exit = await emulator.exited;
    expect(exit.signal).toBe("SIGKILL");

    const state = JSON.parse(await readFile(statePath, "utf8")) as { configurations: { name: string }[] };
    const persisted = new Set(state.configurations.map((configuration) => configuration.name));
    expect(persisted.size).toBe(state.configurations.length);
    for (const name of acknowledged) expect(persisted.has(name), name).toBe(true);

    const restarted = await startEmulator({ statePath });
    try {
      const names = await listNames(restarted.url);
      expect(new Set(names)).toEqual(persisted);
      expect(names).toHaveLength(persisted.size);
    } finally {
      await restarted.close();
    }
  });
});
