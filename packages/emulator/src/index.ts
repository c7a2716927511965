/** @waybill/emulator: a local EC2 Image Builder over real HTTP, for tests, demos and benchmarks. */
export type { OperationName } from "./api-model.js";
export type { Emulator, EmulatorOptions, EmulatorSnapshot } from "./emulator.js";
export { DEFAULT_ACCOUNT_ID, DEFAULT_BUILD_MS, EmulatorStateError, startEmulator } from "./emulator.js";
export type { FaultSettings, ThrottleScope } from "./faults.js";
export type { StoredAmi, StoredImage, StoredImagePipeline } from "./image-pipeline-store.js";
export type { StoredDistributionConfiguration } from "./stored-configuration.js";
