// Idempotency as the service keeps it: a `clientToken` per account, region and operation remembers the
// first request and its answer.
import { type ServiceError, serviceError } from "./service-error.js";

/** A remembered `clientToken`: what the first request looked like and what it was answered. */
export interface ClientTokenRecord {
  key: string;
  fingerprint: string;
  response: Record<string, unknown>;
}

/** Where a request stands against the remembered tokens. */
export type TokenCheck =
  | { kind: "new"; key: string; fingerprint: string }
  | { kind: "replay"; output: Record<string, unknown> }
  | { kind: "mismatch"; error: ServiceError };

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The client tokens seen, per account, region and operation. The same token with the same request is
 * answered with the first answer again (no new change); with another request it is
 * `IdempotentParameterMismatchException`.
 */
export class ClientTokenLedger {
  private readonly records = new Map<string, ClientTokenRecord>();

  /** Checks a request (its `clientToken` member included) against the tokens seen. */
  check(operation: string, scopeKey: string, input: Record<string, unknown>): TokenCheck {
    const { clientToken, ...request } = input;
    const key = `${scopeKey}|${operation}|${String(clientToken)}`;
    const fingerprint = canonicalJson(request);
    const record = this.records.get(key);
    if (record === undefined) return { kind: "new", key, fingerprint };
    if (record.fingerprint !== fingerprint) {
      return {
        kind: "mismatch",
        error: serviceError(
          "IdempotentParameterMismatchException",
          `The client token '${String(clientToken)}' was already used for a request with different parameters.`,
        ),
      };
    }
    return { kind: "replay", output: structuredClone(record.response) };
  }

  /** Remembers the answer to a new request, for its replays. */
  remember(check: { key: string; fingerprint: string }, response: Record<string, unknown>): void {
    this.records.set(check.key, {
      key: check.key,
      fingerprint: check.fingerprint,
      response: structuredClone(response),
    });
  }

  list(): ClientTokenRecord[] {
    return [...this.records.values()];
  }

  load(records: readonly ClientTokenRecord[]): void {
    for (const record of records) this.records.set(record.key, structuredClone(record));
  }

  clear(): void {
    this.records.clear();
  }
}
