// The service's API model, read as data: every route, binding and constraint the emulator enforces.
//
// api-model.json is the repository's one copy (same JSON; whitespace as Biome formats it) of the
// newest EC2 Image Builder API model (botocore 1.43.107 "rest-json" form, apiVersion 2019-12-02),
// trimmed to the operations Waybill uses: the union of the project's shared reference material
// shared/api-model/imagebuilder-distribution-configuration.json (the eight distribution-configuration
// and tagging operations, DistributeImage) and shared/api-model/imagebuilder-pipelines-and-images.json
// (image pipelines and images; ListImages and CancelImageCreation are in the model but not served).
// The two files agree on every shape they share. Core's tests read it too (the agreement test, the
// CLI skeleton). The emulator deliberately does not depend on @waybill/core: it is an independent
// reading of the API.
import modelJson from "./api-model.json" with { type: "json" };

export interface ShapeReference {
  shape: string;
  location?: "uri" | "querystring" | "header" | "headers" | "statusCode";
  locationName?: string;
  idempotencyToken?: boolean;
  box?: boolean;
}

export interface Shape {
  type: "structure" | "list" | "map" | "string" | "integer" | "long" | "boolean" | "timestamp";
  members?: Record<string, ShapeReference>;
  required?: string[];
  member?: ShapeReference;
  key?: ShapeReference;
  value?: ShapeReference;
  pattern?: string;
  min?: number;
  max?: number;
  enum?: string[];
  error?: { httpStatusCode: number };
  exception?: boolean;
}

export interface OperationModel {
  name: string;
  http: { method: string; requestUri: string };
  input: { shape: string };
  output: { shape: string };
  errors: { shape: string }[];
}

export interface ApiModel {
  metadata: Record<string, unknown>;
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

/** The API model the emulator serves. */
export const apiModel = modelJson as unknown as ApiModel;

/** The image pipeline and image operations served, by name. */
export const pipelineOperationNames = [
  "CreateImagePipeline",
  "UpdateImagePipeline",
  "GetImagePipeline",
  "ListImagePipelines",
  "DeleteImagePipeline",
  "StartImagePipelineExecution",
  "ListImagePipelineImages",
  "GetImage",
  "ListImageBuildVersions",
  "DistributeImage",
] as const;

export type PipelineOperationName = (typeof pipelineOperationNames)[number];

/** The operations served, by name: distribution configurations, tags, then pipelines and images. */
export const operationNames = [
  "CreateDistributionConfiguration",
  "UpdateDistributionConfiguration",
  "GetDistributionConfiguration",
  "ListDistributionConfigurations",
  "DeleteDistributionConfiguration",
  "TagResource",
  "UntagResource",
  "ListTagsForResource",
  ...pipelineOperationNames,
] as const;

export type OperationName = (typeof operationNames)[number];

/** Looks up a shape that the model must contain (a missing one is a bug in the model copy). */
export function shapeNamed(name: string): Shape {
  const shape = apiModel.shapes[name];
  if (shape === undefined) throw new Error(`API model has no shape ${name}`);
  return shape;
}

/** HTTP status the model gives an error shape (400 when it gives none). */
export function errorStatus(errorType: string): number {
  return apiModel.shapes[errorType]?.error?.httpStatusCode ?? 400;
}
