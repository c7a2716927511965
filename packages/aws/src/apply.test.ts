import { randomUUID } from "node:crypto";
import { CreateImagePipelineCommand, ImagebuilderClient } from "@aws-sdk/client-imagebuilder";
import {
  APPLIED_TAG,
  appliedRecord,
  contentDigest,
  type DesiredConfiguration,
  type LiveConfiguration,
  MANAGED_BY_TAG,
  type Plan,
  plan,
  trustedLiveConfiguration,
} from "@waybill/core";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { AwsAccess } from "./access.js";
import { applyPlan } from "./apply.js";
import type { ImageBuilderGateway } from "./gateway.js";
import { type LiveStateProgress, readLiveState } from "./live-state.js";
import { type EmulatorFixture, emulatorCredentials, startEmulatorFixture } from "./testing/emulator.js";

const stack = "test-stack";

function desired(
  name: string,
  region: string,
  overrides: Partial<DesiredConfiguration> = {},
): DesiredConfiguration {
  return {
    name,
    region,
    source: `waybill/${name}.yaml`,
    distributions: [
      { region, amiDistributionConfiguration: { name: `${name} {{imagebuilder:buildDate}}` } },
      {
        region: "eu-central-1",
        amiDistributionConfiguration: { name: `${name} {{imagebuilder:buildDate}}` },
      },
    ],
    ...overrides,
  };
}

async function liveOf(aws: AwsAccess, regions: string[]): Promise<LiveConfiguration[]> {
  return readLiveState({ regions, clientFor: (region) => aws.clientFor(region) });
}

/** A plan from today's live state, with a random id as the engine gives it. */
async function planAgainst(
  aws: AwsAccess,
  wanted: DesiredConfiguration[],
  options: { prune?: boolean; adopt?: boolean; regions?: string[] } = {},
): Promise<Plan> {
  const regions = options.regions ?? [...new Set(wanted.map((d) => d.region))];
  return plan(wanted, await liveOf(aws, regions), {
    stack,
    prune: options.prune ?? false,
    adopt: options.adopt ?? false,
    id: randomUUID(),
  });
}

let fixture: EmulatorFixture;
beforeAll(async () => {
  fixture = await startEmulatorFixture();
});
beforeEach(() => {
  fixture.emulator.reset();
  fixture.emulator.setFaults({ throttleRps: 0, errorRate: 0, dropRate: 0, latencyMs: 0 });
});
afterAll(async () => {
  await fixture.emulator.close();
});

