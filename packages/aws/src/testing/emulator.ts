// Test helper: an emulator over real HTTP and an AwsAccess pointed at it with fake static credentials.
import { type Emulator, type EmulatorOptions, startEmulator } from "@waybill/emulator";
import { type AwsAccess, type AwsAccessOptions, createAwsAccess } from "../access.js";

/** Fake credentials: the emulator reads the account from the access key, never checks signatures. */
export const emulatorCredentials = { accessKeyId: "AKIAWAYBILLTEST00001", secretAccessKey: "not-a-secret" };

export interface EmulatorFixture {
  emulator: Emulator;
  aws: AwsAccess;
  /** A fresh AwsAccess (own counts and retry state) against the same emulator. */
  newAccess(options?: Pick<AwsAccessOptions, "maxAttempts" | "rateLimiter">): AwsAccess;
}

export async function startEmulatorFixture(options: EmulatorOptions = {}): Promise<EmulatorFixture> {
  const emulator = await startEmulator(options);
  const newAccess = (access: Pick<AwsAccessOptions, "maxAttempts" | "rateLimiter"> = {}) =>
    createAwsAccess({ endpointUrl: emulator.url, credentials: emulatorCredentials, ...access });
  return { emulator, aws: newAccess(), newAccess };
}
