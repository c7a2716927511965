import { describe, expect, test } from "vitest";
import { DistributionConfigurationStore, type Scope } from "./distribution-configuration-store.js";

const scope: Scope = { accountId: "123456789012", region: "us-west-2" };
const recipe = "arn:aws:imagebuilder:us-west-2:123456789012:image-recipe/web/1.0.0";
const infrastructure = "arn:aws:imagebuilder:us-west-2:123456789012:infrastructure-configuration/build";
const configurationArn = "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/web";

/** A store on a clock the test moves, with phases of 1,000 ms. */
function storeOnClock(options: { failDistribution?: () => boolean } = {}) {
  let nowMs = Date.parse("2026-12-01T10:00:00.000Z");
  let amis = 0;
  const store = new DistributionConfigurationStore({
    now: () => new Date(nowMs),
    phaseMs: () => 1_000,
    newAmiId: () => `ami-${String(++amis).padStart(17, "0")}`,
    ...options,
  });
  const ok = (operation: Parameters<typeof store.execute>[0], input: Record<string, unknown>) => {
    const outcome = store.execute(operation, scope, input);
    if (!outcome.ok) throw new Error(`${operation}: ${outcome.error.type} ${outcome.error.message}`);
    return outcome.output;
  };
  ok("CreateDistributionConfiguration", {
    name: "web",
    clientToken: "c",
    distributions: [
      { region: "us-west-2", amiDistributionConfiguration: { name: "web {{imagebuilder:buildDate}}" } },
    ],
  });
  ok("CreateImagePipeline", {
    name: "web",
    clientToken: "p",
    imageRecipeArn: recipe,
    infrastructureConfigurationArn: infrastructure,
    distributionConfigurationArn: configurationArn,
  });
  const status = (arn: string) => {
    const image = ok("GetImage", { imageBuildVersionArn: arn }).image as {
      state: { status: string; reason?: string };
      outputResources: { amis: unknown[] };
    };
    return [image.state.status, image.outputResources.amis.length];
  };
  return {
    store,
    ok,
    status,
    advance(ms: number) {
      nowMs += ms;
    },
  };
}

describe("simulated builds and distributions follow the clock", () => {
  test("a build is BUILDING, then DISTRIBUTING, then AVAILABLE with its AMIs, one phase each", () => {
    const { ok, status, advance } = storeOnClock();
    const arn = ok("StartImagePipelineExecution", {
      imagePipelineArn: "arn:aws:imagebuilder:us-west-2:123456789012:image-pipeline/web",
      clientToken: "s",
    }).imageBuildVersionArn as string;
    expect(status(arn)).toEqual(["BUILDING", 0]);
    advance(999);
    expect(status(arn)).toEqual(["BUILDING", 0]);
    advance(1);
    expect(status(arn)).toEqual(["DISTRIBUTING", 0]);
    advance(1_000);
    expect(status(arn)).toEqual(["AVAILABLE", 1]);
    // Not yet AVAILABLE, a build does not resolve from a version ARN; now it does.
    expect(ok("GetImage", { imageBuildVersionArn: arn.replace(/\/1$/, "") })).toMatchObject({
      image: { arn },
    });

    const distributed = ok("DistributeImage", {
      sourceImage: arn,
      distributionConfigurationArn: configurationArn,
      executionRole: "ImageBuilderDistribution",
      clientToken: "d",
    }).imageBuildVersionArn as string;
    expect(status(distributed)).toEqual(["DISTRIBUTING", 0]);
    advance(1_000);
    expect(status(distributed)).toEqual(["AVAILABLE", 1]);
  });

  test("a pending build is not a source for DistributeImage; a failed one ends FAILED with its reason", () => {
    const { ok, store, status, advance } = storeOnClock({ failDistribution: () => true });
    const arn = ok("StartImagePipelineExecution", {
      imagePipelineArn: "arn:aws:imagebuilder:us-west-2:123456789012:image-pipeline/web",
      clientToken: "s",
    }).imageBuildVersionArn as string;
    const early = store.execute("DistributeImage", scope, {
      sourceImage: arn,
      distributionConfigurationArn: configurationArn,
      executionRole: "ImageBuilderDistribution",
      clientToken: "d",
    });
    expect(!early.ok && early.error.type).toBe("InvalidRequestException");
    advance(2_000);
    expect(status(arn)).toEqual(["FAILED", 0]);
    const image = ok("GetImage", { imageBuildVersionArn: arn }).image as { state: { reason: string } };
    expect(image.state.reason).toContain("us-west-2");
    const pipeline = ok("GetImagePipeline", {
      imagePipelineArn: "arn:aws:imagebuilder:us-west-2:123456789012:image-pipeline/web",
    }).imagePipeline as { lastRunStatus: string };
    expect(pipeline.lastRunStatus).toBe("FAILED");
  });

  test("pipelines and images survive a round trip through toState, and builds go on counting", () => {
    const { ok, store, advance } = storeOnClock();
    ok("StartImagePipelineExecution", {
      imagePipelineArn: "arn:aws:imagebuilder:us-west-2:123456789012:image-pipeline/web",
      clientToken: "s",
    });
    advance(5_000);
    const copy = new DistributionConfigurationStore({ state: JSON.parse(JSON.stringify(store.toState())) });
    expect(copy.toState()).toEqual(store.toState());
    const next = copy.execute("StartImagePipelineExecution", scope, {
      imagePipelineArn: "arn:aws:imagebuilder:us-west-2:123456789012:image-pipeline/web",
      clientToken: "t",
    });
    expect(next.ok && next.output.imageBuildVersionArn).toMatch(/\/web\/1\.0\.0\/2$/);
    const deletion = copy.execute("DeleteDistributionConfiguration", scope, {
      distributionConfigurationArn: configurationArn,
    });
    expect(!deletion.ok && deletion.error.type).toBe("ResourceDependencyException");
  });
});