describe("readLiveState", () => {
  test("lists every page and gets each configuration once, across regions", async () => {
    const aws = fixture.newAccess();
    for (let index = 0; index < 30; index++) {
      await aws.clientFor("us-east-1").create({
        name: `east-${index}`,
        distributions: desired("x", "us-east-1").distributions,
        tags: { [MANAGED_BY_TAG]: stack },
        clientToken: `east-${index}`,
      });
    }
    await aws.clientFor("eu-west-1").create({
      name: "west",
      description: "the west",
      distributions: desired("x", "eu-west-1").distributions,
      tags: { team: "a" },
      clientToken: "west",
    });
    fixture.emulator.resetCounts();
    const reader = fixture.newAccess();
    const live = await liveOf(reader, ["us-east-1", "eu-west-1"]);
    expect(live).toHaveLength(31);
    expect(live[0]).toMatchObject({
      name: "west",
      region: "eu-west-1",
      accountId: "123456789012",
      description: "the west",
      tags: { team: "a" },
      arn: "arn:aws:imagebuilder:eu-west-1:123456789012:distribution-configuration/west",
    });
    expect(fixture.emulator.requestCounts()).toMatchObject({
      ListDistributionConfigurations: 3,
      GetDistributionConfiguration: 31,
      ListTagsForResource: 0,
    });
  });

  test("needsDetails skips the Get of configurations a run would never touch", async () => {
    const aws = fixture.newAccess();
    for (const name of ["mine", "other", "unrelated"]) {
      await aws.clientFor("us-east-1").create({
        name,
        distributions: desired("x", "us-east-1").distributions,
        ...(name === "mine" ? { tags: { [MANAGED_BY_TAG]: stack } } : {}),
        clientToken: name,
      });
    }
    fixture.emulator.resetCounts();
    const live = await readLiveState({
      regions: ["us-east-1"],
      clientFor: (region) => fixture.newAccess().clientFor(region),
      needsDetails: (summary) => summary.tags?.[MANAGED_BY_TAG] === stack,
    });
    expect(live.map((c) => c.name)).toEqual(["mine"]);
    expect(fixture.emulator.requestCounts().GetDistributionConfiguration).toBe(1);
  });

  test("onProgress counts List pages and Gets, done of known, over all regions", async () => {
    const aws = fixture.newAccess();
    for (let index = 0; index < 27; index++) {
      await aws.clientFor("us-east-1").create({
        name: `east-${index}`,
        distributions: desired("x", "us-east-1").distributions,
        clientToken: `progress-${index}`,
      });
    }
    const seen: LiveStateProgress[] = [];
    const live = await readLiveState({
      regions: ["us-east-1", "eu-west-1"],
      clientFor: (region) => fixture.newAccess().clientFor(region),
      needsDetails: (summary) => (summary.name ?? "").endsWith("1"),
      onProgress: (progress) => seen.push(progress),
    });
    expect(live.map((c) => c.name)).toEqual(["east-1", "east-11", "east-21"]);
    // 2 pages in us-east-1 and 1 in eu-west-1, each region's end, then 3 Gets.
    expect(seen).toHaveLength(3 + 2 + 3);
    expect(seen.at(-1)).toEqual({
      pages: 3,
      regionsListed: 2,
      regions: 2,
      gets: 3,
      getsTotal: 3,
      trusted: 0,
    });
    // Each call reports one more step (a page, a region's end or a Get); never more Gets than known.
    for (const [index, progress] of seen.entries()) {
      const before = seen[index - 1];
      if (before)
        expect(progress.pages + progress.gets + progress.regionsListed).toBe(
          before.pages + before.gets + before.regionsListed + 1,
        );
      expect(progress.gets).toBeLessThanOrEqual(progress.getsTotal);
    }
  });
});

