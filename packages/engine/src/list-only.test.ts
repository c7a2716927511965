// A list-only plan (records trusted, no Get for what did not change) finds exactly the drift a full
// refresh finds, whatever was changed behind Waybill's back through the API: the emulator over real
// HTTP, the real SDK, the engine's own plan and apply.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AwsAccess, createAwsAccess, type ImageBuilderGateway } from "@waybill/aws";
import { APPLIED_TAG, MANAGED_BY_TAG, type Plan, SOURCE_TAG } from "@waybill/core";
import { type Emulator, startEmulator } from "@waybill/emulator";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { applyRepository, planRepository } from "./repository.js";
import { loadSettings } from "./settings.js";

const REGION = "us-east-1";
const credentials = { accessKeyId: "AKIAWAYBILLTEST00001", secretAccessKey: "not-a-secret" };
let emulator: Emulator;
/** Someone else, through the API: the SDK behind the adapter's gateway, no Waybill logic. */
let sdk: ImageBuilderGateway;
const dirs: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  sdk = createAwsAccess({ endpointUrl: emulator.url, credentials }).clientFor(REGION);
});
afterAll(async () => {
  await emulator.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** One configuration file's content, from a few knobs (so files can change, and back). */
interface FileContent {
  description: string | undefined;
  userIds: string[];
  secondRegion: boolean;
  team: string | undefined;
}

const fileContent: fc.Arbitrary<FileContent> = fc.record({
  description: fc.option(fc.constantFrom("Golden AMI", "Web base", "x"), { nil: undefined }),
  userIds: fc.subarray(["111111111111", "222222222222", "333333333333"]),
  secondRegion: fc.boolean(),
  team: fc.option(fc.constantFrom("web", "data"), { nil: undefined }),
});

function distributionsOf(name: string, content: FileContent) {
  return [
    {
      region: REGION,
      amiDistributionConfiguration: {
        name: `${name} {{imagebuilder:buildDate}}`,
        ...(content.userIds.length > 0 ? { launchPermission: { userIds: content.userIds } } : {}),
      },
    },
    ...(content.secondRegion
      ? [
          {
            region: "eu-west-1",
            amiDistributionConfiguration: { name: `${name} {{imagebuilder:buildDate}}` },
          },
        ]
      : []),
  ];
}

function fileText(name: string, content: FileContent): string {
  return `${JSON.stringify(
    {
      name,
      region: REGION,
      ...(content.description === undefined ? {} : { description: content.description }),
      distributions: distributionsOf(name, content),
      ...(content.team === undefined ? {} : { tags: { team: content.team } }),
    },
    null,
    2,
  )}\n`;
}

/** Every way the API lets someone change a configuration behind Waybill's back. */
type ForeignChange =
  | { kind: "update"; content: FileContent }
  | { kind: "update-same" }
  | { kind: "tag"; key: string; value: string }
  | { kind: "untag"; key: string }
  | { kind: "copy-record"; from: number }
  | { kind: "delete" }
  | { kind: "recreate"; content: FileContent | undefined }
  | { kind: "edit-file"; content: FileContent };

const tagKey = fc.constantFrom("team", "owner", MANAGED_BY_TAG, SOURCE_TAG, APPLIED_TAG);
const foreignChange: fc.Arbitrary<ForeignChange> = fc.oneof(
  fc.record({ kind: fc.constant("update" as const), content: fileContent }),
  fc.constant({ kind: "update-same" as const }),
  fc.record({
    kind: fc.constant("tag" as const),
    key: tagKey,
    value: fc.constantFrom("web", "other", "v1:0"),
  }),
  fc.record({ kind: fc.constant("untag" as const), key: tagKey }),
  fc.record({ kind: fc.constant("copy-record" as const), from: fc.nat(3) }),
  fc.constant({ kind: "delete" as const }),
  fc.record({ kind: fc.constant("recreate" as const), content: fc.option(fileContent, { nil: undefined }) }),
  fc.record({ kind: fc.constant("edit-file" as const), content: fileContent }),
);

let run = 0;

/** The plan without what differs by construction between two plans: its id. */
function comparable(plan: Plan) {
  const { id: _id, ...rest } = plan;
  return rest;
}

async function plans(root: string, aws: () => AwsAccess) {
  const loaded = await loadSettings({ root });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  const now = new Date("2026-11-23T10:15:30.123Z");
  const listOnlyAccess = aws();
  const listOnly = await planRepository({ root, settings: loaded.settings, aws: listOnlyAccess, now });
  const refreshed = await planRepository({ root, settings: loaded.settings, aws: aws(), now, refresh: true });
  if (listOnly.status !== "planned" || refreshed.status !== "planned") throw new Error("invalid estate");
  return { listOnly: listOnly.plan, refreshed: refreshed.plan, listOnlyCounts: listOnlyAccess.callCounts() };
}

/** Waits for the clock to pass the millisecond of Waybill's last write (see docs/plans.md). */
function afterThisMillisecond(): void {
  const now = Date.now();
  while (Date.now() <= now) {
    // spin: at most a millisecond
  }
}

describe("list-only plans", () => {
  test("after an apply, a plan of unchanged configurations makes no Get; --refresh Gets each", async () => {
    emulator.reset();
    const root = await mkdtemp(join(tmpdir(), "waybill-list-only-"));
    dirs.push(root);
    await writeFile(join(root, "waybill.config.yaml"), `stack: s\ndefaultRegion: ${REGION}\n`);
    await mkdir(join(root, "waybill"));
    const content: FileContent = {
      description: "x",
      userIds: ["111111111111"],
      secondRegion: true,
      team: "web",
    };
    for (const name of ["web-a", "web-b", "web-c"])
      await writeFile(join(root, "waybill", `${name}.json`), fileText(name, content));
    const access = () => createAwsAccess({ endpointUrl: emulator.url, credentials });
    const loaded = await loadSettings({ root });
    if (!loaded.ok) throw new Error("settings");
    const applied = await applyRepository({ root, settings: loaded.settings, aws: access() });
    expect(applied.status === "applied" && applied.ok, JSON.stringify(applied).slice(0, 2000)).toBe(true);
    const { listOnly, refreshed, listOnlyCounts } = await plans(root, access);
    expect(listOnly.summary).toMatchObject({ "no-op": 3 });
    expect(listOnlyCounts.calls.GetDistributionConfiguration ?? 0).toBe(0);
    expect(comparable(listOnly)).toEqual(comparable(refreshed));
  });

  test("finds the same drift as a full refresh, whatever changed behind Waybill's back", async () => {
    const access = () => createAwsAccess({ endpointUrl: emulator.url, credentials });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fileContent, { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(fc.nat(2), foreignChange), { maxLength: 4 }),
        async (contents, changes) => {
          emulator.reset();
          run++;
          const root = await mkdtemp(join(tmpdir(), "waybill-list-only-"));
          dirs.push(root);
          await writeFile(join(root, "waybill.config.yaml"), `stack: s\ndefaultRegion: ${REGION}\n`);
          await mkdir(join(root, "waybill"));
          const names = contents.map((_, index) => `cfg-${run}-${index}`);
          for (const [index, content] of contents.entries())
            await writeFile(
              join(root, "waybill", `${names[index]}.json`),
              fileText(names[index] as string, content),
            );
          const loaded = await loadSettings({ root });
          if (!loaded.ok) throw new Error("settings");
          const applied = await applyRepository({ root, settings: loaded.settings, aws: access() });
          if (applied.status !== "applied" || !applied.ok) throw new Error("apply failed");
          const arnOf = new Map(
            applied.results.map((result) => [result.change.name, result.arn ?? ""] as const),
          );
          afterThisMillisecond();
          for (const [target, change] of changes) {
            const name = names[target % names.length] as string;
            const arn = arnOf.get(name) as string;
            await foreign(change, { name, arn, root, arnOf, names });
          }
          const { listOnly, refreshed } = await plans(root, access);
          expect(comparable(listOnly)).toEqual(comparable(refreshed));
        },
      ),
      { numRuns: 40 },
    );
  }, 240_000);
});

