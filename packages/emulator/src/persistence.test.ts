// The state file end to end: restart without loss, clean stop on SIGTERM, SIGKILL during writes, and
// a path that cannot be written (refused at start; after start, changes rolled back and answered 500).

import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateDistributionConfigurationCommand,
  CreateImagePipelineCommand,
  DeleteDistributionConfigurationCommand,
  GetDistributionConfigurationCommand,
  GetImageCommand,
  GetImagePipelineCommand,
  ListDistributionConfigurationsCommand,
  paginateListDistributionConfigurations,
  StartImagePipelineExecutionCommand,
} from "@aws-sdk/client-imagebuilder";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { StoreState } from "./distribution-configuration-store.js";
import { EmulatorStateError, startEmulator } from "./emulator.js";
import { spawnEmulator } from "./testing/emulator-process.js";
import { rejection, sdkClient } from "./testing/sdk-client.js";
import { waitForImage } from "./testing/wait-for-image.js";

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
  test("a restarted emulator has everything: configurations, tags and client tokens", async () => {
    const statePath = join(folder, "state.json");
    const first = await startEmulator({ statePath });
    const client = sdkClient(first);
    const { distributionConfigurationArn: arn = "" } = await client.send(create("kept-one"));
    await client.send(create("kept-two"));
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

  test("pipelines and images survive a restart; a build started before it finishes after it", async () => {
    const statePath = join(folder, "state.json");
    // Phases long enough that the build is still under way when the emulator stops.
    const first = await startEmulator({ statePath, buildMs: 1_000 });
    const client = sdkClient(first);
    const { distributionConfigurationArn: arn = "" } = await client.send(create("used-one"));
    const { imagePipelineArn = "" } = await client.send(
      new CreateImagePipelineCommand({
        name: "kept-pipeline",
        imageRecipeArn: "arn:aws:imagebuilder:us-west-2:123456789012:image-recipe/web/1.0.0",
        infrastructureConfigurationArn:
          "arn:aws:imagebuilder:us-west-2:123456789012:infrastructure-configuration/build",
        distributionConfigurationArn: arn,
        schedule: { scheduleExpression: "cron(0 2 ? * MON *)" },
      }),
    );
    const { imageBuildVersionArn = "" } = await client.send(
      new StartImagePipelineExecutionCommand({ imagePipelineArn }),
    );
    const before = (await client.send(new GetImageCommand({ imageBuildVersionArn }))).image?.state?.status;
    client.destroy();
    await first.close();

    const second = await startEmulator({ statePath, buildMs: 1_000 });
    const again = sdkClient(second);
    try {
      expect(second.snapshot()).toEqual(first.snapshot());
      expect(before).not.toBe("AVAILABLE");
      const image = await waitForImage(again, imageBuildVersionArn);
      expect(image.outputResources?.amis?.map((ami) => ami.region)).toEqual(["us-west-2"]);
      const { imagePipeline } = await again.send(new GetImagePipelineCommand({ imagePipelineArn }));
      expect(imagePipeline).toMatchObject({ name: "kept-pipeline", lastRunStatus: "AVAILABLE" });
      const refused = await rejection(
        again.send(new DeleteDistributionConfigurationCommand({ distributionConfigurationArn: arn })),
      );
      expect(refused.name).toBe("ResourceDependencyException");
    } finally {
      again.destroy();
      await second.close();
    }
  });

  test("an unreadable state file stops the start with EmulatorStateError", async () => {
    const statePath = join(folder, "state.json");
    await writeFile(statePath, "not json");
    await expect(startEmulator({ statePath })).rejects.toBeInstanceOf(EmulatorStateError);
  });
});

