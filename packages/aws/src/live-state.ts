// Reads the live distribution configurations of the home regions in play: List pages, and a Get for
// each selected configuration as soon as its page arrives (unless its summary can be trusted).
import type { DistributionConfigurationSummary } from "@aws-sdk/client-imagebuilder";
import { accountFromArn, type Distribution, type LiveConfiguration } from "@waybill/core";
import { createLimiter } from "./concurrency.js";
import type { ImageBuilderGateway } from "./gateway.js";

/**
 * A region's List, started before its reader knows what it wants of the summaries (a plan lists
 * while its files are still being validated: a List carries nothing from the files). Pages are
 * kept as they arrive and handed to the reader when it comes ({@link readLiveState}'s `listings`).
 */
export interface RegionListing {
  /** Calls `onPage` with each page so far, then with each page as it arrives; settles with the List. */
  forEachPage(onPage: (summaries: DistributionConfigurationSummary[]) => void): Promise<void>;
  /**
   * Abandons the List: the request in flight is aborted, no further page is asked for, and its
   * outcome (an error included) is dropped: nobody will read it.
   */
  stop(): void;
}

/** Starts listing `gateway`'s region now; see {@link RegionListing}. */
export function startListing(gateway: ImageBuilderGateway): RegionListing {
  const pages: DistributionConfigurationSummary[][] = [];
  let reader: ((summaries: DistributionConfigurationSummary[]) => void) | undefined;
  const abort = new AbortController();
  const listed = gateway.listAll((page) => {
    pages.push(page);
    reader?.(page);
  }, abort.signal);
  // Read by `forEachPage`, or dropped by `stop`: never an unhandled rejection in between.
  listed.catch(() => undefined);
  return {
    async forEachPage(onPage) {
      for (const page of pages) onPage(page);
      reader = onPage;
      await listed;
    },
    stop() {
      abort.abort();
    },
  };
}

export interface ReadLiveStateOptions {
  /** Home regions to read. */
  regions: readonly string[];
  clientFor(region: string): ImageBuilderGateway;
  /** Lists already started ({@link startListing}), by region; the other regions are listed here. */
  listings?: ReadonlyMap<string, RegionListing>;
  /** Get requests in flight per region. Default 8. */
  concurrency?: number;
  /**
   * Which listed configurations need a Get. List already carries name and tags, so a run that
   * knows its desired names and stack can skip configurations it would never touch (neither one of
   * its names nor managed by its stack) and make the minimal number of calls. Default: all.
   */
  needsDetails?(summary: DistributionConfigurationSummary, region: string): boolean;
  /**
   * The live configuration a selected summary stands for without a Get, or undefined to Get it
   * (see core's `trustedLiveConfiguration`). Default: Get every selected configuration.
   */
  trusted?(summary: DistributionConfigurationSummary, region: string): LiveConfiguration | undefined;
  /** Called after each List page, each region's last page and each Get, with the counts so far. */
  onProgress?(progress: LiveStateProgress): void;
}

/** How far a {@link readLiveState} is, over all its regions. */
export interface LiveStateProgress {
  /** List pages read. */
  pages: number;
  /** Regions whose List is complete, of `regions`. */
  regionsListed: number;
  regions: number;
  /** Gets done, of `getsTotal` (known so far: it grows as List pages arrive). */
  gets: number;
  getsTotal: number;
  /** Configurations taken from their List summary, with no Get. */
  trusted: number;
}

/**
 * Every live configuration of `regions` that `needsDetails` selects, as `LiveConfiguration`s:
 * one List per page per region, and one Get per selected configuration that `trusted` does not
 * vouch for, started as soon as its page arrives (List pages and Gets overlap), with at most
 * `concurrency` Gets in flight per region (regions run side by side). Tags come from Get's answer
 * (List's when Get has none), never from an extra call. Sorted by region, then name. Gateway
 * failures reject with the `GatewayError`: a plan must not be made from partial live state.
 */
export async function readLiveState(options: ReadLiveStateOptions): Promise<LiveConfiguration[]> {
  const concurrency = options.concurrency ?? 8;
  const regions = [...new Set(options.regions)].sort();
  const progress: LiveStateProgress = {
    pages: 0,
    regionsListed: 0,
    regions: regions.length,
    gets: 0,
    getsTotal: 0,
    trusted: 0,
  };
  const report = options.onProgress ? () => options.onProgress?.({ ...progress }) : undefined;
  const perRegion = await Promise.all(
    regions.map(async (region) => {
      const gateway = options.clientFor(region);
      const limit = createLimiter(concurrency);
      const reads: Promise<LiveConfiguration>[] = [];
      const read = (summary: DistributionConfigurationSummary): Promise<LiveConfiguration> => {
        const trusted = options.trusted?.(summary, region);
        if (trusted !== undefined) {
          progress.trusted++;
          return Promise.resolve(trusted);
        }
        progress.getsTotal++;
        const arn = summary.arn as string;
        const got = limit(async () => {
          const full = await gateway.get(arn, summary.name);
          progress.gets++;
          report?.();
          return toLiveConfiguration(region, { ...summary, ...full, tags: full.tags ?? summary.tags ?? {} });
        });
        // Handled here so a Get failing while later pages are listed is no unhandled rejection;
        // Promise.all below still rejects with it.
        got.catch(() => undefined);
        return got;
      };
      const onPage = (page: DistributionConfigurationSummary[]) => {
        for (const summary of page) {
          if (summary.arn && (options.needsDetails?.(summary, region) ?? true)) reads.push(read(summary));
        }
        progress.pages++;
        report?.();
      };
      const started = options.listings?.get(region);
      if (started) await started.forEachPage(onPage);
      else await gateway.listAll(onPage);
      progress.regionsListed++;
      report?.();
      return Promise.all(reads);
    }),
  );
  return perRegion
    .flat()
    .sort((a, b) => (a.region === b.region ? compare(a.name, b.name) : compare(a.region, b.region)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface ServiceConfiguration {
  arn?: string | undefined;
  name?: string | undefined;
  description?: string | undefined;
  distributions?: unknown[] | undefined;
  tags?: Record<string, string> | undefined;
  timeoutMinutes?: number | undefined;
  dateCreated?: string | undefined;
  dateUpdated?: string | undefined;
}

/** The service's answer as Waybill's `LiveConfiguration` (undefined members dropped). */
export function toLiveConfiguration(region: string, configuration: ServiceConfiguration): LiveConfiguration {
  const arn = configuration.arn ?? "";
  const live: LiveConfiguration = {
    arn,
    name: configuration.name ?? arn.slice(arn.lastIndexOf("/") + 1),
    region,
    accountId: accountFromArn(arn) ?? "",
    // The SDK's Distribution type and core's (inferred from the API model) describe the same JSON.
    distributions: (configuration.distributions ?? []) as Distribution[],
    tags: { ...(configuration.tags ?? {}) },
  };
  if (configuration.description !== undefined) live.description = configuration.description;
  if (configuration.timeoutMinutes !== undefined) live.timeoutMinutes = configuration.timeoutMinutes;
  if (configuration.dateCreated !== undefined) live.dateCreated = configuration.dateCreated;
  if (configuration.dateUpdated !== undefined) live.dateUpdated = configuration.dateUpdated;
  return live;
}
