// Reads who is calling and where from a request's SigV4 Authorization header (signatures are not checked).
import type { Scope } from "./distribution-configuration-store.js";

/** The access key and credential scope of a SigV4 `Authorization` header. */
export interface SigV4Credential {
  accessKeyId: string;
  region: string;
  service: string;
}

const credentialPattern = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/** Parses `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-west-2/imagebuilder/aws4_request, ...`. */
export function parseSigV4Credential(authorization: string | undefined): SigV4Credential | undefined {
  if (authorization === undefined || !authorization.startsWith("AWS4-HMAC-SHA256")) return undefined;
  const match = credentialPattern.exec(authorization);
  if (match === null) return undefined;
  return { accessKeyId: match[1] as string, region: match[3] as string, service: match[4] as string };
}

/** The account and region a request acts in: known access keys map to accounts, others to the default. */
export function scopeOfRequest(
  credential: SigV4Credential,
  accounts: Readonly<Record<string, string>>,
  defaultAccountId: string,
): Scope {
  return { accountId: accounts[credential.accessKeyId] ?? defaultAccountId, region: credential.region };
}
