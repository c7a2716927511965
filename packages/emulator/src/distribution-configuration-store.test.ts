import { describe, expect, test } from "vitest";
import {
  DistributionConfigurationStore,
  distributionConfigurationArn,
  type Scope,
  scopeOfArn,
} from "./distribution-configuration-store.js";

const scope: Scope = { accountId: "123456789012", region: "us-west-2" };

function storeAt(times: string[]) {
  let index = 0;
  let requestNumber = 0;
  return new DistributionConfigurationStore({
    now: () => new Date(times[Math.min(index++, times.length - 1)] as string),
    newRequestId: () => `request-${++requestNumber}`,
  });
}

const distributions = [
  { region: "us-west-2", amiDistributionConfiguration: { name: "a {{imagebuilder:buildDate}}" } },
];

describe("distributionConfigurationArn", () => {
  test("lowercases the name and turns spaces into hyphens", () => {
    expect(distributionConfigurationArn(scope, "My Example Distribution")).toBe(
      "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/my-example-distribution",
    );
  });

  test("scopeOfArn reads the region and account back", () => {
    expect(scopeOfArn(distributionConfigurationArn(scope, "x"))).toEqual(scope);
    expect(scopeOfArn("not an arn")).toBeUndefined();
  });
});

describe("dry run (CreateDistributionConfiguration dryRun: true)", () => {
  const request = { name: "Web", distributions, clientToken: "t1" };

  test("a valid request is DryRunOperationException (412); nothing is created, the token is not kept", () => {
    const store = storeAt(["2026-01-01T00:00:00.000Z"]);
    const dry = store.execute("CreateDistributionConfiguration", scope, { ...request, dryRun: true });
    expect(dry.ok || [dry.error.type, dry.error.status]).toEqual(["DryRunOperationException", 412]);
    expect(store.toState().configurations).toEqual([]);
    expect(store.toState().clientTokens).toEqual([]);
    // The same token without dryRun is a first request.
    expect(store.execute("CreateDistributionConfiguration", scope, request).ok).toBe(true);
  });

  test("an invalid one gets the error the request would get without dryRun", () => {
    const store = storeAt(["2026-01-01T00:00:00.000Z"]);
    store.execute("CreateDistributionConfiguration", scope, request);
    const exists = store.execute("CreateDistributionConfiguration", scope, { ...request, dryRun: true });
    expect(exists.ok || exists.error.type).toBe("ResourceAlreadyExistsException");
    const empty = store.execute("CreateDistributionConfiguration", scope, {
      ...request,
      name: "Other",
      distributions: [],
      dryRun: true,
    });
    expect(empty.ok || empty.error.type).toBe("InvalidParameterValueException");
  });

  test("dryRun: false creates", () => {
    const store = storeAt(["2026-01-01T00:00:00.000Z"]);
    expect(store.execute("CreateDistributionConfiguration", scope, { ...request, dryRun: false }).ok).toBe(
      true,
    );
    expect(store.toState().configurations).toHaveLength(1);
  });
});

