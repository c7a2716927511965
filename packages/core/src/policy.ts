/** Policy: a repository's guardrails on where AMIs may go, checked after the service rules. */
import { z } from "zod";
import { apiPatterns } from "./schema.js";

/**
 * A repository's policy (read from `waybill.config.yaml`). Secure by default: public launch
 * permissions are refused unless `allowPublicLaunchPermission` is true. An allow-list, when
 * given, limits every account, organization or OU a configuration shares with or distributes to.
 */
export const policySchema = z.strictObject({
  allowPublicLaunchPermission: z.boolean().optional(),
  allowedAccounts: z.array(z.string().regex(apiPatterns.AccountId)).optional(),
  allowedOrganizationArns: z.array(z.string().regex(apiPatterns.OrganizationArn)).optional(),
  allowedOrganizationalUnitArns: z.array(z.string().regex(apiPatterns.OrganizationalUnitArn)).optional(),
});
export type Policy = z.infer<typeof policySchema>;

/** No public sharing, no allow-lists. */
export const defaultPolicy: Policy = { allowPublicLaunchPermission: false };
