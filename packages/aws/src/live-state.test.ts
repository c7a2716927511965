import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { GatewayError } from "./gateway.js";
import { readLiveState, startListing } from "./live-state.js";
import { type EmulatorFixture, startEmulatorFixture } from "./testing/emulator.js";

let fixture: EmulatorFixture;
beforeAll(async () => {
  fixture = await startEmulatorFixture();
});
afterAll(async () => {
  await fixture.emulator.close();
});
beforeEach(() => {
  fixture.emulator.reset();
  fixture.emulator.setFaults({ errorRate: 0 });
});

async function createSome(count: number): Promise<void> {
  const gateway = fixture.newAccess().clientFor("us-west-2");
  for (let index = 0; index < count; index++) {
    await gateway.create({
      name: `cfg-${index}`,
      distributions: [
        { region: "us-west-2", amiDistributionConfiguration: { name: "a {{imagebuilder:buildDate}}" } },
      ],
      clientToken: `token-${index}`,
    });
  }
}

describe("startListing", () => {
  test("a List started early hands its pages to the reader that comes later, then the rest as they arrive", async () => {
    await createSome(30);
    const access = fixture.newAccess();
    const listing = startListing(access.clientFor("us-west-2"));
    const live = await readLiveState({
      regions: ["us-west-2"],
      clientFor: (region) => access.clientFor(region),
      listings: new Map([["us-west-2", listing]]),
      needsDetails: () => false,
    });
    expect(live).toEqual([]);
    const pages: number[] = [];
    await listing.forEachPage((page) => pages.push(page.length));
    expect(pages).toEqual([25, 5]);
    // The early List was the only one: readLiveState listed no region again.
    expect(access.callCounts().calls.ListDistributionConfigurations).toBe(2);
  });

  test("a failed List rejects its reader with the gateway's error", async () => {
    fixture.emulator.setFaults({ errorRate: 1 });
    const listing = startListing(fixture.newAccess({ maxAttempts: 1 }).clientFor("us-west-2"));
    await expect(listing.forEachPage(() => undefined)).rejects.toBeInstanceOf(GatewayError);
  });

  test("a stopped List asks for no further page, and its failure goes nowhere", async () => {
    await createSome(30);
    fixture.emulator.resetCounts();
    const listing = startListing(fixture.newAccess().clientFor("us-west-2"));
    listing.stop();
    // Settles (aborted) without an unhandled rejection; at most the first request went out.
    await expect(listing.forEachPage(() => undefined)).rejects.toBeInstanceOf(GatewayError);
    expect(fixture.emulator.requestCounts().ListDistributionConfigurations ?? 0).toBeLessThanOrEqual(1);
  });
});
