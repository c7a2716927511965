/** Keeps a comment body within GitHub's 65,536-character limit, cutting on line boundaries. */

/** GitHub answers 422 "Body is too long" above this many characters. */
export const COMMENT_BODY_LIMIT = 65_536;

export interface FittedCommentBody {
  body: string;
  truncated: boolean;
}

const FENCE = /^\s*(`{3,}|~{3,})/;

/**
 * Returns the body unchanged when it fits; otherwise keeps whole lines from the start (so the
 * hidden marker on the first line survives), closes a code fence or `<details>` left open by the
 * cut, and says what was left out and where to find the rest.
 */
export function fitCommentBody(body: string, notice: string, limit = COMMENT_BODY_LIMIT): FittedCommentBody {
  if (body.length <= limit) return { body, truncated: false };
  const lines = body.split("\n");
  // Room for the closing lines and the notice, with slack for the omitted-count digits.
  const reserve = notice.length + 200;
  const kept: string[] = [];
  let length = 0;
  let openFence: string | undefined;
  let openDetails = 0;
  for (const line of lines) {
    const added = line.length + 1;
    if (length + added > limit - reserve) break;
    kept.push(line);
    length += added;
    const fence = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (openFence === undefined) openFence = fence;
      else if (fence[0] === openFence[0] && fence.length >= openFence.length) openFence = undefined;
    } else if (openFence === undefined) {
      openDetails += (line.match(/<details\b/g) ?? []).length;
      openDetails -= (line.match(/<\/details>/g) ?? []).length;
    }
  }
  // A single line longer than the limit: cut inside it rather than post nothing.
  if (kept.length === 0) kept.push((lines[0] ?? "").slice(0, Math.max(0, limit - reserve)));
  const closing: string[] = [];
  if (openFence !== undefined) closing.push(openFence);
  for (let i = 0; i < openDetails; i++) closing.push("</details>");
  const omitted = body.length - kept.join("\n").length;
  const tail = `> **Truncated:** ${omitted.toLocaleString("en-US")} characters left out. ${notice}`;
  const fitted = [...kept, ...closing, "", tail].join("\n");
  return { body: fitted.length <= limit ? fitted : fitted.slice(0, limit), truncated: true };
}
