// Reads what uses the managed configurations: image pipelines, and each one's latest available image with its AMIs.
import type { Ami, ImagePipeline, ImageSummary } from "@aws-sdk/client-imagebuilder";
import {
  type AmiFact,
  type ImageFact,
  type ImageFacts,
  type PipelineFact,
  ROLLOUT_OF_TAG,
} from "@waybill/core";
import { mapWithConcurrency } from "./concurrency.js";
import { GatewayError, type ImageBuilderGateway } from "./gateway.js";

export interface ReadImageFactsOptions {
  /** The configurations whose pipelines to read: their ARNs and home regions. */
  configurations: readonly { arn: string; region: string }[];
  clientFor(region: string): ImageBuilderGateway;
  /** Pipelines read at once per region. Default 8. */
  concurrency?: number;
  /**
   * Whether to read the images of the pipelines that use this configuration (its ARN); the others'
   * `image` is null and no image call is made for them. Default: every configuration's.
   */
  readImagesOf?(configurationArn: string): boolean;
}

/** A read the credentials may not make: skipped, with the permission it needs. */
export interface ImageReadDenied {
  permission: string;
  region: string;
  message: string;
}

export interface ImageFactsResult {
  facts: ImageFacts;
  /** Reads refused for lack of permission; what they would have given is left out. */
  denied: ImageReadDenied[];
}

/** Whether a gateway failure is the service saying "not allowed" (403, AccessDenied, Forbidden). */
export function isAccessDenied(error: unknown): boolean {
  if (!(error instanceof GatewayError)) return false;
  return (
    error.httpStatusCode === 403 ||
    error.type === "AccessDeniedException" ||
    error.type === "AccessDenied" ||
    error.type === "ForbiddenException"
  );
}

function denied(error: GatewayError, permission: string): ImageReadDenied {
  return { permission, region: error.region, message: error.message };
}

/** `1.2.3/4` as numbers, to compare versions. */
function versionParts(version: string | undefined): number[] {
  return (version ?? "").split(/[./]/).map((part) => Number.parseInt(part, 10) || 0);
}

