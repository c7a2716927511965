// 100 concurrent SDK clients for 10 seconds: nothing lost, nothing duplicated.
import {
  CreateDistributionConfigurationCommand,
  GetDistributionConfigurationCommand,
  paginateListDistributionConfigurations,
  TagResourceCommand,
  UpdateDistributionConfigurationCommand,
} from "@aws-sdk/client-imagebuilder";
import { expect, test } from "vitest";
import { startEmulator } from "./emulator.js";
import { sdkClient } from "./testing/sdk-client.js";

const CLIENTS = 100;
const RUN_MS = 10_000;

test("100 concurrent clients for 10 seconds: every acknowledged create exists exactly once", {
  timeout: 120_000,
}, async () => {
  const emulator = await startEmulator();
  try {
    const acknowledged = new Set<string>();
    let creates = 0;
    let updates = 0;
    const deadline = Date.now() + RUN_MS;
    const regions = ["us-west-2", "eu-west-1"];
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, clientIndex) => {
        // Half the clients work in another region, which must keep its own state.
        const region = regions[clientIndex % 2] as string;
        const client = sdkClient(emulator, { region });
        try {
          for (let index = 0; Date.now() < deadline; index++) {
            const name = `load-${clientIndex}-${index}`;
            const distributions = [
              { region, amiDistributionConfiguration: { name: `${name} {{imagebuilder:buildDate}}` } },
            ];
            creates += 1;
            const { distributionConfigurationArn: arn } = await client.send(
              new CreateDistributionConfigurationCommand({ name, distributions, clientToken: name }),
            );
            acknowledged.add(`${region}/${name}`);
            if (index % 3 === 0) {
              updates += 1;
              await client.send(
                new UpdateDistributionConfigurationCommand({
                  distributionConfigurationArn: arn,
                  description: `update ${index}`,
                  distributions,
                }),
              );
              await client.send(new TagResourceCommand({ resourceArn: arn, tags: { round: String(index) } }));
              const { distributionConfiguration } = await client.send(
                new GetDistributionConfigurationCommand({ distributionConfigurationArn: arn }),
              );
              expect(distributionConfiguration?.description).toBe(`update ${index}`);
            }
          }
        } finally {
          client.destroy();
        }
      }),
    );

    const listed: string[] = [];
    for (const region of regions) {
      const client = sdkClient(emulator, { region });
      for await (const page of paginateListDistributionConfigurations({ client }, { maxResults: 25 })) {
        for (const summary of page.distributionConfigurationSummaryList ?? [])
          listed.push(`${region}/${summary.name}`);
      }
      client.destroy();
    }
    expect(acknowledged.size).toBe(creates);
    expect(listed).toHaveLength(acknowledged.size);
    expect(new Set(listed)).toEqual(acknowledged);
    expect(emulator.requestCounts()).toMatchObject({
      CreateDistributionConfiguration: creates,
      UpdateDistributionConfiguration: updates,
      TagResource: updates,
      GetDistributionConfiguration: updates,
    });
    // A real load, not a trickle.
    expect(creates).toBeGreaterThan(CLIENTS * 5);
  } finally {
    await emulator.close();
  }
});
