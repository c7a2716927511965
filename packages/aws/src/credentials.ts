// Its own module so that access.ts and the preflight clients (which access.ts loads on demand) both
// name it without importing each other.
/** Static credentials (the emulator accepts any); without them the SDK's standard chain is used. */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
