/** @waybill/core: the pure domain model of Waybill. No I/O, no AWS SDK. */
export * from "./schema.js";
