// Test helper: an HTTP proxy on 127.0.0.1 that forwards absolute-URI requests and tunnels CONNECT,
// recording each, so a test can see that a client's requests went through it.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import { connect } from "node:net";

export interface ProxiedRequest {
  /** `GET`, `POST`, ... for a forwarded request; `CONNECT` for a tunnel. */
  method: string;
  /** The absolute URL of a forwarded request; `host:port` of a tunnel. */
  target: string;
}

export interface ForwardProxy {
  url: string;
  requests: ProxiedRequest[];
  stop(): Promise<void>;
}

export async function startForwardProxy(): Promise<ForwardProxy> {
  const requests: ProxiedRequest[] = [];
  const server: Server = createServer((incoming: IncomingMessage, response) => {
    const target = incoming.url ?? "";
    requests.push({ method: incoming.method ?? "", target });
    const url = new URL(target);
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: incoming.method,
        path: `${url.pathname}${url.search}`,
        headers: incoming.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    outgoing.on("error", () => response.writeHead(502).end());
    incoming.pipe(outgoing);
  });
  server.on("connect", (incoming: IncomingMessage, client, head) => {
    const target = incoming.url ?? "";
    requests.push({ method: "CONNECT", target });
    const [host = "", port = "443"] = target.split(":");
    const upstream = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n"));
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the proxy has no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The proxy variables, all empty but those given, for `vi.stubEnv` each: nothing leaks in from
 * the machine running the tests.
 */
export function proxyVariables(given: Record<string, string>): [string, string][] {
  const names = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"];
  return names.map((name) => [name, given[name] ?? ""]);
}
