import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Distribution } from "../schema.js";
import { canonicalJson } from "./canonical-json.js";
import { isExecuted } from "./describe.js";
import { diffContent } from "./diff.js";
import { normalizeDistributions } from "./normalize.js";
import { plan } from "./plan.js";
import {
  type DesiredConfiguration,
  type LiveConfiguration,
  MANAGED_BY_TAG,
  REPLACES_TAG,
  SOURCE_TAG,
} from "./plan-model.js";
import { type Grant, sharingChanged, sharingOf, widensLaunch } from "./sharing.js";
import {
  contentArbitrary,
  distributionArbitrary,
  distributionsArbitrary,
  equivalentDistributions,
} from "./testing/arbitraries.js";
import { simulateApply } from "./testing/simulate.js";

describe("normalisation and diff laws", () => {
  test("diff(x, x) is empty", () => {
    fc.assert(
      fc.property(contentArbitrary, (content) => {
        expect(diffContent(content, content)).toEqual([]);
      }),
    );
  });

  test("diffs ignore distribution order, set-list order, repeats, defaults and the service's echoes", () => {
    fc.assert(
      fc.property(contentArbitrary, fc.nat(), (content, seed) => {
        const echoed = { ...content, distributions: equivalentDistributions(content.distributions, seed) };
        expect(diffContent(content, echoed)).toEqual([]);
        expect(diffContent(echoed, content)).toEqual([]);
      }),
    );
  });

  test("normalising twice equals normalising once", () => {
    fc.assert(
      fc.property(distributionsArbitrary, fc.nat(), (distributions, seed) => {
        const once = normalizeDistributions(equivalentDistributions(distributions, seed));
        const twice = normalizeDistributions(structuredClone(once));
        expect(canonicalJson(twice)).toBe(canonicalJson(once));
        expect(twice).toEqual(once);
      }),
    );
  });

  test("a diff is empty exactly when the canonical forms are equal", () => {
    fc.assert(
      fc.property(contentArbitrary, contentArbitrary, (a, b) => {
        const same =
          canonicalJson(normalizeDistributions(a.distributions)) ===
            canonicalJson(normalizeDistributions(b.distributions)) && a.description === b.description;
        expect(diffContent(a, b).length === 0).toBe(same);
      }),
    );
  });

  test("a changed distribution is addressed by its region, never as a removal plus an addition", () => {
    fc.assert(
      fc.property(distributionArbitrary("eu-west-1"), distributionArbitrary("eu-west-1"), (before, after) => {
        const diffs = diffContent({ distributions: [before] }, { distributions: [after] });
        for (const diff of diffs) {
          expect(diff.path.startsWith("distributions[eu-west-1]")).toBe(true);
          expect(diff.path).not.toBe("distributions[eu-west-1]");
        }
      }),
    );
  });
});

const STACK = "platform";
const ACCOUNT = "123456789012";
const names = ["web-base", "win-2025", "batch", "api-base", "ci-runner", "legacy"];

/** Desired configurations with distinct names; each from its own file (or a shared one). */
const desiredArbitrary: fc.Arbitrary<DesiredConfiguration[]> = fc
  .subarray(names, { maxLength: 5 })
  .chain((chosen) =>
    fc.tuple(
      ...chosen.map((name) =>
        fc
          .record({
            content: contentArbitrary,
            region: fc.constantFrom("us-east-1", "us-west-2"),
            source: fc.constantFrom(`configs/${name}.yaml`, "configs/shared.yaml"),
            tags: fc.dictionary(fc.constantFrom("team", "cost"), fc.constantFrom("web", "1234"), {
              maxKeys: 2,
            }),
          })
          .map(({ content, region, source, tags }) => ({
            name,
            region,
            accountId: ACCOUNT,
            ...content,
            source,
            tags,
          })),
      ),
    ),
  );

function arnOf(region: string, name: string): string {
  return `arn:aws:imagebuilder:${region}:${ACCOUNT}:distribution-configuration/${name}`;
}

