// The HTTP front of the emulator: restJson1 requests in, store operations, JSON answers or service errors out.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { type OperationName, operationNames } from "./api-model.js";
import { DistributionConfigurationStore, type StoreState } from "./distribution-configuration-store.js";
import { FaultInjector, type FaultSettings } from "./faults.js";
import { parseSigV4Credential, scopeOfRequest } from "./request-scope.js";
import { bindInput, hasBody, matchRoute } from "./routes.js";
import { type ServiceError, serviceError } from "./service-error.js";
import { describeStateWriteError, readStateFile, StateFileWriter } from "./state-file.js";

/** The account that access keys not listed in `accounts` act in. */
export const DEFAULT_ACCOUNT_ID = "123456789012";

/** Milliseconds each phase of a simulated build or distribution lasts unless `buildMs` says otherwise. */
export const DEFAULT_BUILD_MS = 1_000;

export interface EmulatorOptions extends FaultSettings {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /**
   * JSON file to load state from and persist every change to (atomically). Its folder must exist and
   * be writable: the file is written once at start.
   */
  statePath?: string;
  /**
   * Told, in one line, when a write of the state file fails after start. The changes it carried (and
   * any made since) are rolled back and their requests answered 500 `ServiceException`.
   */
  onStateWriteError?: (message: string) => void;
  /** Account for access keys not in `accounts`; default 123456789012. */
  defaultAccountId?: string;
  /** Access key id → account id. */
  accounts?: Record<string, string>;
  /**
   * Milliseconds each phase of a simulated image lasts: a build is BUILDING, then DISTRIBUTING, then
   * AVAILABLE; a DistributeImage is DISTRIBUTING, then AVAILABLE. Default {@link DEFAULT_BUILD_MS}; 0
   * makes images AVAILABLE at once.
   */
  buildMs?: number;
}

/** Everything the emulator holds (the state file's content). */
export type EmulatorSnapshot = StoreState;

/** A running emulator. */
export interface Emulator {
  /** Base URL to pass as the SDK's `endpoint` or the CLI's `--endpoint-url`, e.g. `http://127.0.0.1:43125`. */
  url: string;
  /** Stops listening, finishes requests in flight and flushes the state file. */
  close(): Promise<void>;
  /** Requests received per operation since start or the last {@link resetCounts}, faulted ones included. */
  requestCounts(): Record<OperationName, number>;
  resetCounts(): void;
  /** Changes fault injection at run time; fields left out keep their value. */
  setFaults(faults: FaultSettings): void;
  /** A deep copy of the state, for tests. */
  snapshot(): EmulatorSnapshot;
  /** Forgets every configuration, pipeline, image and client token. */
  reset(): void;
}

/**
 * The emulator could not start: an unreadable state file, or one that cannot be written. (A port in
 * use rejects with Node's own error.)
 */
export class EmulatorStateError extends Error {
  override readonly name = "EmulatorStateError";
}

function zeroCounts(): Record<OperationName, number> {
  return Object.fromEntries(operationNames.map((operation) => [operation, 0])) as Record<
    OperationName,
    number
  >;
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": crypto.randomUUID(),
    ...headers,
  });
  response.end(text);
}