function compareVersions(a: string | undefined, b: string | undefined): number {
  const x = versionParts(a);
  const y = versionParts(b);
  for (let index = 0; index < Math.max(x.length, y.length); index++) {
    const difference = (x[index] ?? 0) - (y[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The complete entries of an image's `outputResources.amis` (region, account and AMI id all given). */
export function amiFacts(amis: readonly Ami[] | undefined): AmiFact[] {
  return (amis ?? []).flatMap((ami) =>
    ami.region && ami.accountId && ami.image
      ? [{ region: ami.region, accountId: ami.accountId, image: ami.image }]
      : [],
  );
}

/** The image version ARN (`…/image/<name>/<x.y.z>`) of a build version ARN (`…/<x.y.z>/<n>`). */
export function imageVersionArn(buildVersionArn: string): string {
  return buildVersionArn.replace(/\/\d+$/, "");
}

/**
 * The pipelines of each home region that use one of `configurations`, each with its latest
 * `AVAILABLE` image and every AMI it has: the build's own (`outputResources.amis`, from the list's
 * summary, else `GetImage`) and those of Waybill's rollouts of it (build versions of the same
 * version tagged `waybill:rollout-of` = its ARN). Calls: one `ListImagePipelines` page per 25
 * pipelines per region (cheaper than one filtered call per configuration once a region has two),
 * then per used pipeline one `ListImagePipelineImages` and one `ListImageBuildVersions` (more pages
 * only past 25 images). A refused read is a `denied` entry, never a failure; other failures reject.
 */
export async function readImageFacts(options: ReadImageFactsOptions): Promise<ImageFactsResult> {
  const concurrency = options.concurrency ?? 8;
  const byRegion = new Map<string, Set<string>>();
  for (const configuration of options.configurations) {
    const arns = byRegion.get(configuration.region) ?? new Set<string>();
    arns.add(configuration.arn.toLowerCase());
    byRegion.set(configuration.region, arns);
  }
  const deniedReads: ImageReadDenied[] = [];
  const regions = [...byRegion.keys()].sort();
  const perRegion = await Promise.all(
    regions.map(async (region) => {
      const gateway = options.clientFor(region);
      const arns = byRegion.get(region) ?? new Set<string>();
      let pipelines: ImagePipeline[];
      try {
        pipelines = await gateway.listImagePipelines();
      } catch (error) {
        if (!isAccessDenied(error)) throw error;
        deniedReads.push(denied(error as GatewayError, "imagebuilder:ListImagePipelines"));
        return [];
      }
      const used = pipelines.filter(
        (pipeline) =>
          pipeline.arn &&
          pipeline.distributionConfigurationArn &&
          arns.has(pipeline.distributionConfigurationArn.toLowerCase()),
      );
      return mapWithConcurrency(used, concurrency, async (pipeline): Promise<PipelineFact> => {
        const wanted = options.readImagesOf?.(pipeline.distributionConfigurationArn ?? "") ?? true;
        const image = wanted ? await latestImage(gateway, pipeline, deniedReads) : null;
        return {
          name: pipeline.name ?? "",
          arn: pipeline.arn ?? "",
          region,
          distributionConfigurationArn: pipeline.distributionConfigurationArn ?? "",
          status: pipeline.status ?? "ENABLED",
          ...(pipeline.schedule?.scheduleExpression
            ? { scheduleExpression: pipeline.schedule.scheduleExpression }
            : {}),
          ...(pipeline.schedule?.pipelineExecutionStartCondition
            ? { startCondition: pipeline.schedule.pipelineExecutionStartCondition }
            : {}),
          ...(pipeline.schedule?.timezone ? { timezone: pipeline.schedule.timezone } : {}),
          ...(pipeline.dateNextRun ? { dateNextRun: pipeline.dateNextRun } : {}),
          image,
        };
      });
    }),
  );
  return { facts: { pipelines: perRegion.flat() }, denied: deniedReads };
}

async function latestImage(
  gateway: ImageBuilderGateway,
  pipeline: ImagePipeline,
  deniedReads: ImageReadDenied[],
): Promise<ImageFact | null> {
  const name = pipeline.name;
  // A container pipeline's images are Docker images, not AMIs: no target is ever "missing" one,
  // and nothing of it is rolled out. The pipeline still counts as using the configuration.
  if (pipeline.containerRecipeArn !== undefined) return null;
  let summaries: ImageSummary[];
  try {
    summaries = await gateway.listImagePipelineImages(pipeline.arn ?? "", name);
  } catch (error) {
    if (!isAccessDenied(error)) throw error;
    deniedReads.push(denied(error as GatewayError, "imagebuilder:ListImagePipelineImages"));
    return null;
  }
  const latest = summaries
    .filter(
      (summary) =>
        summary.arn &&
        (summary.type === undefined || summary.type === "AMI") &&
        summary.state?.status === "AVAILABLE" &&
        !summary.tags?.[ROLLOUT_OF_TAG],
    )
    .sort((a, b) => compareVersions(b.version, a.version))[0];
  if (latest?.arn === undefined) return null;
  const arn = latest.arn;
  try {
    let amis = amiFacts(latest.outputResources?.amis);
    if (latest.outputResources === undefined)
      amis = amiFacts((await gateway.getImage(arn, name)).outputResources?.amis);
    const versions = await gateway.listImageBuildVersions(imageVersionArn(arn), name);
    // Every rollout of the image, whatever its state: a FAILED distribution may still have made
    // some copies, and counting them keeps a re-run from copying there twice.
    for (const version of versions) {
      if (version.tags?.[ROLLOUT_OF_TAG] !== arn) continue;
      amis.push(...amiFacts(version.outputResources?.amis));
    }
    return {
      arn,
      version: latest.version ?? arn.split("/").slice(-2).join("/"),
      dateCreated: latest.dateCreated,
      amis,
    };
  } catch (error) {
    if (!isAccessDenied(error)) throw error;
    const operation = (error as GatewayError).operation;
    deniedReads.push(denied(error as GatewayError, `imagebuilder:${operation}`));
    return null;
  }
}
