/** Policy: a repository's guardrails on where AMIs may go, checked after the service rules. */
import { z } from "zod";
import { apiPatterns } from "./schema.js";

/**
 * A gate on sharing: a plan that widens who may launch or receive the images (a new account,
 * organization, OU or group in a launch permission, or a new account receiving a copy) is applied
 * by the Action only when the merged pull request carries `label`, or has an approving review
 * (`approvingReview: true`); either one given suffices.
 */
export const sharingApprovalSchema = z
  .strictObject({
    label: z.string().min(1).max(50).optional(),
    approvingReview: z.boolean().optional(),
  })
  .refine((rule) => rule.label !== undefined || rule.approvingReview === true, {
    message: "needs a label, approvingReview: true, or both",
  });
export type SharingApproval = z.infer<typeof sharingApprovalSchema>;

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
  /** Applying a plan that widens who may launch the images needs this approval (the Action checks it). */
  sharingApproval: sharingApprovalSchema.optional(),
});
export type Policy = z.infer<typeof policySchema>;

/** No public sharing, no allow-lists. */
export const defaultPolicy: Policy = { allowPublicLaunchPermission: false };
