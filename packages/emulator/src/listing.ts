// What List operations share: filters by name, and opaque page tokens that resume after the last key
// returned, in one account and region.
import { invalidParameterValue, type ServiceError, serviceError } from "./service-error.js";

/** A List request's `filters`: each filter's accepted values, by filter name (all must match). */
export type ListFilters = { name: string; values: Set<string> }[];

/**
 * Reads `filters` (already checked against the model): every name must be one of `supported`, every
 * filter must have values. Filters are ANDed; a filter's values are ORed.
 */
export function readFilters(
  filters: { name?: string; values?: string[] }[] | undefined,
  supported: readonly string[],
): { ok: true; filters: ListFilters } | { ok: false; error: ServiceError } {
  const read: ListFilters = [];
  for (const [index, filter] of (filters ?? []).entries()) {
    if (filter.name === undefined || !supported.includes(filter.name)) {
      return {
        ok: false,
        error: invalidParameterValue(
          `filters[${index}].name`,
          `The filter '${filter.name ?? ""}' is not supported. Supported filters: ${supported.join(", ")}.`,
        ),
      };
    }
    if (filter.values === undefined) {
      return {
        ok: false,
        error: invalidParameterValue(`filters[${index}].values`, "Filter values are required."),
      };
    }
    read.push({ name: filter.name, values: new Set(filter.values) });
  }
  return { ok: true, filters: read };
}

/** Whether an item passes every filter; `valuesOf` gives the item's value(s) for a filter name. */
export function passesFilters(
  filters: ListFilters,
  valuesOf: (name: string) => string | readonly string[] | undefined,
): boolean {
  return filters.every((filter) => {
    const value = valuesOf(filter.name);
    if (value === undefined) return false;
    return typeof value === "string" ? filter.values.has(value) : value.some((one) => filter.values.has(one));
  });
}

interface PageToken {
  v: 1;
  scope: string;
  after: string;
}

export function encodePageToken(scope: string, after: string): string {
  const token: PageToken = { v: 1, scope, after };
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

/** The key to resume after, or undefined when the token is not ours or is from another scope. */
export function decodePageToken(text: string, scope: string): string | undefined {
  try {
    const token = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as Partial<PageToken>;
    if (token.v !== 1 || token.scope !== scope || typeof token.after !== "string") return undefined;
    return token.after;
  } catch {
    return undefined;
  }
}

export const invalidPageToken: ServiceError = serviceError(
  "InvalidPaginationTokenException",
  "The pagination token provided is not valid.",
);

// The index of the first element greater than `value` in a sorted array.
export function upperBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as string) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * One page of `items` (sorted by `keyOf`) after the token's key, keeping those `accept` keeps: at most
 * `maxResults`, and a `nextToken` while items remain. Undefined for a token that is not valid here.
 */
export function pageOf<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  accept: (item: T) => boolean,
  options: { scope: string; maxResults: number; nextToken?: string },
): { page: T[]; nextToken?: string } | undefined {
  let start = 0;
  if (options.nextToken !== undefined) {
    const after = decodePageToken(options.nextToken, options.scope);
    if (after === undefined) return undefined;
    start = upperBound(items.map(keyOf), after);
  }
  const page: T[] = [];
  let index = start;
  let lastKey: string | undefined;
  for (; index < items.length && page.length < options.maxResults; index++) {
    const item = items[index] as T;
    lastKey = keyOf(item);
    if (accept(item)) page.push(item);
  }
  if (index < items.length && lastKey !== undefined) {
    return { page, nextToken: encodePageToken(options.scope, lastKey) };
  }
  return { page };
}
