// S3 export: the bucket an image is exported to and the VM import role that writes it exist (in the source account).
import { accessFinding, finding } from "./findings.js";
import {
  type FactRequest,
  type Facts,
  factKey,
  type PreflightContext,
  type PreflightFinding,
} from "./preflight-model.js";

export function s3ExportRequests(context: PreflightContext): FactRequest[] {
  return context.configurations.flatMap((configuration) =>
    configuration.distributions.flatMap((distribution): FactRequest[] => {
      const exportTo = distribution.s3ExportConfiguration;
      if (!exportTo) return [];
      return [
        { kind: "bucket", bucket: exportTo.s3Bucket },
        { kind: "role", account: "source", roleName: exportTo.roleName },
      ];
    }),
  );
}

export function evaluateS3Export(context: PreflightContext, facts: Facts): PreflightFinding[] {
  const findings: PreflightFinding[] = [];
  for (const configuration of context.configurations) {
    configuration.distributions.forEach((distribution, index) => {
      const exportTo = distribution.s3ExportConfiguration;
      if (!exportTo) return;
      const base = ["distributions", index, "s3ExportConfiguration"];
      const bucketAt = [...base, "s3Bucket"];
      const bucket = facts.get(factKey({ kind: "bucket", bucket: exportTo.s3Bucket }));
      const bucketAccess = accessFinding(configuration, bucketAt, bucket, `bucket ${exportTo.s3Bucket}`);
      if (bucketAccess) findings.push(bucketAccess);
      else if (bucket?.status === "missing") {
        findings.push(
          finding(configuration, bucketAt, {
            check: "s3-export",
            code: "export-bucket-missing",
            message: `export bucket ${exportTo.s3Bucket} does not exist (or is not visible to the source account)`,
            hint: "create the bucket, or correct s3Bucket",
            evidence: bucket.evidence,
          }),
        );
      }
      const roleAt = [...base, "roleName"];
      const role = facts.get(factKey({ kind: "role", account: "source", roleName: exportTo.roleName }));
      const roleAccess = accessFinding(configuration, roleAt, role, `role ${exportTo.roleName}`);
      if (roleAccess) findings.push(roleAccess);
      else if (role?.status === "missing") {
        findings.push(
          finding(configuration, roleAt, {
            check: "s3-export",
            code: "vm-import-role-missing",
            message: `VM import role ${exportTo.roleName} does not exist in the source account`,
            hint: "create the role (the VM Import/Export service role, usually vmimport) or correct roleName",
            evidence: role.evidence,
          }),
        );
      }
    });
  }
  return findings;
}
