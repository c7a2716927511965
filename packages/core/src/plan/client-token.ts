import { canonicalJson } from "./canonical-json.js";
import { sha256Hex } from "./sha256.js";

/**
 * The idempotency token of a request: SHA-256 (hex, 64 characters: the model's maximum) of the
 * action, the target (the ARN for updates; home region and ARN name for creates), the request
 * body in canonical JSON and the plan's id (`plan.id`). The same request of the same plan always
 * gets the same token, so the service answers a retried or repeated request with the first result
 * instead of acting again. Another plan (after a rename and its revert, a prune and a restore, a
 * hand edit, even from the same live state) has another id, so its requests are never mistaken
 * for earlier ones.
 */
export function clientTokenFor(
  action: "create" | "update",
  target: string,
  request: unknown,
  planId: string,
): string {
  return sha256Hex(canonicalJson([action, target, request, planId]));
}
