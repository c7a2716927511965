import type {
  CreateDistributionConfigurationCommandInput,
  Distribution as SdkDistribution,
  UpdateDistributionConfigurationCommandInput,
} from "@aws-sdk/client-imagebuilder";
import { describe, expectTypeOf, test } from "vitest";
import type { Distribution, DistributionConfigurationDocument } from "./schema.js";

describe("schema types", () => {
  test("a validated document is assignable to the SDK's create input", () => {
    const toCreateInput = (
      document: DistributionConfigurationDocument,
      clientToken: string,
    ): CreateDistributionConfigurationCommandInput => {
      const { region: _homeRegion, ...request } = document;
      return { ...request, clientToken };
    };
    expectTypeOf(toCreateInput).returns.toEqualTypeOf<CreateDistributionConfigurationCommandInput>();
    expectTypeOf<Omit<DistributionConfigurationDocument, "region">>().toExtend<
      Omit<CreateDistributionConfigurationCommandInput, "clientToken">
    >();
  });

  test("a distribution is assignable to the SDK's Distribution and update input", () => {
    expectTypeOf<Distribution>().toExtend<SdkDistribution>();
    expectTypeOf<{ distributionConfigurationArn: string; distributions: Distribution[] }>().toExtend<
      Omit<UpdateDistributionConfigurationCommandInput, "clientToken">
    >();
  });

  test("a document missing its name is not a create input", () => {
    expectTypeOf<Omit<DistributionConfigurationDocument, "name">>().not.toExtend<
      Omit<CreateDistributionConfigurationCommandInput, "clientToken">
    >();
  });
});
