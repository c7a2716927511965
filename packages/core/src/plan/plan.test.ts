import { describe, expect, test } from "vitest";
import { ROLLOUT_OF_TAG } from "../images/image-model.js";
import type { JsonValue } from "./canonical-json.js";
import { liveStateFingerprint } from "./fingerprint.js";
import { plan } from "./plan.js";
import { type LiveConfiguration, MANAGED_BY_TAG, REPLACES_TAG, SOURCE_TAG } from "./plan-model.js";
import {
  ACCOUNT,
  aDesired,
  aDistribution,
  aLive,
  aLiveFrom,
  anUnmanagedLive,
  STACK,
} from "./testing/builders.js";

const now = new Date("2026-11-23T10:15:30.123Z");

function managed(source: string, replaces?: string): Record<string, string> {
  return {
    [MANAGED_BY_TAG]: STACK,
    [SOURCE_TAG]: source,
    ...(replaces === undefined ? {} : { [REPLACES_TAG]: replaces }),
    team: "web",
  };
}

/** The reviewer's case: alpha from waybill/x.yaml was replaced by beta, whose delete of alpha failed. */
function alpha(overrides: Partial<LiveConfiguration> = {}): LiveConfiguration {
  return aLive("alpha", { tags: managed("waybill/x.yaml"), ...overrides });
}

function beta(): LiveConfiguration {
  return aLive("beta", {
    tags: managed("waybill/x.yaml", alpha().arn),
    dateCreated: "2026-11-20T09:00:00.000Z",
  });
}

