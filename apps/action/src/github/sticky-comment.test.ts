import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../testing/fake-github-server.js";
import { GITHUB_ACTIONS_BOT_LOGIN, type GitHubPort } from "./github-port.js";
import { createOctokit } from "./octokit.js";
import { createOctokitGitHub } from "./octokit-github.js";
import {
  resolveCommentAuthor,
  stickyCommentPrefix,
  upsertStickyComment,
  withStickyMarker,
} from "./sticky-comment.js";

const issue = { owner: "acme", repo: "images", issueNumber: 7 };
const request = (markdown: string, key = "") => ({
  issue,
  key,
  markdown,
  truncationNotice: "See the job summary.",
  authorLogin: GITHUB_ACTIONS_BOT_LOGIN,
});

let fake: FakeGitHub;
let github: GitHubPort;

beforeEach(async () => {
  fake = await startFakeGitHub();
  github = createOctokitGitHub(createOctokit("test-token", { baseUrl: fake.url }));
});
afterEach(async () => {
  await fake.close();
});

describe("upsertStickyComment against the fake GitHub API", () => {
  test("creates the comment, then updates the same one", async () => {
    const first = await upsertStickyComment(github, request("plan one"));
    expect(first.status).toBe("created");
    const second = await upsertStickyComment(github, request("plan two"));
    expect(second.status).toBe("updated");
    const comments = fake.comments(7);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toBe(withStickyMarker("", "plan two"));
    expect(comments[0]?.body).toMatch(/^<!-- waybill:plan key=default sha=[0-9a-f]{64} -->\nplan two$/);
    expect(fake.requests.at(-1)?.authorization).toBe("token test-token");
  });

  test("sends nothing when the body has not changed", async () => {
    await upsertStickyComment(github, request("same"));
    const writes = () => fake.requests.filter((r) => r.method !== "GET").length;
    const before = writes();
    expect((await upsertStickyComment(github, request("same"))).status).toBe("unchanged");
    expect(writes()).toBe(before);
  });

  test("leaves alone a comment by another author that carries the same marker", async () => {
    const planted = fake.addComment({
      ...{ owner: "acme", repo: "images", issueNumber: 7 },
      body: withStickyMarker("", "not from waybill"),
      authorLogin: "mallory",
    });
    expect((await upsertStickyComment(github, request("real plan"))).status).toBe("created");
    const comments = fake.comments(7);
    expect(comments).toHaveLength(2);
    expect(comments.find((c) => c.id === planted.id)?.body).toBe(withStickyMarker("", "not from waybill"));
  });

  test("a marker quoted further down a comment does not make it ours", async () => {
    fake.addComment({
      ...{ owner: "acme", repo: "images", issueNumber: 7 },
      body: `quoting:\n${withStickyMarker("", "plan")}`,
      authorLogin: GITHUB_ACTIONS_BOT_LOGIN,
    });
    expect((await upsertStickyComment(github, request("plan"))).status).toBe("created");
  });

  test("one comment per comment-key", async () => {
    await upsertStickyComment(github, request("us", "us-east-1"));
    await upsertStickyComment(github, request("eu", "eu-west-1"));
    await upsertStickyComment(github, request("us again", "us-east-1"));
    const bodies = fake.comments(7).map((c) => c.body.split("\n")[1]);
    expect(bodies).toEqual(["us again", "eu"]);
  });

  test("finds its comment beyond the first page of comments", async () => {
    await fake.close();
    fake = await startFakeGitHub({ maxPageSize: 10 });
    github = createOctokitGitHub(createOctokit("test-token", { baseUrl: fake.url }));
    for (let i = 0; i < 25; i++) {
      fake.addComment({
        owner: "acme",
        repo: "images",
        issueNumber: 7,
        body: `chatter ${i}`,
        authorLogin: "dev",
      });
    }
    await upsertStickyComment(github, request("first"));
    for (let i = 0; i < 5; i++) {
      fake.addComment({
        owner: "acme",
        repo: "images",
        issueNumber: 7,
        body: `more ${i}`,
        authorLogin: "dev",
      });
    }
    expect((await upsertStickyComment(github, request("second"))).status).toBe("updated");
    expect(fake.comments(7)).toHaveLength(31);
    expect(fake.requests.filter((r) => r.method === "GET" && r.query.page === "3")).not.toHaveLength(0);
  });

  test("a body over 65,536 characters is truncated, not rejected", async () => {
    const huge = Array.from({ length: 10_000 }, (_, i) => `| config-${i} | update |`).join("\n");
    const outcome = await upsertStickyComment(github, request(huge));
    expect(outcome).toMatchObject({ status: "created", truncated: true });
    const [comment] = fake.comments(7);
    expect(comment?.body.length).toBeLessThanOrEqual(65_536);
    expect(comment?.body).toContain("See the job summary.");
  });

  test("a read-only token is reported as forbidden, not thrown", async () => {
    fake.readOnly = true;
    const outcome = await upsertStickyComment(github, request("plan"));
    expect(outcome.status).toBe("forbidden");
    expect(fake.comments()).toHaveLength(0);
  });
});

describe("resolveCommentAuthor", () => {
  test("GITHUB_TOKEN cannot read /user: falls back to the Actions bot", async () => {
    expect(await resolveCommentAuthor(github)).toBe("github-actions[bot]");
  });

  test("a personal token writes as its user", async () => {
    fake.identity = { login: "release-bot", canReadUser: true };
    expect(await resolveCommentAuthor(github)).toBe("release-bot");
  });
});

describe("markers", () => {
  test("escape a key that could close the HTML comment", () => {
    expect(stickyCommentPrefix("a --> b")).toBe("<!-- waybill:plan key=a%20--%3E%20b sha=");
    expect(stickyCommentPrefix("")).toBe(stickyCommentPrefix("default"));
  });

  test("one key's prefix does not match another's", () => {
    expect(withStickyMarker("eu", "x").startsWith(stickyCommentPrefix("e"))).toBe(false);
  });

  test("a body that already starts with the key's marker (core's plan renderer) is kept as is", () => {
    const rendered = `${stickyCommentPrefix("eu")}${"a".repeat(64)} -->\n### plan`;
    expect(withStickyMarker("eu", rendered)).toBe(rendered);
  });
});