describe("the waybill:applied record", () => {
  test("each create and update leaves a record of the content and the dates read back once", async () => {
    const aws = fixture.newAccess();
    const web = desired("web", "us-west-2", { description: "first" });
    const created = await applyPlan(await planAgainst(aws, [web]), { clientFor: (r) => aws.clientFor(r) });
    const arn = created[0]?.arn as string;
    const afterCreate = await aws.clientFor("us-west-2").get(arn);
    expect(afterCreate.tags?.[APPLIED_TAG]).toBe(
      appliedRecord(contentDigest(web), {
        arn,
        dateCreated: afterCreate.dateCreated,
        dateUpdated: undefined,
      }),
    );
    const changed = { ...web, description: "second" };
    const updated = await applyPlan(await planAgainst(aws, [changed]), {
      clientFor: (r) => aws.clientFor(r),
    });
    expect(updated.map((r) => [r.change.action, r.status])).toEqual([["update", "ok"]]);
    const afterUpdate = await aws.clientFor("us-west-2").get(arn);
    expect(afterUpdate.dateUpdated).toBeDefined();
    expect(afterUpdate.tags?.[APPLIED_TAG]).toBe(
      appliedRecord(contentDigest(changed), {
        arn,
        dateCreated: afterUpdate.dateCreated,
        dateUpdated: afterUpdate.dateUpdated,
      }),
    );
    // A plan never touches the record: it is no tag change.
    const again = await planAgainst(aws, [changed]);
    expect(again.changes.map((c) => [c.action, c.tags])).toEqual([["no-op", { add: {}, remove: [] }]]);
  });

  test("an update's tags ride on its record's Tag; when the record is one tag too many, the tags are written alone", async () => {
    const aws = fixture.newAccess();
    // 47 tags of the user's and the two managed ones: 49, one short of the service's 50.
    const many = Object.fromEntries(Array.from({ length: 47 }, (_, index) => [`k${index}`, "v"]));
    const web = desired("web", "us-west-2", { tags: many });
    await applyPlan(await planAgainst(aws, [web]), { clientFor: (r) => aws.clientFor(r) });
    const arn = (await liveOf(aws, ["us-west-2"]))[0]?.arn as string;
    // The record made the 50th. With it removed by hand, one tag more makes 50 again: no room for
    // a new record.
    await aws.clientFor("us-west-2").untag(arn, [APPLIED_TAG]);
    const more = { ...web, description: "more", tags: { ...many, k47: "v" } };
    const updated = await applyPlan(await planAgainst(aws, [more]), { clientFor: (r) => aws.clientFor(r) });
    expect(updated.map((r) => [r.change.action, r.status])).toEqual([["update", "ok"]]);
    const live = await aws.clientFor("us-west-2").get(arn);
    expect(live.description).toBe("more");
    expect(live.tags?.k47).toBe("v");
    expect(live.tags?.[APPLIED_TAG]).toBeUndefined();
    // Without a record the next plan reads it, and finds nothing to do.
    expect((await planAgainst(aws, [more])).changes.map((c) => c.action)).toEqual(["no-op"]);
  });

  test("readLiveState takes what `trusted` vouches for from List, and Gets the rest", async () => {
    const aws = fixture.newAccess();
    const wanted = [desired("web", "us-west-2"), desired("api", "us-west-2")];
    await applyPlan(await planAgainst(aws, wanted), { clientFor: (r) => aws.clientFor(r) });
    const api = wanted[1] as DesiredConfiguration;
    fixture.emulator.resetCounts();
    const live = await readLiveState({
      regions: ["us-west-2"],
      clientFor: (region) => aws.clientFor(region),
      trusted: (summary, region) =>
        summary.name === "api"
          ? trustedLiveConfiguration(
              api,
              { ...summary, arn: summary.arn ?? "" },
              { region, accountId: "123456789012" },
            )
          : undefined,
    });
    expect(fixture.emulator.requestCounts().GetDistributionConfiguration).toBe(1);
    expect(live.map((c) => [c.name, c.tags[MANAGED_BY_TAG]])).toEqual([
      ["api", stack],
      ["web", stack],
    ]);
    // What List vouched for plans as what a Get would have shown.
    const fromGets = await liveOf(aws, ["us-west-2"]);
    expect(plan(wanted, live, { stack, id: "x" }).changes).toEqual(
      plan(wanted, fromGets, { stack, id: "x" }).changes,
    );
  });
});

/** What someone else does to a configuration right after apply's write answers, before apply reads it. */
type Interference =
  | "recreate-other"
  | "recreate-same"
  | "update-other"
  | "update-same"
  | "tag"
  | "untag-record"
  | "delete";

/**
 * A gateway like `gateway` whose Create and Update, once answered, let `other` (someone else,
 * through the API) act on the configuration before returning: so the interference lands between
 * apply's write and whatever apply does next to learn the dates (docs/plans.md, "Why the record
 * costs a read per write").
 */
function interfering(
  gateway: ImageBuilderGateway,
  other: ImageBuilderGateway,
  interference: Interference,
): ImageBuilderGateway {
  const act = async (arn: string) => {
    const live = await other.get(arn);
    const document = {
      ...(live.description === undefined ? {} : { description: live.description }),
      distributions: withoutEchoes(live.distributions ?? []),
    };
    // Other content under the same description: only the distributions (which List does not show) differ.
    const otherDocument = { ...document, distributions: document.distributions.slice(0, 1) };
    // The clock passes the millisecond of the write first, as the service's would (docs/plans.md).
    const start = Date.now();
    while (Date.now() <= start) {
      // spin: at most a millisecond
    }
    switch (interference) {
      case "recreate-other":
      case "recreate-same":
        // Deleted and created again under the same name, every tag copied.
        await other.delete(arn);
        await other.create({
          name: live.name as string,
          ...(interference === "recreate-same" ? document : otherDocument),
          tags: live.tags ?? {},
          clientToken: randomUUID(),
        });
        return;
      case "update-other":
      case "update-same":
        await other.update({
          distributionConfigurationArn: arn,
          ...(interference === "update-same" ? document : otherDocument),
          clientToken: randomUUID(),
        });
        return;
      case "tag":
        await other.tag(arn, { owner: "someone" });
        return;
      case "untag-record":
        await other.untag(arn, [APPLIED_TAG]);
        return;
      case "delete":
        await other.delete(arn);
        return;
    }
  };
  return new Proxy(gateway, {
    get(target, property) {
      if (property === "create")
        return async (input: Parameters<ImageBuilderGateway["create"]>[0]) => {
          const arn = await target.create(input);
          await act(arn);
          return arn;
        };
      if (property === "update")
        return async (input: Parameters<ImageBuilderGateway["update"]>[0], name?: string) => {
          await target.update(input, name);
          await act(input.distributionConfigurationArn as string);
        };
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The service's echo `targetAccountIds: []`, which Create and Update refuse, removed. */
function withoutEchoes<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutEchoes) as T;
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, member]) => !(Array.isArray(member) && member.length === 0))
      .map(([key, member]) => [key, withoutEchoes(member)]),
  ) as T;
}