describe("plan", () => {
  test("creates what is missing, with the managed tags and a derived ARN", () => {
    const result = plan([aDesired("web-base")], [], { stack: STACK, now });
    const [change] = result.changes;
    expect(change?.action).toBe("create");
    if (change?.action !== "create") return;
    expect(change.arn).toBe(`arn:aws:imagebuilder:us-west-2:${ACCOUNT}:distribution-configuration/web-base`);
    expect(change.document.tags).toEqual({
      team: "web",
      [MANAGED_BY_TAG]: STACK,
      [SOURCE_TAG]: "configs/web-base.yaml",
    });
    expect(change.amiNames).toEqual([
      {
        region: "eu-west-1",
        template: "web-base {{imagebuilder:buildDate}}",
        preview: "web-base 2026-11-23T10-15-30.123Z",
      },
      {
        region: "us-west-2",
        template: "web-base {{imagebuilder:buildDate}}",
        preview: "web-base 2026-11-23T10-15-30.123Z",
      },
    ]);
    expect(result.summary.create).toBe(1);
  });

  test("is a no-op when live matches, whatever the order, the defaults and the service's echoes", () => {
    const desired = aDesired("web-base", {
      distributions: [
        aDistribution("us-west-2"),
        aDistribution("eu-west-1", {
          launchTemplateConfigurations: [{ launchTemplateId: "lt-0123456789abcdef0" }],
        }),
      ],
    });
    const live = aLiveFrom(desired, STACK, {
      distributions: [
        {
          ...aDistribution("eu-west-1"),
          amiDistributionConfiguration: {
            name: "web-base {{imagebuilder:buildDate}}",
            targetAccountIds: [],
            launchPermission: { userIds: ["210987654321", "210987654321"] },
          },
          launchTemplateConfigurations: [
            { launchTemplateId: "lt-0123456789abcdef0", setDefaultVersion: true },
          ],
        },
        aDistribution("us-west-2"),
      ],
    });
    const result = plan([desired], [live], { stack: STACK });
    expect(result.changes.map((c) => c.action)).toEqual(["no-op"]);
    expect(result.changes[0]?.diffs).toEqual([]);
  });

  test("updates a changed account set, addressed by region", () => {
    const desired = aDesired("web-base", {
      distributions: [
        aDistribution("us-west-2"),
        aDistribution("eu-west-1", {
          amiDistributionConfiguration: {
            name: "web-base {{imagebuilder:buildDate}}",
            launchPermission: { userIds: ["222222222222", "210987654321"] },
          },
        }),
      ],
    });
    const result = plan([desired], [aLive("web-base")], { stack: STACK });
    const [change] = result.changes;
    expect(change?.action).toBe("update");
    expect(change?.diffs).toEqual([
      {
        path: "distributions[eu-west-1].amiDistributionConfiguration.launchPermission.userIds",
        kind: "set",
        added: ["222222222222"],
        removed: [],
      },
    ]);
  });

  test("tags only when only tags differ", () => {
    const result = plan([aDesired("web-base", { tags: { team: "platform" } })], [aLive("web-base")], {
      stack: STACK,
    });
    const [change] = result.changes;
    expect(change?.action).toBe("tag");
    expect(change?.tags).toEqual({ add: { team: "platform" }, remove: [] });
    expect(change?.diffs).toEqual([{ path: "tags.team", kind: "changed", before: "web", after: "platform" }]);
  });

  test("an update carries the tag changes that come with it", () => {
    const desired = aDesired("web-base", { description: "new", tags: {} });
    const [change] = plan([desired], [aLive("web-base")], { stack: STACK }).changes;
    expect(change?.action).toBe("update");
    expect(change?.tags).toEqual({ add: {}, remove: ["team"] });
  });

  test("leaves aws: tags alone", () => {
    const live = aLive("web-base");
    live.tags["aws:cloudformation:stack-name"] = "x";
    expect(plan([aDesired("web-base")], [live], { stack: STACK }).changes[0]?.action).toBe("no-op");
  });

  test("a renamed source file's configuration is replaced, with a warning", () => {
    const result = plan([aDesired("web-base-v2", { source: "configs/web-base.yaml" })], [aLive("web-base")], {
      stack: STACK,
    });
    expect(result.changes.map((c) => c.action)).toEqual(["replace"]);
    const [change] = result.changes;
    if (change?.action !== "replace") throw new Error("expected a replace");
    expect(change.replaces.arn).toBe(
      `arn:aws:imagebuilder:us-west-2:${ACCOUNT}:distribution-configuration/web-base`,
    );
    expect(change.diffs[0]).toEqual({
      path: "name",
      kind: "changed",
      before: "web-base",
      after: "web-base-v2",
    });
    expect(result.warnings.map((w) => w.code)).toEqual(["replacement-breaks-pipelines"]);
  });

  test("a rollout's temporary configuration is no orphan: prune plans no delete, the fingerprint leaves it out", () => {
    const temporary = aLive("waybill-rollout-0123abcd", {
      tags: {
        [MANAGED_BY_TAG]: STACK,
        [ROLLOUT_OF_TAG]: "arn:aws:imagebuilder:us-west-2:123456789012:image/x/1.0.0/1",
      },
    });
    const pruned = plan([], [temporary], { stack: STACK, prune: true });
    expect(pruned.changes).toEqual([]);
    expect(pruned.fingerprint).toBe(plan([], [], { stack: STACK, prune: true }).fingerprint);
    // A configuration of a file that also carries the tag is the file's: still an orphan when its file is gone.
    const owned = aLive("old", { tags: { ...managed("waybill/old.yaml"), [ROLLOUT_OF_TAG]: "x" } });
    expect(plan([], [owned], { stack: STACK, prune: true }).changes).toMatchObject([{ action: "delete" }]);
  });

  test("a gone file's configuration is a delete, executed only with prune", () => {
    const reported = plan([], [aLive("old")], { stack: STACK });
    expect(reported.changes).toMatchObject([{ action: "delete", name: "old", executed: false }]);
    const pruned = plan([], [aLive("old")], { stack: STACK, prune: true });
    expect(pruned.changes).toMatchObject([{ action: "delete", name: "old", executed: true }]);
  });

  test("an unmanaged configuration of the same name is a conflict, or adopted when asked", () => {
    const live = anUnmanagedLive("web-base");
    const conflict = plan([aDesired("web-base")], [live], { stack: STACK });
    expect(conflict.changes).toMatchObject([{ action: "conflict", reason: "unmanaged" }]);
    const adopted = plan([aDesired("web-base")], [live], { stack: STACK, adopt: true });
    expect(adopted.changes).toMatchObject([
      {
        action: "adopt",
        contentChanged: false,
        tags: {
          add: { team: "web", [MANAGED_BY_TAG]: STACK, [SOURCE_TAG]: "configs/web-base.yaml" },
          remove: ["owner"],
        },
      },
    ]);
  });

  test("another stack's configuration is never touched, even with adopt", () => {
    const live = aLiveFrom(aDesired("web-base"), "other-stack");
    const result = plan([aDesired("web-base")], [live], { stack: STACK, adopt: true, prune: true });
    expect(result.changes).toMatchObject([
      { action: "conflict", reason: "managed-by-other-stack", owner: "other-stack" },
    ]);
    expect(plan([], [live], { stack: STACK, prune: true }).changes).toEqual([]);
  });

  test("unmanaged and unrelated configurations are neither planned nor fingerprinted", () => {
    const unrelated = anUnmanagedLive("someone-else");
    const withIt = plan([aDesired("web-base")], [unrelated], { stack: STACK });
    const without = plan([aDesired("web-base")], [], { stack: STACK });
    expect(withIt.changes.map((c) => c.action)).toEqual(["create"]);
    expect(withIt.fingerprint).toBe(without.fingerprint);
  });

  test("the fingerprint changes when a considered live configuration changes", () => {
    const before = plan([aDesired("web-base")], [aLive("web-base")], { stack: STACK });
    const after = plan([aDesired("web-base")], [aLive("web-base", { description: "edited" })], {
      stack: STACK,
    });
    expect(before.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(after.fingerprint).not.toBe(before.fingerprint);
  });

  test("the scope, when given, is part of the fingerprint; without one the fingerprint is the live state's", () => {
    const live = [aLive("web-base")];
    const unscoped = plan([aDesired("web-base")], live, { stack: STACK });
    expect(unscoped.fingerprint).toBe(liveStateFingerprint(STACK, live));
    const scoped = (scope: JsonValue) =>
      plan([aDesired("web-base")], live, { stack: STACK, scope }).fingerprint;
    expect(scoped({ files: ["a.yaml"] })).toBe(liveStateFingerprint(STACK, live, { files: ["a.yaml"] }));
    expect(scoped({ files: ["a.yaml"] })).not.toBe(unscoped.fingerprint);
    expect(scoped({ files: ["a.yaml"] })).not.toBe(scoped({ files: ["a.yaml", "b.yaml"] }));
  });

  test("the id is the one given, else the fingerprint (so plan() stays deterministic)", () => {
    const given = plan([aDesired("web-base")], [], { stack: STACK, id: "a-plan" });
    const other = plan([aDesired("web-base")], [], { stack: STACK, id: "another-plan" });
    expect(given.id).toBe("a-plan");
    expect(other.id).toBe("another-plan");
    expect({ ...other, id: "a-plan" }).toEqual(given);
    const without = plan([aDesired("web-base")], [], { stack: STACK });
    expect(without.id).toBe(without.fingerprint);
    expect(plan([aDesired("web-base")], [], { stack: STACK }).id).toBe(without.id);
  });

  test("removing a region warns that copied AMIs stay", () => {
    const desired = aDesired("web-base", { distributions: [aDistribution("us-west-2")] });
    const result = plan([desired], [aLive("web-base")], { stack: STACK });
    expect(result.changes[0]?.diffs[0]).toMatchObject({ path: "distributions[eu-west-1]", kind: "removed" });
    expect(result.warnings.map((w) => w.code)).toEqual(["region-removed"]);
  });

  test("an update request whose target is missing never creates", () => {
    const desired = aDesired("web-base", {
      kind: "update",
      arn: `arn:aws:imagebuilder:us-west-2:${ACCOUNT}:distribution-configuration/web-base`,
    });
    expect(plan([desired], [], { stack: STACK }).changes).toMatchObject([
      { action: "conflict", reason: "update-target-missing" },
    ]);
  });

  test("a second document with the same identity is a conflict", () => {
    const result = plan([aDesired("web-base"), aDesired("Web Base", { source: "b.yaml" })], [], {
      stack: STACK,
    });
    expect(result.changes.map((c) => c.action).sort()).toEqual(["conflict", "create"]);
  });

  test("a file that now yields two new names is not a rename: create both, delete the old", () => {
    const desired = [
      aDesired("web-a", { source: "configs/web-base.yaml" }),
      aDesired("web-b", { source: "configs/web-base.yaml" }),
    ];
    const result = plan(desired, [aLive("web-base")], { stack: STACK, prune: true });
    expect(result.changes.map((c) => `${c.action} ${c.name}`)).toEqual([
      "create web-a",
      "create web-b",
      "delete web-base",
    ]);
  });

  test("a replace's new configuration records the ARN it replaces; no tag change ever removes it", () => {
    const [change] = plan([aDesired("beta", { source: "waybill/x.yaml" })], [alpha()], {
      stack: STACK,
    }).changes;
    if (change?.action !== "replace") throw new Error("expected a replace");
    expect(change.document.tags[REPLACES_TAG]).toBe(alpha().arn);
    expect(change.tags.add).not.toHaveProperty(REPLACES_TAG);
    expect(change.diffs.map((diff) => diff.path)).not.toContain(`tags["${REPLACES_TAG}"]`);
    const [later] = plan([aDesired("beta", { source: "waybill/x.yaml" })], [beta()], {
      stack: STACK,
    }).changes;
    expect(later?.action).toBe("no-op");
  });

  test("a replace whose delete failed is finished without prune: the old half is deleted", () => {
    const desired = [aDesired("beta", { source: "waybill/x.yaml" })];
    const result = plan(desired, [alpha(), beta()], { stack: STACK });
    expect(result.changes.map((c) => `${c.action} ${c.name}`)).toEqual(["delete alpha", "no-op beta"]);
    expect(result.changes[0]).toMatchObject({
      action: "delete",
      arn: alpha().arn,
      executed: true,
      source: "waybill/x.yaml",
      replacedBy: { arn: beta().arn, name: "beta", region: "us-west-2" },
    });
    expect(result.warnings.map((w) => [w.code, w.configuration])).toEqual([
      ["replacement-breaks-pipelines", "alpha"],
    ]);
    // Deletes of files that are really gone still need prune.
    const gone = plan(desired, [alpha(), beta(), aLive("old")], { stack: STACK });
    expect(gone.changes.find((c) => c.name === "old")).toMatchObject({ action: "delete", executed: false });
    expect(gone.changes.find((c) => c.name === "old")).not.toHaveProperty("replacedBy");
  });

  test("a rename reverted before the old half was deleted deletes the unwanted one without prune", () => {
    const result = plan([aDesired("alpha", { source: "waybill/x.yaml" })], [alpha(), beta()], {
      stack: STACK,
    });
    expect(result.changes.map((c) => `${c.action} ${c.name}`)).toEqual(["no-op alpha", "delete beta"]);
    expect(result.changes[1]).toMatchObject({ executed: true, replacedBy: { name: "alpha" } });
  });

  test("a document removed from a file of several is no replace: its delete needs prune", () => {
    const file = "waybill/two.yaml";
    const live = [aLive("one", { tags: managed(file) }), aLive("two", { tags: managed(file) })];
    const result = plan([aDesired("one", { source: file })], live, { stack: STACK });
    expect(result.changes).toMatchObject([
      { action: "no-op", name: "one" },
      { action: "delete", name: "two", executed: false },
    ]);
  });

  test("two documents of one file renamed at once: created, and their old halves still need prune after", () => {
    const file = "waybill/two.yaml";
    const live = [aLive("one", { tags: managed(file) }), aLive("two", { tags: managed(file) })];
    const desired = [aDesired("one-v2", { source: file }), aDesired("two-v2", { source: file })];
    const first = plan(desired, live, { stack: STACK });
    expect(first.changes.map((c) => `${c.action} ${c.name}`)).toEqual([
      "delete one",
      "create one-v2",
      "delete two",
      "create two-v2",
    ]);
    const afterCreates = [...live, ...desired.map((d) => aLiveFrom(d))];
    const second = plan(desired, afterCreates, { stack: STACK });
    expect(second.changes.filter((c) => c.action === "delete")).toMatchObject([
      { name: "one", executed: false },
      { name: "two", executed: false },
    ]);
  });

  test("in a file of several documents, each unfinished replace is finished and a new rename is a replace", () => {
    const file = "waybill/many.yaml";
    const live = [
      aLive("a", { tags: managed(file) }),
      aLive("a-v2", { tags: managed(file, aLive("a").arn) }),
      aLive("b", { tags: managed(file) }),
      aLive("b-v2", { tags: managed(file, aLive("b").arn) }),
      aLive("c", { tags: managed(file) }),
    ];
    const desired = ["a-v2", "b-v2", "c-v2"].map((name) => aDesired(name, { source: file }));
    const result = plan(desired, live, { stack: STACK });
    expect(result.changes.map((c) => `${c.action} ${c.name}`)).toEqual([
      "delete a",
      "no-op a-v2",
      "delete b",
      "no-op b-v2",
      "replace c-v2",
    ]);
    expect(result.changes.filter((c) => c.action === "delete")).toMatchObject([
      { executed: true, replacedBy: { name: "a-v2" } },
      { executed: true, replacedBy: { name: "b-v2" } },
    ]);
  });

  test("an old waybill:replaces tag does not finish anything: other file, other stack, or a newer namesake", () => {
    const elsewhere = plan([aDesired("beta", { source: "waybill/y.yaml" })], [alpha(), beta()], {
      stack: STACK,
    });
    expect(elsewhere.changes.find((c) => c.name === "alpha")).toMatchObject({ executed: false });
    const foreignSuccessor = aLive("beta", {
      tags: { [MANAGED_BY_TAG]: "other", [SOURCE_TAG]: "waybill/x.yaml", [REPLACES_TAG]: alpha().arn },
    });
    const foreign = plan([aDesired("beta", { source: "waybill/x.yaml" })], [alpha(), foreignSuccessor], {
      stack: STACK,
    });
    expect(foreign.changes.find((c) => c.name === "alpha")).toMatchObject({ executed: false });
    // alpha was replaced by beta long ago, then created again in the same file and now removed.
    const recreated = alpha({ dateCreated: "2026-11-22T09:00:00.000Z" });
    const newer = plan([aDesired("beta", { source: "waybill/x.yaml" })], [recreated, beta()], {
      stack: STACK,
    });
    expect(newer.changes.find((c) => c.name === "alpha")).toMatchObject({ executed: false });
    expect(newer.changes.find((c) => c.name === "alpha")).not.toHaveProperty("replacedBy");
  });

  test("the same ARN under another spelling is the same configuration, with a warning", () => {
    const result = plan([aDesired("Web Base", { source: "configs/web-base.yaml" })], [aLive("web-base")], {
      stack: STACK,
    });
    expect(result.changes.map((c) => c.action)).toEqual(["update"]);
    expect(result.warnings.map((w) => w.code)).toEqual(["name-spelling-differs"]);
  });

  test("without now, a plan carries no AMI name previews (no clock is read)", () => {
    expect(plan([aDesired("web-base")], [], { stack: STACK }).changes[0]?.amiNames).toEqual([]);
  });

  test("changes are built in canonical key order (all but documents), so hashing a plan copies little", () => {
    // Documents (`document`, a delete's `destroys`) hold the user's distributions as given.
    const inOrder = (value: unknown, path: string): string[] => {
      if (typeof value !== "object" || value === null) return [];
      if (Array.isArray(value)) return value.flatMap((item) => inOrder(item, `${path}[]`));
      const keys = Object.keys(value);
      const here = keys.join() === [...keys].sort().join() ? [] : [path];
      return [
        ...here,
        ...keys
          .filter((key) => key !== "document" && key !== "destroys")
          .flatMap((key) => inOrder((value as Record<string, unknown>)[key], `${path}.${key}`)),
      ];
    };
    const drifted = aLive("drifted", {
      description: "changed by hand",
      distributions: [aDistribution("us-west-2"), aDistribution("ap-south-1")],
    });
    const changes = [
      ...plan(
        [aDesired("web-base"), aDesired("drifted"), aDesired("web-base-v2", { source: "configs/old.yaml" })],
        [drifted, aLive("old"), aLive("gone"), aLiveFrom(aDesired("tagged", { tags: { team: "x" } }))],
        { stack: STACK, now, prune: true },
      ).changes,
      ...plan([aDesired("web-base")], [anUnmanagedLive("web-base")], { stack: STACK, adopt: true }).changes,
      ...plan([aDesired("web-base")], [anUnmanagedLive("web-base")], { stack: STACK }).changes,
    ];
    expect(new Set(changes.map((change) => change.action))).toEqual(
      new Set(["create", "update", "replace", "delete", "adopt", "conflict"]),
    );
    expect(inOrder(changes, "changes")).toEqual([]);
  });
});
