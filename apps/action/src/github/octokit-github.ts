/** GitHubPort over the Octokit client (./octokit.ts). */
import {
  type AssociatedPullRequest,
  type GitHubPort,
  GitHubRequestError,
  type IssueComment,
  type IssueRef,
  type RepositoryRef,
} from "./github-port.js";
import type { Octokit } from "./octokit.js";

interface RestComment {
  // The REST schema allows bigint ids; comment ids stay far below 2^53.
  id: number | bigint;
  body?: string | null;
  html_url: string;
  user: { login: string } | null;
}

function toIssueComment(comment: RestComment): IssueComment {
  return {
    id: Number(comment.id),
    body: comment.body ?? "",
    authorLogin: comment.user?.login ?? "",
    url: comment.html_url,
  };
}

function statusOf(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "status" in error && typeof error.status === "number") {
    return error.status;
  }
  return undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function request<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const status = statusOf(error);
    if (status === undefined) throw error;
    throw new GitHubRequestError(operation, status, errorText(error), { cause: error });
  }
}

export function createOctokitGitHub(octokit: Octokit): GitHubPort {
  return {
    async authenticatedLogin() {
      try {
        const { data } = await octokit.request("GET /user");
        return data.login;
      } catch (error) {
        // Installation tokens (GITHUB_TOKEN included) get 403 "Resource not accessible by integration".
        const status = statusOf(error);
        if (status === 403 || status === 401 || status === 404) return undefined;
        if (status === undefined) throw error;
        throw new GitHubRequestError("Reading the token's user", status, errorText(error), { cause: error });
      }
    },

    async listIssueComments({ owner, repo, issueNumber }: IssueRef) {
      const comments = await request(`Listing comments on #${issueNumber}`, () =>
        octokit.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
          owner,
          repo,
          issue_number: issueNumber,
          per_page: 100,
        }),
      );
      return comments.map(toIssueComment);
    },

    async createIssueComment({ owner, repo, issueNumber }: IssueRef, body: string) {
      const { data } = await request(`Commenting on #${issueNumber}`, () =>
        octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
          owner,
          repo,
          issue_number: issueNumber,
          body,
        }),
      );
      return toIssueComment(data);
    },

    async updateIssueComment({ owner, repo }: RepositoryRef, commentId: number, body: string) {
      const { data } = await request(`Updating comment ${commentId}`, () =>
        octokit.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
          owner,
          repo,
          comment_id: commentId,
          body,
        }),
      );
      return toIssueComment(data);
    },

    async listPullRequestsForCommit({ owner, repo }: RepositoryRef, sha: string) {
      const { data } = await request(`Finding the pull requests of commit ${sha}`, () =>
        octokit.request("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", {
          owner,
          repo,
          commit_sha: sha,
        }),
      );
      return data.map(
        (pull): AssociatedPullRequest => ({
          number: pull.number,
          state: pull.state,
          merged: pull.merged_at !== null && pull.merged_at !== undefined,
          mergeCommitSha: pull.merge_commit_sha ?? undefined,
          url: pull.html_url,
          labels: (pull.labels ?? []).map((label) =>
            typeof label === "string" ? label : (label.name ?? ""),
          ),
        }),
      );
    },

    async approvingReviewCount({ owner, repo }: RepositoryRef, pullNumber: number) {
      const reviews = await request(`Listing the reviews of #${pullNumber}`, () =>
        octokit.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
          owner,
          repo,
          pull_number: pullNumber,
          per_page: 100,
        }),
      );
      // A reviewer's latest approving, requesting changes or dismissed review counts; comments do not.
      const latest = new Map<string, string>();
      for (const review of reviews) {
        const login = review.user?.login;
        if (login === undefined || !["APPROVED", "CHANGES_REQUESTED", "DISMISSED"].includes(review.state))
          continue;
        latest.set(login, review.state);
      }
      return [...latest.values()].filter((state) => state === "APPROVED").length;
    },
  };
}