describe("someone else acting between apply's write and its record", () => {
  const interferences: Interference[] = [
    "recreate-other",
    "recreate-same",
    "update-other",
    "update-same",
    "tag",
    "untag-record",
    "delete",
  ];
  const stillWritten: Record<Exclude<Interference, "delete">, boolean> = {
    "recreate-other": false,
    "recreate-same": true,
    "update-other": false,
    "update-same": true,
    tag: true,
    "untag-record": true,
  };
  for (const action of ["create", "update"] as const) {
    for (const interference of interferences) {
      test(`${action}, then ${interference}: a list-only read plans exactly as Gets do`, async () => {
        const aws = fixture.newAccess();
        const other = fixture.newAccess().clientFor("us-west-2");
        const first = desired("web", "us-west-2", { description: "first", tags: { team: "web" } });
        const wanted = action === "create" ? first : { ...first, description: "second" };
        if (action === "update")
          await applyPlan(await planAgainst(aws, [first]), { clientFor: (r) => aws.clientFor(r) });
        const changes = await planAgainst(aws, [wanted]);
        expect(changes.changes.map((c) => c.action)).toEqual([action]);
        const results = await applyPlan(changes, {
          clientFor: (r) => interfering(aws.clientFor(r), other, interference),
        });
        expect(results.map((r) => r.status)).toEqual(["ok"]);

        // The record never vouches for content apply did not write: trusting every record there is
        // plans the same as reading every configuration with a Get.
        fixture.emulator.resetCounts();
        const listOnly = await readLiveState({
          regions: ["us-west-2"],
          clientFor: (region) => aws.clientFor(region),
          trusted: (summary, region) =>
            trustedLiveConfiguration(
              wanted,
              { ...summary, arn: summary.arn ?? "" },
              { region, accountId: "123456789012" },
            ),
        });
        const trusted = (fixture.emulator.requestCounts().GetDistributionConfiguration ?? 0) === 0;
        const fromGets = await liveOf(aws, ["us-west-2"]);
        const options = { stack, id: "x", now: new Date("2026-12-01T00:00:00.000Z") };
        expect(plan([wanted], listOnly, options)).toEqual(plan([wanted], fromGets, options));
        // Where the content is still what apply wrote, the record holds and the next plan makes no
        // Get; where it is not, there is no record to trust.
        if (interference !== "delete") expect(trusted).toBe(stillWritten[interference]);
      });
    }
  }
});

