/** A small stand-in for the GitHub REST API over real HTTP: only the endpoints the action calls, with recorded requests. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeIdentity {
  login: string;
  /** false plays GITHUB_TOKEN, which gets 403 from GET /user. */
  canReadUser: boolean;
}

export interface FakeComment {
  id: number;
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  authorLogin: string;
}

export interface FakePullRequest {
  number: number;
  state: "open" | "closed";
  merged: boolean;
  /** Defaults to none (GitHub's null before a merge). */
  mergeCommitSha?: string;
  labels?: string[];
  /** Reviews in the order they were given. */
  reviews?: { login: string; state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" }[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  body: unknown;
}

export interface FakeGitHubOptions {
  identity?: FakeIdentity;
  /** Every write answers 403, as for a pull request from a fork. */
  readOnly?: boolean;
  /** Largest page the server hands out, whatever per_page asks (GitHub's is 100). */
  maxPageSize?: number;
}

export interface FakeGitHub {
  readonly url: string;
  readonly requests: RecordedRequest[];
  identity: FakeIdentity;
  readOnly: boolean;
  /** When set, every request is answered with this status (e.g. 502), as GitHub on a bad day. */
  failWith: number | undefined;
  /** Answers requests whose path ends with `pathSuffix` (e.g. `/reviews`) with `status`: one route failing. */
  failRoute(pathSuffix: string, status: number): void;
  comments(issueNumber?: number): FakeComment[];
  addComment(comment: Omit<FakeComment, "id">): FakeComment;
  setPullRequestsForCommit(sha: string, pulls: FakePullRequest[]): void;
  close(): Promise<void>;
}

const BODY_LIMIT = 65_536;

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? undefined : JSON.parse(text);
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const comments: FakeComment[] = [];
  const pullsByCommit = new Map<string, FakePullRequest[]>();
  const requests: RecordedRequest[] = [];
  let nextId = 1000;
  const maxPageSize = options.maxPageSize ?? 100;
  let baseUrl = "";

  const state = {
    identity: options.identity ?? { login: "github-actions[bot]", canReadUser: false },
    readOnly: options.readOnly ?? false,
    failWith: undefined as number | undefined,
  };
  const failingRoutes = new Map<string, number>();