describe("a state file that cannot be written", () => {
  test("stops the start with EmulatorStateError when its folder is missing or is a file", async () => {
    const missing = join(folder, "nodir", "x", "state.json");
    const error = await startEmulator({ statePath: missing }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmulatorStateError);
    expect((error as Error).message).toBe(
      `cannot write state file ${missing}: the folder ${join(folder, "nodir", "x")} does not exist`,
    );
    await writeFile(join(folder, "file"), "");
    const underFile = join(folder, "file", "state.json");
    await expect(startEmulator({ statePath: underFile })).rejects.toThrow(
      `cannot write state file ${underFile}: ${join(folder, "file")} is not a folder`,
    );
    expect((await readdir(folder)).sort()).toEqual(["file"]);
  });

  test("a writable path is written at start, before any change", async () => {
    const statePath = join(folder, "state.json");
    const emulator = await startEmulator({ statePath });
    try {
      expect(JSON.parse(await readFile(statePath, "utf8"))).toEqual(emulator.snapshot());
    } finally {
      await emulator.close();
    }
  });

  for (const [how, breakFolder] of [
    ["removed", (path: string) => rm(path, { recursive: true })],
    ["replaced by a file", (path: string) => rm(path, { recursive: true }).then(() => writeFile(path, ""))],
  ] as const) {
    test(`folder ${how} after start: Create answers 500, its retry too, and nothing unsaved shows`, async () => {
      const sub = join(folder, "sub");
      await mkdir(sub);
      const statePath = join(sub, "state.json");
      const reported: string[] = [];
      const emulator = await startEmulator({
        statePath,
        onStateWriteError: (message) => reported.push(message),
      });
      const client = sdkClient(emulator, { maxAttempts: 1 });
      try {
        const { distributionConfigurationArn: savedArn = "" } = await client.send(create("saved"));
        await breakFolder(sub);

        for (let attempt = 1; attempt <= 2; attempt++) {
          // The same request and clientToken each time, as the CLI's and SDK's retries send it.
          const failed = await rejection(client.send(create("unsaved")));
          expect(failed.name, `attempt ${attempt}`).toBe("ServiceException");
          expect(failed.$metadata?.httpStatusCode).toBe(500);
        }
        expect(reported).toHaveLength(2);
        expect(reported[0]).toMatch(/^cannot write state file .*state\.json: /);
        expect(await listNames(emulator.url)).toEqual(["saved"]);
        const get = await rejection(
          client.send(
            new GetDistributionConfigurationCommand({
              distributionConfigurationArn: savedArn.replace("saved", "unsaved"),
            }),
          ),
        );
        expect(get.name).toBe("ResourceNotFoundException");
        expect(emulator.snapshot().configurations.map((configuration) => configuration.name)).toEqual([
          "saved",
        ]);
        expect(emulator.snapshot().clientTokens).toHaveLength(1);

        // Changes to what was saved are rolled back as well: Delete fails, and "saved" stays.
        const deleted = await rejection(
          client.send(new DeleteDistributionConfigurationCommand({ distributionConfigurationArn: savedArn })),
        );
        expect(deleted.$metadata?.httpStatusCode).toBe(500);
        expect(await listNames(emulator.url)).toEqual(["saved"]);

        // With the folder back, the retry is applied (not replayed) and reaches the file.
        await rm(sub, { recursive: true, force: true });
        await mkdir(sub);
        await client.send(create("unsaved"));
        const state = JSON.parse(await readFile(statePath, "utf8")) as StoreState;
        expect(state.configurations.map((configuration) => configuration.name).sort()).toEqual([
          "saved",
          "unsaved",
        ]);
      } finally {
        client.destroy();
        await emulator.close();
      }
    });
  }

  test("concurrent reads never show a create whose write fails", async () => {
    const sub = join(folder, "sub");
    await mkdir(sub);
    const emulator = await startEmulator({ statePath: join(sub, "state.json") });
    const client = sdkClient(emulator, { maxAttempts: 1 });
    try {
      await rm(sub, { recursive: true });
      const seen: string[] = [];
      const creates = Array.from({ length: 30 }, (_, index) =>
        rejection(client.send(create(`concurrent-${index}`))),
      );
      const lists = Array.from({ length: 30 }, async () => {
        try {
          const page = await client.send(new ListDistributionConfigurationsCommand({}));
          for (const summary of page.distributionConfigurationSummaryList ?? [])
            seen.push(summary.name ?? "");
        } catch (error) {
          // A list that saw a change in a write under way is answered 500 when that write fails.
          expect((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(500);
        }
      });
      const failures = await Promise.all(creates);
      await Promise.all(lists);
      expect(new Set(failures.map((failure) => failure.name))).toEqual(new Set(["ServiceException"]));
      expect(seen).toEqual([]);
      expect(emulator.snapshot().configurations).toEqual([]);
    } finally {
      client.destroy();
      await emulator.close();
    }
  });
});

describe("pnpm emulator (src/main.ts)", () => {
  test("a state path that cannot be written prints one line and exits 2", async () => {
    const statePath = join(folder, "nodir", "x", "state.json");
    const emulator = spawnEmulator(["--state", statePath]);
    expect(await emulator.firstLine).toBeUndefined();
    const exit = await emulator.exited;
    expect(exit.code).toBe(2);
    expect(exit.stderr.trim().split("\n")).toEqual([
      `emulator: cannot start: cannot write state file ${statePath}: the folder ${join(folder, "nodir", "x")} does not exist`,
    ]);
  });

  test("a write that fails after start is reported on stderr, one line", async () => {
    const sub = join(folder, "sub");
    await mkdir(sub);
    const statePath = join(sub, "state.json");
    const emulator = spawnEmulator(["--state", statePath]);
    const url = (await emulator.firstLine) as string;
    await rm(sub, { recursive: true });
    const client = sdkClient({ url }, { maxAttempts: 1 });
    const failed = await rejection(client.send(create("lost")));
    client.destroy();
    expect(failed.$metadata?.httpStatusCode).toBe(500);
    emulator.child.kill("SIGTERM");
    const exit = await emulator.exited;
    expect(exit.stderr.trim().split("\n")).toEqual([
      `emulator: cannot write state file ${statePath}: the folder ${sub} does not exist; unsaved changes rolled back`,
      "emulator: SIGTERM, stopping",
    ]);
  });

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