describe("applyPlan", () => {
  test("creates across regions, then a re-plan has nothing to do", async () => {
    const aws = fixture.newAccess();
    const wanted = [
      desired("web", "us-west-2"),
      desired("api", "us-west-2"),
      desired("batch", "ap-southeast-2"),
    ];
    const first = await planAgainst(aws, wanted);
    expect(first.summary.create).toBe(3);
    const results = await applyPlan(first, { clientFor: (region) => aws.clientFor(region) });
    expect(results.map((r) => [r.change.name, r.change.action, r.status])).toEqual([
      ["batch", "create", "ok"],
      ["api", "create", "ok"],
      ["web", "create", "ok"],
    ]);
    expect(results[2]?.arn).toBe(
      "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/web",
    );
    const again = await planAgainst(aws, wanted);
    expect(again.changes.map((c) => c.action)).toEqual(["no-op", "no-op", "no-op"]);
  });

  test("updates content and tags, replaces a renamed configuration (create before delete), prunes only when asked", async () => {
    const aws = fixture.newAccess();
    const start = [
      desired("web", "us-west-2"),
      desired("old-name", "us-west-2", { source: "waybill/renamed.yaml" }),
      desired("gone", "us-west-2"),
    ];
    await applyPlan(await planAgainst(aws, start), { clientFor: (r) => aws.clientFor(r) });

    const next = [
      desired("web", "us-west-2", { description: "now described", tags: { team: "web" } }),
      desired("new-name", "us-west-2", { source: "waybill/renamed.yaml" }),
    ];
    const withoutPrune = await planAgainst(aws, next);
    expect(withoutPrune.changes.map((c) => [c.name, c.action])).toEqual([
      ["gone", "delete"],
      ["new-name", "replace"],
      ["web", "update"],
    ]);
    fixture.emulator.resetCounts();
    const results = await applyPlan(withoutPrune, { clientFor: (r) => aws.clientFor(r) });
    expect(results.map((r) => [r.change.name, r.status, r.reason])).toEqual([
      ["gone", "skipped", "delete needs prune"],
      ["new-name", "ok", undefined],
      ["web", "ok", undefined],
    ]);
    expect(fixture.emulator.requestCounts()).toMatchObject({
      CreateDistributionConfiguration: 1,
      UpdateDistributionConfiguration: 1,
      // A waybill:applied record each for the two configurations written (read back once: one Get
      // each); web's team tag rides on its record's Tag.
      TagResource: 2,
      GetDistributionConfiguration: 2,
      DeleteDistributionConfiguration: 1,
    });
    const live = await liveOf(aws, ["us-west-2"]);
    expect(live.map((c) => c.name)).toEqual(["gone", "new-name", "web"]);
    expect(live.find((c) => c.name === "web")).toMatchObject({
      description: "now described",
      tags: { team: "web" },
    });

    const pruned = await applyPlan(await planAgainst(aws, next, { prune: true }), {
      clientFor: (r) => aws.clientFor(r),
    });
    expect(pruned.map((r) => [r.change.name, r.change.action, r.status])).toEqual([["gone", "delete", "ok"]]);
    expect((await liveOf(aws, ["us-west-2"])).map((c) => c.name)).toEqual(["new-name", "web"]);
  });

  test("adopts an unmanaged configuration only when asked", async () => {
    const aws = fixture.newAccess();
    const wanted = [desired("legacy", "us-west-2")];
    await aws
      .clientFor("us-west-2")
      .create({ name: "legacy", distributions: wanted[0]?.distributions ?? [], clientToken: "legacy" });
    const conflict = await planAgainst(aws, wanted);
    expect(conflict.changes.map((c) => c.action)).toEqual(["conflict"]);
    expect((await applyPlan(conflict, { clientFor: (r) => aws.clientFor(r) }))[0]).toMatchObject({
      status: "skipped",
      reason: "conflict: unmanaged",
    });
    const adopt = await planAgainst(aws, wanted, { adopt: true });
    expect(adopt.changes[0]).toMatchObject({ action: "adopt", contentChanged: false });
    fixture.emulator.resetCounts();
    expect((await applyPlan(adopt, { clientFor: (r) => aws.clientFor(r) }))[0]?.status).toBe("ok");
    expect(fixture.emulator.requestCounts()).toMatchObject({
      UpdateDistributionConfiguration: 0,
      // The managed tags and the waybill:applied record (after one Get), in one Tag.
      TagResource: 1,
      GetDistributionConfiguration: 1,
    });
    expect((await planAgainst(aws, wanted)).changes.map((c) => c.action)).toEqual(["no-op"]);
  });

  test("one failure does not stop the rest and is reported with the service's error type", async () => {
    const aws = fixture.newAccess();
    await applyPlan(await planAgainst(aws, [desired("in-use", "us-west-2"), desired("free", "us-west-2")]), {
      clientFor: (r) => aws.clientFor(r),
    });
    // An image pipeline that uses it: the service then refuses the delete.
    const client = new ImagebuilderClient({
      endpoint: fixture.emulator.url,
      region: "us-west-2",
      credentials: emulatorCredentials,
    });
    await client.send(
      new CreateImagePipelineCommand({
        name: "uses-in-use",
        imageRecipeArn: "arn:aws:imagebuilder:us-west-2:123456789012:image-recipe/web/1.0.0",
        infrastructureConfigurationArn:
          "arn:aws:imagebuilder:us-west-2:123456789012:infrastructure-configuration/build",
        distributionConfigurationArn:
          "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/in-use",
      }),
    );
    client.destroy();
    const next = [desired("added", "us-west-2")];
    const results = await applyPlan(await planAgainst(aws, next, { prune: true }), {
      clientFor: (r) => aws.clientFor(r),
    });
    expect(results.map((r) => [r.change.name, r.status, r.error?.type])).toEqual([
      ["added", "ok", undefined],
      ["free", "ok", undefined],
      ["in-use", "failed", "ResourceDependencyException"],
    ]);
    expect(results[2]?.error?.message).toMatch(
      /^Could not delete distribution configuration in-use in us-west-2: /,
    );
  });

  test("under throttling, server errors and dropped connections: every change is reported, a re-run converges, nothing is created twice", async () => {
    const wanted = Array.from({ length: 60 }, (_, index) =>
      desired(`cfg-${String(index).padStart(2, "0")}`, index % 2 === 0 ? "us-east-1" : "us-east-2"),
    );
    fixture.emulator.setFaults({ throttleRps: 40, errorRate: 0.2, dropRate: 0.05, seed: 42 });
    let converged = false;
    const failureTypes = new Set<string>();
    for (let run = 0; run < 10 && !converged; run++) {
      // Plans read patiently (the SDK's retries); the apply makes one attempt per request, so
      // faults really fail changes and the next run must pick them up.
      const planned = await planAgainst(fixture.newAccess({ maxAttempts: 10 }), wanted);
      const executable = planned.changes.filter((c) => c.action !== "no-op");
      if (executable.length === 0) {
        converged = true;
        break;
      }
      expect(executable.every((c) => c.action === "create")).toBe(true);
      const aws = fixture.newAccess({ maxAttempts: 1 });
      const results = await applyPlan(planned, { clientFor: (r) => aws.clientFor(r), concurrency: 6 });
      expect(results).toHaveLength(executable.length);
      for (const result of results) {
        expect(result.status === "ok" || result.status === "failed").toBe(true);
        if (result.status === "failed") failureTypes.add(result.error?.type ?? "");
      }
    }
    expect(converged).toBe(true);
    fixture.emulator.setFaults({ throttleRps: 0, errorRate: 0, dropRate: 0 });
    // A second create of the same name would have failed as ResourceAlreadyExistsException, and a
    // reused token with another body as IdempotentParameterMismatchException.
    expect(
      [...failureTypes].filter((type) => /AlreadyExists|IdempotentParameterMismatch/.test(type)),
    ).toEqual([]);
    expect(failureTypes.size).toBeGreaterThan(0);
    const state = fixture.emulator.snapshot();
    expect(state.configurations).toHaveLength(60);
    expect(new Set(state.configurations.map((c) => c.arn)).size).toBe(60);
  });
});

