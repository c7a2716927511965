// Test helper: image pipelines and builds in the emulator over the real SDK.
import { setTimeout as sleep } from "node:timers/promises";
import {
  CreateDistributionConfigurationCommand,
  CreateImagePipelineCommand,
  GetImageCommand,
  ImagebuilderClient,
  ListImageBuildVersionsCommand,
  StartImagePipelineExecutionCommand,
} from "@aws-sdk/client-imagebuilder";

export interface PipelineClientOptions {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export function pipelineClient(options: PipelineClientOptions): ImagebuilderClient {
  return new ImagebuilderClient({
    endpoint: options.endpoint,
    region: options.region,
    credentials: options.credentials,
  });
}

/** Creates a pipeline that uses `distributionConfigurationArn` (recipe and infrastructure ARNs as the emulator takes them). */
export async function createPipeline(
  client: ImagebuilderClient,
  input: {
    name: string;
    accountId: string;
    distributionConfigurationArn: string;
    schedule?: string;
    disabled?: boolean;
    /** A container pipeline (a container recipe: its images are Docker images). */
    container?: boolean;
  },
): Promise<string> {
  const region = await client.config.region();
  const recipe = input.container
    ? {
        containerRecipeArn: `arn:aws:imagebuilder:${region}:${input.accountId}:container-recipe/${input.name}/1.0.0`,
      }
    : {
        imageRecipeArn: `arn:aws:imagebuilder:${region}:${input.accountId}:image-recipe/${input.name}/1.0.0`,
      };
  const created = await client.send(
    new CreateImagePipelineCommand({
      name: input.name,
      ...recipe,
      infrastructureConfigurationArn: `arn:aws:imagebuilder:${region}:${input.accountId}:infrastructure-configuration/build`,
      distributionConfigurationArn: input.distributionConfigurationArn,
      ...(input.schedule ? { schedule: { scheduleExpression: input.schedule } } : {}),
      ...(input.disabled ? { status: "DISABLED" } : {}),
    }),
  );
  return created.imagePipelineArn ?? "";
}

/**
 * Waits for an image build version to end (AVAILABLE, FAILED, CANCELLED). The emulator's
 * images change state with time (its `buildMs`), with no event to wait on, so this polls.
 */
export async function waitForImage(client: ImagebuilderClient, arn: string): Promise<string> {
  for (;;) {
    const image = await client.send(new GetImageCommand({ imageBuildVersionArn: arn }));
    const status = image.image?.state?.status ?? "";
    if (["AVAILABLE", "FAILED", "CANCELLED"].includes(status)) return status;
    await sleep(25);
  }
}

/** Starts a build of the pipeline and waits for its image; returns the image build version's ARN. */
export async function buildImage(client: ImagebuilderClient, pipelineArn: string): Promise<string> {
  const started = await client.send(
    new StartImagePipelineExecutionCommand({
      imagePipelineArn: pipelineArn,
      clientToken: crypto.randomUUID(),
    }),
  );
  const arn = started.imageBuildVersionArn ?? "";
  await waitForImage(client, arn);
  return arn;
}

/** AMIs per `region/account` over every build version of the image's version (builds and distributions). */
export async function amisPerTarget(
  client: ImagebuilderClient,
  imageArn: string,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListImageBuildVersionsCommand({ imageVersionArn: imageArn.replace(/\/\d+$/, ""), nextToken }),
    );
    for (const summary of page.imageSummaryList ?? []) {
      for (const ami of summary.outputResources?.amis ?? []) {
        const key = `${ami.region}/${ami.accountId}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return counts;
}

/**
 * A rollout's temporary configuration as a run leaves it behind (killed before its delete, or still
 * waiting): named `waybill-rollout-…`, tagged with the stack and `waybill:rollout-of`, no source.
 * Returns its ARN.
 */
export async function createRolloutConfiguration(
  client: ImagebuilderClient,
  input: { name: string; stack: string; imageArn: string; extraTags?: Record<string, string> },
): Promise<string> {
  const region = await client.config.region();
  const created = await client.send(
    new CreateDistributionConfigurationCommand({
      name: input.name,
      distributions: [
        { region, amiDistributionConfiguration: { name: "leftover {{imagebuilder:buildDate}}" } },
      ],
      tags: { "waybill:managed-by": input.stack, "waybill:rollout-of": input.imageArn, ...input.extraTags },
      clientToken: crypto.randomUUID(),
    }),
  );
  return created.distributionConfigurationArn ?? "";
}