/** Live configurations of any ownership: this stack's, another stack's, or nobody's. */
const liveArbitrary: fc.Arbitrary<LiveConfiguration[]> = fc
  .subarray(names, { maxLength: 5 })
  .chain((chosen) =>
    fc.tuple(
      ...chosen.map((name) =>
        fc
          .record({
            content: contentArbitrary,
            region: fc.constantFrom("us-east-1", "us-west-2"),
            owner: fc.constantFrom(STACK, STACK, "other-stack", undefined),
            source: fc.constantFrom(`configs/${name}.yaml`, "configs/shared.yaml", "configs/renamed.yaml"),
            // Left by an earlier replace: the ARN it replaced (which may or may not still exist).
            replaces: fc.option(
              fc.record({
                name: fc.constantFrom(...names),
                region: fc.constantFrom("us-east-1", "us-west-2"),
              }),
              { nil: undefined },
            ),
          })
          .map(
            ({ content, region, owner, source, replaces }): LiveConfiguration => ({
              arn: arnOf(region, name),
              name,
              region,
              accountId: ACCOUNT,
              ...content,
              tags:
                owner === undefined
                  ? { owner: "console" }
                  : {
                      [MANAGED_BY_TAG]: owner,
                      [SOURCE_TAG]: source,
                      ...(replaces === undefined
                        ? {}
                        : { [REPLACES_TAG]: arnOf(replaces.region, replaces.name) }),
                    },
              timeoutMinutes: 720,
              dateCreated: "2026-11-01T09:00:00.000Z",
            }),
          ),
      ),
    ),
  );

describe("plan laws", () => {
  test("applying the plan and planning again gives no changes", () => {
    fc.assert(
      fc.property(desiredArbitrary, liveArbitrary, fc.nat(), fc.boolean(), (desired, live, seed, adopt) => {
        const first = plan(desired, live, { stack: STACK, prune: true, adopt });
        const applied = simulateApply(first, live, seed);
        const second = plan(desired, applied, { stack: STACK, prune: true, adopt });
        const remaining = second.changes.filter(
          (change) => change.action !== "no-op" && change.action !== "conflict",
        );
        expect(remaining).toEqual([]);
        // What conflicted stays a conflict: nothing unmanaged or foreign was touched.
        expect(second.changes.filter((c) => c.action === "conflict").map((c) => c.arn)).toEqual(
          first.changes.filter((c) => c.action === "conflict").map((c) => c.arn),
        );
      }),
    );
  });

  test("a replace whose delete failed is finished by the next apply, without prune", () => {
    fc.assert(
      fc.property(desiredArbitrary, liveArbitrary, fc.nat(), (desired, live, seed) => {
        const first = plan(desired, live, { stack: STACK });
        const replaced = new Set(
          first.changes.flatMap((c) => (c.action === "replace" ? [c.replaces.arn] : [])),
        );
        // Every replace's delete fails (a pipeline uses the old ARN), then the pipeline lets go.
        const halfDone = simulateApply(first, live, seed, { failingDeletes: replaced });
        expect(halfDone.filter((c) => replaced.has(c.arn)).length).toBe(replaced.size);
        const second = plan(desired, halfDone, { stack: STACK });
        const finished = simulateApply(second, halfDone, seed);
        expect(finished.filter((c) => replaced.has(c.arn))).toEqual([]);
        expect(plan(desired, finished, { stack: STACK }).changes.filter(isExecuted)).toEqual([]);
        // Finishing deleted nothing else: every other configuration of the first apply is still there.
        const afterFirst = simulateApply(first, live, seed);
        expect(finished.map((c) => c.arn).sort()).toEqual(afterFirst.map((c) => c.arn).sort());
      }),
    );
  });

  test("the plan does not depend on the order of its inputs", () => {
    fc.assert(
      fc.property(desiredArbitrary, liveArbitrary, (desired, live) => {
        const a = plan(desired, live, { stack: STACK, prune: true });
        const b = plan([...desired].reverse(), [...live].reverse(), { stack: STACK, prune: true });
        expect(canonicalJson(b)).toBe(canonicalJson(a));
      }),
    );
  });

  test("nothing another stack or nobody manages is ever updated, tagged, replaced or deleted", () => {
    fc.assert(
      fc.property(desiredArbitrary, liveArbitrary, fc.boolean(), (desired, live, adopt) => {
        const result = plan(desired, live, { stack: STACK, prune: true, adopt });
        const foreign = new Set(live.filter((c) => c.tags[MANAGED_BY_TAG] !== STACK).map((c) => c.arn));
        for (const change of result.changes) {
          if (change.arn === undefined || !foreign.has(change.arn)) continue;
          expect(["conflict", ...(adopt ? ["adopt"] : [])]).toContain(change.action);
        }
        for (const change of result.changes) {
          if (change.action === "replace") expect(foreign.has(change.replaces.arn)).toBe(false);
        }
      }),
    );
  });
});