  const commentJson = (comment: FakeComment) => ({
    id: comment.id,
    body: comment.body,
    html_url: `https://github.com/${comment.owner}/${comment.repo}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    user: { login: comment.authorLogin, type: comment.authorLogin.endsWith("[bot]") ? "Bot" : "User" },
  });
  const forbidden = (response: ServerResponse) =>
    send(response, 403, {
      message: "Resource not accessible by integration",
      documentation_url: "https://docs.github.com/rest",
      status: "403",
    });
  const tooLong = (body: unknown) =>
    typeof body === "object" &&
    body !== null &&
    "body" in body &&
    typeof body.body === "string" &&
    body.body.length > BODY_LIMIT;

  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", "http://fake");
      const body = await readJson(request);
      const method = request.method ?? "GET";
      requests.push({
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        authorization: request.headers.authorization,
        body,
      });
      const parts = url.pathname.split("/").filter(Boolean);
      if (state.failWith !== undefined) {
        return send(response, state.failWith, { message: "Server Error" });
      }
      for (const [suffix, status] of failingRoutes) {
        if (url.pathname.endsWith(suffix)) return send(response, status, { message: "Server Error" });
      }

      if (method === "GET" && url.pathname === "/user") {
        if (!state.identity.canReadUser) return forbidden(response);
        return send(response, 200, { login: state.identity.login, type: "User" });
      }
      // /repos/{owner}/{repo}/issues/{number}/comments
      if (parts[0] === "repos" && parts[3] === "issues" && parts[5] === "comments" && parts.length === 6) {
        const [, owner = "", repo = ""] = parts;
        const issueNumber = Number(parts[4]);
        if (method === "GET") {
          const all = comments.filter(
            (c) => c.owner === owner && c.repo === repo && c.issueNumber === issueNumber,
          );
          const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30), maxPageSize);
          const page = Number(url.searchParams.get("page") ?? 1);
          const slice = all.slice((page - 1) * perPage, page * perPage);
          const headers: Record<string, string> = {};
          if (page * perPage < all.length) {
            const next = new URL(`${baseUrl}${url.pathname}`);
            next.searchParams.set("per_page", String(perPage));
            next.searchParams.set("page", String(page + 1));
            headers.link = `<${next.href}>; rel="next"`;
          }
          return send(response, 200, slice.map(commentJson), headers);
        }
        if (method === "POST") {
          if (state.readOnly) return forbidden(response);
          if (tooLong(body))
            return send(response, 422, { message: "Body is too long (maximum is 65536 characters)" });
          const text = (body as { body?: unknown } | undefined)?.body;
          if (typeof text !== "string") return send(response, 422, { message: "body is missing" });
          const created = {
            id: nextId++,
            owner,
            repo,
            issueNumber,
            body: text,
            authorLogin: state.identity.login,
          };
          comments.push(created);
          return send(response, 201, commentJson(created));
        }
      }
      // /repos/{owner}/{repo}/issues/comments/{id}
      if (parts[0] === "repos" && parts[3] === "issues" && parts[4] === "comments" && parts.length === 6) {
        const comment = comments.find((c) => c.id === Number(parts[5]));
        if (comment === undefined) return send(response, 404, { message: "Not Found" });
        if (method === "GET") return send(response, 200, commentJson(comment));
        if (method === "PATCH") {
          if (state.readOnly) return forbidden(response);
          if (tooLong(body))
            return send(response, 422, { message: "Body is too long (maximum is 65536 characters)" });
          const text = (body as { body?: unknown } | undefined)?.body;
          if (typeof text !== "string") return send(response, 422, { message: "body is missing" });
          comment.body = text;
          return send(response, 200, commentJson(comment));
        }
      }
      // /repos/{owner}/{repo}/commits/{sha}/pulls
      if (parts[0] === "repos" && parts[3] === "commits" && parts[5] === "pulls" && method === "GET") {
        const [, owner = "", repo = ""] = parts;
        const pulls = pullsByCommit.get(parts[4] ?? "") ?? [];
        return send(
          response,
          200,
          pulls.map((pull) => ({
            number: pull.number,
            state: pull.state,
            merged_at: pull.merged ? "2026-01-02T03:04:05Z" : null,
            merge_commit_sha: pull.mergeCommitSha ?? null,
            html_url: `https://github.com/${owner}/${repo}/pull/${pull.number}`,
            labels: (pull.labels ?? []).map((name) => ({ name })),
          })),
        );
      }
      // /repos/{owner}/{repo}/pulls/{number}/reviews
      if (parts[0] === "repos" && parts[3] === "pulls" && parts[5] === "reviews" && method === "GET") {
        const pull = [...pullsByCommit.values()].flat().find((p) => p.number === Number(parts[4]));
        if (pull === undefined) return send(response, 404, { message: "Not Found" });
        return send(
          response,
          200,
          (pull.reviews ?? []).map((review, index) => ({
            id: index + 1,
            user: { login: review.login },
            state: review.state,
          })),
        );
      }
      return send(response, 404, { message: `Not Found: ${method} ${url.pathname}` });
    })().catch((error: unknown) => {
      send(response, 500, { message: String(error) });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    requests,
    get identity() {
      return state.identity;
    },
    set identity(identity: FakeIdentity) {
      state.identity = identity;
    },
    get readOnly() {
      return state.readOnly;
    },
    set readOnly(readOnly: boolean) {
      state.readOnly = readOnly;
    },
    get failWith() {
      return state.failWith;
    },
    set failWith(status: number | undefined) {
      state.failWith = status;
    },
    failRoute(pathSuffix, status) {
      failingRoutes.set(pathSuffix, status);
    },
    comments: (issueNumber) =>
      comments
        .filter((c) => issueNumber === undefined || c.issueNumber === issueNumber)
        .map((c) => ({ ...c })),
    addComment(comment) {
      const added = { ...comment, id: nextId++ };
      comments.push(added);
      return { ...added };
    },
    setPullRequestsForCommit(sha, pulls) {
      pullsByCommit.set(sha, pulls);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
