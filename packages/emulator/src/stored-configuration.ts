// Its own module: both stores name it (pipelines refer to configurations), so neither imports the other for it.
import type { Distribution } from "./distribution-rules.js";

/** A distribution configuration as the emulator keeps it. */
export interface StoredDistributionConfiguration {
  arn: string;
  name: string;
  description?: string;
  distributions: Distribution[];
  tags: Record<string, string>;
  timeoutMinutes: number;
  dateCreated: string;
  dateUpdated?: string;
}
