export type { OperationName } from "./api-model.js";
export { operationNames } from "./api-model.js";
export { emulatorUsage, parseEmulatorArguments, UsageError } from "./cli-arguments.js";
export type {
  Scope,
  StoredDistributionConfiguration,
  StoreState,
} from "./distribution-configuration-store.js";
export {
  DistributionConfigurationStore,
  distributionConfigurationArn,
} from "./distribution-configuration-store.js";
export type { Emulator, EmulatorOptions, EmulatorSnapshot } from "./emulator.js";
export { DEFAULT_ACCOUNT_ID, EmulatorStateError, startEmulator } from "./emulator.js";
export type { FaultSettings } from "./faults.js";
export type { ServiceError } from "./service-error.js";
