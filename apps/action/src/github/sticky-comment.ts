/** One comment per pull request (and comment-key), found again by its hidden marker and its author, edited in place. */
import { fitCommentBody } from "./comment-body.js";
import {
  GITHUB_ACTIONS_BOT_LOGIN,
  type GitHubPort,
  GitHubRequestError,
  type IssueComment,
  type IssueRef,
} from "./github-port.js";

/** The hidden first line of a Waybill comment. The key separates matrix shards; anything odd in it is escaped. */
export function stickyCommentMarker(key: string): string {
  const safeKey = encodeURIComponent(key.trim() === "" ? "default" : key.trim());
  return `<!-- waybill:comment key=${safeKey} -->`;
}

/** Who the token writes as: GET /user for a personal token; the Actions bot for GITHUB_TOKEN, which may not ask. */
export async function resolveCommentAuthor(github: GitHubPort): Promise<string> {
  return (await github.authenticatedLogin()) ?? GITHUB_ACTIONS_BOT_LOGIN;
}

/** Anyone can paste a marker, so a comment is ours only when it also comes from the token's own author. */
export function findStickyComment(
  comments: readonly IssueComment[],
  marker: string,
  authorLogin: string,
): IssueComment | undefined {
  return comments.find(
    (comment) =>
      comment.authorLogin.toLowerCase() === authorLogin.toLowerCase() &&
      comment.body.split("\n", 1)[0]?.trim() === marker,
  );
}

export type StickyCommentOutcome =
  | { status: "created"; comment: IssueComment; truncated: boolean }
  | { status: "updated"; comment: IssueComment; truncated: boolean }
  | { status: "unchanged"; comment: IssueComment; truncated: boolean }
  /** The token may not comment here (a fork's read-only token, or no `pull-requests: write`). */
  | { status: "forbidden"; error: GitHubRequestError };

export interface StickyCommentRequest {
  issue: IssueRef;
  key: string;
  /** The markdown to show, without the marker. */
  markdown: string;
  /** Said at the end of a truncated comment, e.g. where the full plan is. */
  truncationNotice: string;
  /** The login comments by this token carry; resolved once per run. */
  authorLogin: string;
}

export async function upsertStickyComment(
  github: GitHubPort,
  request: StickyCommentRequest,
): Promise<StickyCommentOutcome> {
  const marker = stickyCommentMarker(request.key);
  const { body, truncated } = fitCommentBody(`${marker}\n${request.markdown}`, request.truncationNotice);
  try {
    const existing = findStickyComment(
      await github.listIssueComments(request.issue),
      marker,
      request.authorLogin,
    );
    if (existing === undefined) {
      return { status: "created", comment: await github.createIssueComment(request.issue, body), truncated };
    }
    if (existing.body === body) return { status: "unchanged", comment: existing, truncated };
    return {
      status: "updated",
      comment: await github.updateIssueComment(request.issue, existing.id, body),
      truncated,
    };
  } catch (error) {
    if (error instanceof GitHubRequestError && error.isPermissionDenied)
      return { status: "forbidden", error };
    throw error;
  }
}
