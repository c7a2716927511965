/**
 * Importers: configurations another tool manages, brought over as Waybill documents. Each is a
 * pure function, source text in, documents and located diagnostics out; the CLI reads the files.
 */
export { type AlchemyImportOptions, importAlchemy } from "./alchemy.js";
export { type CloudFormationImportOptions, importCloudFormation } from "./cloudformation.js";
export type { ImportedConfiguration, ImportResult, ImportSource, SourceLocation } from "./imported.js";
export { importTerraform, type TerraformImportOptions } from "./terraform.js";