describe("a repeated apply", () => {
  test("sends the same tokens, so the service answers with the first result instead of creating again", async () => {
    const aws = fixture.newAccess();
    const saved = await planAgainst(aws, [desired("web", "us-west-2")]);
    const first = await applyPlan(saved, { clientFor: (r) => aws.clientFor(r) });
    const second = await applyPlan(saved, { clientFor: (r) => aws.clientFor(r) });
    expect(second).toEqual(first);
    expect(second[0]).toMatchObject({ status: "ok", arn: first[0]?.arn });
    expect(fixture.emulator.snapshot().configurations).toHaveLength(1);
  });
});

describe("a create planned from another live state", () => {
  test("rename and revert: the last replacement's create really creates", async () => {
    const aws = fixture.newAccess();
    const apply = async (name: string) =>
      applyPlan(await planAgainst(aws, [desired(name, "us-west-2", { source: "waybill/one.yaml" })]), {
        clientFor: (r) => aws.clientFor(r),
      });
    expect((await apply("gamma"))[0]).toMatchObject({ status: "ok" });
    expect((await apply("delta"))[0]).toMatchObject({ status: "ok" });
    expect((await apply("gamma"))[0]).toMatchObject({ status: "ok" });
    expect((await liveOf(aws, ["us-west-2"])).map((c) => c.name)).toEqual(["gamma"]);
  });

  test("prune and restore: the restored configuration really exists", async () => {
    const aws = fixture.newAccess();
    const apply = async (wanted: DesiredConfiguration[]) =>
      applyPlan(await planAgainst(aws, wanted, { prune: true }), { clientFor: (r) => aws.clientFor(r) });
    const both = [desired("alpha", "us-west-2"), desired("eps", "us-west-2")];
    await apply(both);
    await apply([desired("alpha", "us-west-2")]);
    expect((await liveOf(aws, ["us-west-2"])).map((c) => c.name)).toEqual(["alpha"]);
    expect((await apply(both)).map((r) => [r.change.name, r.change.action, r.status])).toEqual([
      ["eps", "create", "ok"],
    ]);
    expect((await liveOf(aws, ["us-west-2"])).map((c) => c.name)).toEqual(["alpha", "eps"]);
  });
});