function sendError(response: ServerResponse, error: ServiceError): void {
  send(
    response,
    error.status,
    { __type: error.type, message: error.message },
    { "x-amzn-errortype": error.type },
  );
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Starts a local EC2 Image Builder (distribution configurations, image pipelines, images and tags) over HTTP, speaking the
 * service's restJson1 protocol so the AWS SDK and CLI work against it with an endpoint URL.
 *
 * Rejects with {@link EmulatorStateError} when `statePath` exists but is not a valid state file, or
 * cannot be written (a missing folder, no permission).
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  let state: StoreState | undefined;
  if (options.statePath !== undefined) {
    const read = await readStateFile(options.statePath);
    if (!read.ok) throw new EmulatorStateError(read.message);
    state = read.state;
  }
  const faults = new FaultInjector(options);
  const buildMs = Math.max(0, options.buildMs ?? DEFAULT_BUILD_MS);
  const store = new DistributionConfigurationStore({
    ...(state === undefined ? {} : { state }),
    phaseMs: () => buildMs,
    failDistribution: () => faults.failDistribution(),
  });
  let writer: StateFileWriter | undefined;
  if (options.statePath !== undefined) {
    const statePath = options.statePath;
    const rollBack = (durableText: string, error: unknown) => {
      store.replaceState(JSON.parse(durableText) as StoreState);
      options.onStateWriteError?.(describeStateWriteError(statePath, error));
    };
    try {
      writer = await StateFileWriter.open(statePath, () => store.toStateJson(), rollBack);
    } catch (error) {
      throw new EmulatorStateError(describeStateWriteError(statePath, error));
    }
  }
  const accounts = { ...options.accounts };
  const defaultAccountId = options.defaultAccountId ?? DEFAULT_ACCOUNT_ID;
  let counts = zeroCounts();

  const persistInBackground = () => {
    // A failed write rolls the change back and is reported through onStateWriteError; nothing to answer here.
    writer?.commit().catch(() => {});
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://emulator");
    const route = matchRoute(request.method ?? "GET", url.pathname);
    if (route === undefined) {
      await readBody(request);
      sendError(
        response,
        serviceError("UnknownOperationException", `No operation matches ${request.method} ${url.pathname}.`),
      );
      return;
    }
    const { operation } = route;
    counts[operation] += 1;
    const credential = parseSigV4Credential(request.headers.authorization);
    // Decided on arrival, so the seeded sequence follows the order requests come in.
    const scope = credential && scopeOfRequest(credential, accounts, defaultAccountId);
    const decision = faults.decide(operation, scope ? `${scope.accountId}:${scope.region}` : "anonymous");
    const { latencyMs } = faults.current();
    const bodyText = await readBody(request);
    if (latencyMs > 0) await sleep(latencyMs);

    switch (decision.kind) {
      case "drop":
        request.socket.destroy();
        return;
      case "error":
        sendError(
          response,
          serviceError(
            decision.type,
            decision.type === "ServiceException" ? "Internal service error." : "The service is unavailable.",
          ),
        );
        return;
      case "throttle":
        sendError(response, serviceError("CallRateLimitExceededException", "Rate exceeded"));
        return;
    }
    if (scope === undefined) {
      sendError(
        response,
        serviceError("MissingAuthenticationTokenException", "Missing Authentication Token"),
      );
      return;
    }

    if (faults.current().deniedOperations.includes(operation)) {
      sendError(
        response,
        serviceError(
          "AccessDeniedException",
          `User: arn:aws:iam::${scope.accountId}:user/emulator is not authorized to perform: imagebuilder:${operation} (denied by the emulator's deniedOperations).`,
        ),
      );
      return;
    }

    let body: unknown = {};
    if (hasBody(operation) && bodyText.trim() !== "") {
      try {
        body = JSON.parse(bodyText);
      } catch {
        sendError(response, serviceError("SerializationException", "The request body is not valid JSON."));
        return;
      }
    }
    const input = bindInput(operation, route.labels, url.searchParams, body);
    const outcome = store.execute(operation, scope, input);
    if (writer !== undefined) {
      // Answer only once everything this request changed or saw is on disk: a failed write rolls back
      // every change not yet written, which no answer (a read, a replayed clientToken, an
      // AlreadyExists) may have shown. With nothing being written, settled() is undefined.
      const changed = outcome.ok && outcome.changed;
      const durable = changed ? writer.commit() : writer.settled();
      if (durable !== undefined) {
        try {
          await durable;
        } catch {
          const message = changed
            ? "The change could not be persisted."
            : "A change this answer depends on could not be persisted.";
          sendError(response, serviceError("ServiceException", message));
          return;
        }
      }
    }
    if (!outcome.ok) {
      sendError(response, outcome.error);
      return;
    }
    send(response, 200, outcome.output);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A bug in the emulator: answer 500 rather than hang the client.
      if (!response.headersSent) {
        sendError(response, serviceError("ServiceException", `Emulator error: ${(error as Error).message}`));
      } else {
        response.destroy();
      }
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.address === "0.0.0.0" || address.address === "::" ? "127.0.0.1" : address.address;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await closed;
        await writer?.idle();
      })();
      return closing;
    },
    requestCounts: () => ({ ...counts }),
    resetCounts() {
      counts = zeroCounts();
    },
    setFaults: (settings) => faults.update(settings),
    snapshot: () => store.toState(),
    reset() {
      store.reset();
      persistInBackground();
    },
  };
}
