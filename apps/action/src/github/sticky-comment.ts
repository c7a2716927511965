/** One comment per pull request (and comment-key), found again by its hidden marker and its author, edited in place. */
import { sha256Hex } from "@waybill/core";
import { planCommentMarker } from "@waybill/core/render";
import { fitCommentBody } from "./comment-body.js";
import {
  GITHUB_ACTIONS_BOT_LOGIN,
  type GitHubPort,
  GitHubRequestError,
  type IssueComment,
  type IssueRef,
} from "./github-port.js";

/** The key of the comment of a job without a comment-key. */
const DEFAULT_KEY = "default";

function commentKey(key: string): string {
  return key.trim() === "" ? DEFAULT_KEY : key.trim();
}

/**
 * What the first line of a Waybill comment for `key` starts with: @waybill/core's plan marker
 * without its hash (`<!-- waybill:plan key=<key> sha=`). The key is URI-encoded, so it cannot end
 * the HTML comment early, and one key's prefix never matches another's.
 */
export function stickyCommentPrefix(key: string): string {
  return planCommentMarker(commentKey(key));
}

/** Starts `markdown` with the marker for `key`, unless it already does (core's plan renderer writes one). */
export function withStickyMarker(key: string, markdown: string): string {
  if (markdown.startsWith(stickyCommentPrefix(key))) return markdown;
  return `${planCommentMarker(commentKey(key), sha256Hex(markdown))}\n${markdown}`;
}

/** Who the token writes as: GET /user for a personal token; the Actions bot for GITHUB_TOKEN, which may not ask. */
export async function resolveCommentAuthor(github: GitHubPort): Promise<string> {
  return (await github.authenticatedLogin()) ?? GITHUB_ACTIONS_BOT_LOGIN;
}

/** Anyone can paste a marker, so a comment is ours only when it also comes from the token's own author. */
export function findStickyComment(
  comments: readonly IssueComment[],
  key: string,
  authorLogin: string,
): IssueComment | undefined {
  const prefix = stickyCommentPrefix(key);
  return comments.find(
    (comment) =>
      comment.authorLogin.toLowerCase() === authorLogin.toLowerCase() && comment.body.startsWith(prefix),
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
  /** The markdown to show; a marker for `key` is put first unless it starts with one. */
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
  const { body, truncated } = fitCommentBody(
    withStickyMarker(request.key, request.markdown),
    request.truncationNotice,
  );
  try {
    const existing = findStickyComment(
      await github.listIssueComments(request.issue),
      request.key,
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