describe("a create planned from the same live state as an earlier one", () => {
  test("add, prune and restore while the rest of the stack stays: the restored configuration really exists", async () => {
    const aws = fixture.newAccess();
    const apply = async (wanted: DesiredConfiguration[]) =>
      applyPlan(await planAgainst(aws, wanted, { prune: true }), { clientFor: (r) => aws.clientFor(r) });
    const alpha = [desired("alpha", "us-west-2")];
    const both = [...alpha, desired("eps", "us-west-2")];
    await apply(alpha);
    await apply(both);
    await apply(alpha);
    expect((await liveOf(aws, ["us-west-2"])).map((c) => c.name)).toEqual(["alpha"]);
    // The same Create of eps as the second apply's, planned from the same live state (alpha alone).
    expect((await apply(both)).map((r) => [r.change.name, r.change.action, r.status])).toEqual([
      ["eps", "create", "ok"],
    ]);
    expect((await liveOf(aws, ["us-west-2"])).map((c) => c.name)).toEqual(["alpha", "eps"]);
  });
});

describe("an update after a hand edit", () => {
  test("is applied again: another plan, so another token", async () => {
    const aws = fixture.newAccess();
    const v1 = desired("web", "us-west-2", { description: "v1" });
    await applyPlan(await planAgainst(aws, [v1]), { clientFor: (r) => aws.clientFor(r) });
    const v2 = desired("web", "us-west-2", { description: "v2" });
    const applyFromLive = async () => {
      const planned = await planAgainst(aws, [v2]);
      expect(planned.changes[0]?.action).toBe("update");
      return applyPlan(planned, { clientFor: (r) => aws.clientFor(r) });
    };
    expect((await applyFromLive())[0]?.status).toBe("ok");
    const arn = (await liveOf(aws, ["us-west-2"]))[0]?.arn ?? "";
    // Someone puts v1 back by hand; the same update (v1 → v2, same body) is planned again.
    await aws.clientFor("us-west-2").update({
      distributionConfigurationArn: arn,
      description: "v1",
      distributions: v1.distributions,
      clientToken: "by-hand",
    });
    expect((await applyFromLive())[0]?.status).toBe("ok");
    expect((await liveOf(aws, ["us-west-2"]))[0]?.description).toBe("v2");
  });

  test("a retry of the same plan reuses the token and is answered from memory", async () => {
    const aws = fixture.newAccess();
    await applyPlan(await planAgainst(aws, [desired("api", "us-west-2", { description: "v1" })]), {
      clientFor: (r) => aws.clientFor(r),
    });
    const planned = await planAgainst(aws, [desired("api", "us-west-2", { description: "v2" })]);
    const first = await applyPlan(planned, { clientFor: (r) => aws.clientFor(r) });
    const updatedAt = (await liveOf(aws, ["us-west-2"]))[0]?.dateUpdated;
    const again = await applyPlan(planned, { clientFor: (r) => aws.clientFor(r) });
    expect(again).toEqual(first);
    // Answered from the service's memory: not applied a second time.
    expect((await liveOf(aws, ["us-west-2"]))[0]?.dateUpdated).toBe(updatedAt);
  });
});