describe("DistributionConfigurationStore without HTTP", () => {
  test("create, update and get keep dates from the clock", () => {
    const store = storeAt(["2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z"]);
    const created = store.execute("CreateDistributionConfiguration", scope, {
      name: "Web",
      distributions,
      clientToken: "t1",
    });
    expect(created).toEqual({
      ok: true,
      changed: true,
      output: {
        requestId: "request-1",
        clientToken: "t1",
        distributionConfigurationArn:
          "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/web",
      },
    });
    const arn = distributionConfigurationArn(scope, "Web");
    store.execute("UpdateDistributionConfiguration", scope, {
      distributionConfigurationArn: arn,
      description: "now described",
      distributions,
      clientToken: "t2",
    });
    const got = store.execute("GetDistributionConfiguration", scope, { distributionConfigurationArn: arn });
    expect(got.ok && got.output.distributionConfiguration).toMatchObject({
      name: "Web",
      description: "now described",
      dateCreated: "2026-01-01T00:00:00.000Z",
      dateUpdated: "2026-02-01T00:00:00.000Z",
      timeoutMinutes: 720,
    });
    expect(got.ok && got.changed).toBe(false);
  });

  test("a created configuration has no dateUpdated until it is updated", () => {
    const store = storeAt(["2026-01-01T00:00:00.000Z"]);
    store.execute("CreateDistributionConfiguration", scope, {
      name: "fresh",
      distributions,
      clientToken: "t",
    });
    const got = store.execute("GetDistributionConfiguration", scope, {
      distributionConfigurationArn: distributionConfigurationArn(scope, "fresh"),
    });
    expect(got.ok && got.output.distributionConfiguration).not.toHaveProperty("dateUpdated");
  });

  test("state survives a round trip through toState", () => {
    const store = storeAt(["2026-01-01T00:00:00.000Z"]);
    store.execute("CreateDistributionConfiguration", scope, {
      name: "kept",
      distributions,
      tags: { a: "b" },
      clientToken: "t",
    });
    const arn = distributionConfigurationArn(scope, "kept");
    store.execute("CreateImagePipeline", scope, {
      name: "uses-kept",
      imageRecipeArn: "arn:aws:imagebuilder:us-west-2:123456789012:image-recipe/web/1.0.0",
      infrastructureConfigurationArn:
        "arn:aws:imagebuilder:us-west-2:123456789012:infrastructure-configuration/build",
      distributionConfigurationArn: arn,
      clientToken: "p",
    });
    const copy = new DistributionConfigurationStore({ state: JSON.parse(JSON.stringify(store.toState())) });
    expect(copy.toState()).toEqual(store.toState());
    const replay = copy.execute("CreateDistributionConfiguration", scope, {
      name: "kept",
      distributions,
      tags: { a: "b" },
      clientToken: "t",
    });
    expect(replay.ok && replay.changed).toBe(false);
    const deletion = copy.execute("DeleteDistributionConfiguration", scope, {
      distributionConfigurationArn: arn,
    });
    expect(!deletion.ok && deletion.error.type).toBe("ResourceDependencyException");
  });

  test("toState is a copy: changing it does not change the store", () => {
    const store = storeAt(["2026-01-01T00:00:00.000Z"]);
    store.execute("CreateDistributionConfiguration", scope, {
      name: "solid",
      distributions,
      clientToken: "t",
    });
    const state = store.toState();
    (state.configurations[0] as { name: string }).name = "changed";
    expect(store.toState().configurations[0]?.name).toBe("solid");
  });

  test("pages stay exact when configurations are deleted between pages", () => {
    const store = storeAt(["2026-01-01T00:00:00.000Z"]);
    for (let index = 0; index < 30; index++) {
      store.execute("CreateDistributionConfiguration", scope, {
        name: `c${String(index).padStart(2, "0")}`,
        distributions,
        clientToken: `t${index}`,
      });
    }
    const first = store.execute("ListDistributionConfigurations", scope, {});
    if (!first.ok) throw new Error("list failed");
    const firstNames = (first.output.distributionConfigurationSummaryList as { name: string }[]).map(
      (summary) => summary.name,
    );
    expect(firstNames).toHaveLength(25);
    store.execute("DeleteDistributionConfiguration", scope, {
      distributionConfigurationArn: distributionConfigurationArn(scope, "c03"),
    });
    const second = store.execute("ListDistributionConfigurations", scope, {
      nextToken: first.output.nextToken,
    });
    if (!second.ok) throw new Error("list failed");
    const secondNames = (second.output.distributionConfigurationSummaryList as { name: string }[]).map(
      (summary) => summary.name,
    );
    expect(secondNames).toEqual(["c25", "c26", "c27", "c28", "c29"]);
    expect(second.output).not.toHaveProperty("nextToken");
  });

  test("a page token from another account or region is rejected", () => {
    const store = storeAt(["2026-01-01T00:00:00.000Z"]);
    for (let index = 0; index < 26; index++) {
      store.execute("CreateDistributionConfiguration", scope, {
        name: `cfg${index}`,
        distributions,
        clientToken: `t${index}`,
      });
    }
    const first = store.execute("ListDistributionConfigurations", scope, {});
    if (!first.ok) throw new Error("list failed");
    const elsewhere = store.execute(
      "ListDistributionConfigurations",
      { ...scope, region: "eu-west-1" },
      {
        nextToken: first.output.nextToken,
      },
    );
    expect(!elsewhere.ok && elsewhere.error.type).toBe("InvalidPaginationTokenException");
  });

  test("reset forgets everything", () => {
    const store = storeAt(["2026-01-01T00:00:00.000Z"]);
    store.execute("CreateDistributionConfiguration", scope, {
      name: "gone",
      distributions,
      clientToken: "t",
    });
    store.reset();
    expect(store.toState()).toEqual({
      version: 2,
      configurations: [],
      clientTokens: [],
      pipelines: [],
      images: [],
    });
  });
});
