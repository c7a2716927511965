/** The few GitHub REST operations the action uses, behind an interface so tests can hand in fakes. */

export interface RepositoryRef {
  owner: string;
  repo: string;
}

export interface IssueRef extends RepositoryRef {
  issueNumber: number;
}

export interface IssueComment {
  id: number;
  body: string;
  authorLogin: string;
  url: string;
}

export interface AssociatedPullRequest {
  number: number;
  state: string;
  merged: boolean;
  /** The commit the merge made on the base branch (for a merged pull request). */
  mergeCommitSha: string | undefined;
  url: string;
  /** The pull request's label names. */
  labels: string[];
}

export interface GitHubPort {
  /** The login behind the token, or undefined when the token may not ask (GITHUB_TOKEN gets 403 on GET /user). */
  authenticatedLogin(): Promise<string | undefined>;
  /** Every comment on the issue or pull request, all pages. */
  listIssueComments(issue: IssueRef): Promise<IssueComment[]>;
  createIssueComment(issue: IssueRef, body: string): Promise<IssueComment>;
  updateIssueComment(repository: RepositoryRef, commentId: number, body: string): Promise<IssueComment>;
  listPullRequestsForCommit(repository: RepositoryRef, sha: string): Promise<AssociatedPullRequest[]>;
  /** How many reviewers approve the pull request now (their latest review approves), all pages. */
  approvingReviewCount(repository: RepositoryRef, pullNumber: number): Promise<number>;
}

/** A failed GitHub request, with the HTTP status so callers can tell "read-only token" from a real failure. */
export class GitHubRequestError extends Error {
  readonly status: number;
  readonly operation: string;
  constructor(operation: string, status: number, message: string, options?: { cause?: unknown }) {
    super(`${operation} failed (HTTP ${status}): ${message}`, options);
    this.name = "GitHubRequestError";
    this.status = status;
    this.operation = operation;
  }

  /** 401/403: the token may not do this: the token cannot write here (a fork's read-only GITHUB_TOKEN, or missing permissions). */
  get isPermissionDenied(): boolean {
    return this.status === 403 || this.status === 401;
  }
}

/** The login GitHub gives comments written with the workflow's GITHUB_TOKEN. */
export const GITHUB_ACTIONS_BOT_LOGIN = "github-actions[bot]";
