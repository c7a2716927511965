// Builds AWS SDK clients pointed at an emulator, with static credentials (tests only).
import { ImagebuilderClient } from "@aws-sdk/client-imagebuilder";
import type { Emulator } from "../emulator.js";

export interface TestClientOptions {
  region?: string;
  accessKeyId?: string;
  /** SDK attempts per call; 1 makes throttling and server errors reach the caller. */
  maxAttempts?: number;
}

export function sdkClient(
  emulator: Pick<Emulator, "url">,
  options: TestClientOptions = {},
): ImagebuilderClient {
  return new ImagebuilderClient({
    endpoint: emulator.url,
    region: options.region ?? "us-west-2",
    credentials: { accessKeyId: options.accessKeyId ?? "AKIDEXAMPLE", secretAccessKey: "secret" },
    maxAttempts: options.maxAttempts ?? 3,
  });
}

/** The error a call rejects with, so a test can read its name, status and message. */
export async function rejection(promise: Promise<unknown>): Promise<{
  name: string;
  message: string;
  $metadata?: { httpStatusCode?: number };
}> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
  }
  throw new Error("expected the call to fail, but it succeeded");
}