/** Distributions with every field that carries no access changed: names, descriptions, tags, keys, defaults. */
function withoutAccessChange(distributions: readonly Distribution[], seed: number): Distribution[] {
  return equivalentDistributions(distributions, seed).map((distribution) => {
    const ami = distribution.amiDistributionConfiguration;
    return {
      ...distribution,
      ...(ami === undefined
        ? {}
        : {
            amiDistributionConfiguration: {
              ...ami,
              name: `renamed ${seed} {{imagebuilder:buildDate}}`,
              description: `changed ${seed}`,
              amiTags: { seed: String(seed) },
              kmsKeyId: `alias/key-${seed}`,
            },
          }),
      ...(distribution.launchTemplateConfigurations === undefined
        ? {}
        : {
            launchTemplateConfigurations: distribution.launchTemplateConfigurations.map((t) => ({
              ...t,
              setDefaultVersion: seed % 2 === 0,
            })),
          }),
    };
  });
}

describe("sharing summary laws", () => {
  test("the summary of a plan applied to live state equals the summary of the desired state", () => {
    fc.assert(
      fc.property(desiredArbitrary, liveArbitrary, fc.nat(), fc.boolean(), (desired, live, seed, adopt) => {
        const first = plan(desired, live, { stack: STACK, prune: true, adopt });
        const applied = simulateApply(first, live, seed);
        const second = plan(desired, applied, { stack: STACK, prune: true, adopt });
        // With prune nothing the stack owns is left over: what it grants is what the files grant
        // (but for conflicts, which apply never touches).
        const conflicting = new Set(
          first.changes.filter((c) => c.action === "conflict").map((c) => `${c.region}/${c.name}`),
        );
        const owned = desired.filter((d) => !conflicting.has(`${d.region}/${d.name}`));
        expect(first.sharing.grants).toEqual(sharingOf(owned));
        expect(second.sharing.grants).toEqual(first.sharing.grants);
        expect(sharingChanged(second.sharing)).toBe(false);
        expect(second.sharing.flags.filter((f) => f.code !== "public")).toEqual([]);
        expect(second.sharing.copiesPerBuild).toEqual({
          before: first.sharing.copiesPerBuild.after,
          after: first.sharing.copiesPerBuild.after,
        });
      }),
    );
  });

  test("added and removed grants are exactly the difference between before and after", () => {
    fc.assert(
      fc.property(desiredArbitrary, liveArbitrary, fc.boolean(), (desired, live, prune) => {
        const result = plan(desired, live, { stack: STACK, prune });
        const key = (g: Grant) => JSON.stringify(g);
        const after = new Set(result.sharing.grants.map(key));
        for (const grant of result.sharing.added) expect(after.has(key(grant))).toBe(true);
        for (const grant of result.sharing.removed) expect(after.has(key(grant))).toBe(false);
        for (const grant of result.sharing.widening) {
          expect(result.sharing.added).toContainEqual(grant);
          expect(widensLaunch(grant)).toBe(true);
        }
      }),
    );
  });

  test("a plan with no access change reports none, though it updates", () => {
    fc.assert(
      fc.property(
        contentArbitrary.filter((content) => content.distributions.length > 0),
        fc.nat(),
        (content, seed) => {
          const live: LiveConfiguration = {
            arn: arnOf("us-west-2", "web-base"),
            name: "web-base",
            region: "us-west-2",
            accountId: ACCOUNT,
            ...content,
            tags: { [MANAGED_BY_TAG]: STACK, [SOURCE_TAG]: "configs/web-base.yaml" },
          };
          const desired: DesiredConfiguration = {
            name: "web-base",
            region: "us-west-2",
            accountId: ACCOUNT,
            description: `${content.description ?? ""} changed`,
            distributions: withoutAccessChange(content.distributions, seed),
            source: "configs/web-base.yaml",
          };
          const result = plan([desired], [live], { stack: STACK });
          expect(result.changes.map((c) => c.action)).toEqual(["update"]);
          expect(sharingChanged(result.sharing)).toBe(false);
          expect(result.sharing.added).toEqual([]);
          expect(result.sharing.removed).toEqual([]);
          expect(result.sharing.widening).toEqual([]);
          expect(result.sharing.copiesPerBuild.before).toBe(result.sharing.copiesPerBuild.after);
        },
      ),
    );
  });
});