async function foreign(
  change: ForeignChange,
  at: { name: string; arn: string; root: string; arnOf: Map<string, string>; names: string[] },
): Promise<void> {
  const current = () => sdk.get(at.arn).catch(() => undefined);
  switch (change.kind) {
    case "update": {
      if ((await current()) === undefined) return;
      await sdk.update({
        distributionConfigurationArn: at.arn,
        ...(change.content.description === undefined ? {} : { description: change.content.description }),
        distributions: distributionsOf(at.name, change.content),
      });
      return;
    }
    case "update-same": {
      const live = await current();
      if (live === undefined) return;
      await sdk.update({
        distributionConfigurationArn: at.arn,
        ...(live.description === undefined ? {} : { description: live.description }),
        distributions: withoutEmptyLists(live.distributions ?? []),
      });
      return;
    }
    case "tag":
      if ((await current()) === undefined) return;
      await sdk.tag(at.arn, { [change.key]: change.value });
      return;
    case "untag":
      if ((await current()) === undefined) return;
      await sdk.untag(at.arn, [change.key]);
      return;
    case "copy-record": {
      const from = at.arnOf.get(at.names[change.from % at.names.length] as string) as string;
      const source = await sdk
        .get(from)
        .then((configuration) => configuration.tags?.[APPLIED_TAG])
        .catch(() => undefined);
      if (source === undefined || (await current()) === undefined) return;
      await sdk.tag(at.arn, { [APPLIED_TAG]: source });
      return;
    }
    case "delete":
      if ((await current()) === undefined) return;
      await sdk.delete(at.arn);
      return;
    case "recreate": {
      // Deleted and made again under the same name, every tag copied (the record included).
      const live = await current();
      if (live === undefined) return;
      await sdk.delete(at.arn);
      afterThisMillisecond();
      await sdk.create({
        name: at.name,
        ...(change.content === undefined
          ? {
              ...(live.description === undefined ? {} : { description: live.description }),
              // The service echoes `targetAccountIds: []`, which Create refuses.
              distributions: withoutEmptyLists(live.distributions ?? []),
            }
          : {
              ...(change.content.description === undefined
                ? {}
                : { description: change.content.description }),
              distributions: distributionsOf(at.name, change.content),
            }),
        ...(live.tags && Object.keys(live.tags).length > 0 ? { tags: live.tags } : {}),
        clientToken: `recreate-${run}-${at.name}-${Date.now()}`,
      });
      return;
    }
    case "edit-file":
      await writeFile(join(at.root, "waybill", `${at.name}.json`), fileText(at.name, change.content));
      return;
  }
}

function withoutEmptyLists<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutEmptyLists) as T;
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, member]) => !(Array.isArray(member) && member.length === 0))
      .map(([key, member]) => [key, withoutEmptyLists(member)]),
  ) as T;
}
