import { describe, expect, test } from "vitest";
import { parseSigV4Credential, scopeOfRequest } from "./request-scope.js";

describe("parseSigV4Credential", () => {
  test("reads the access key, region and service from the credential scope", () => {
    const credential = parseSigV4Credential(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-1/imagebuilder/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc",
    );
    expect(credential).toEqual({ accessKeyId: "AKIDEXAMPLE", region: "eu-west-1", service: "imagebuilder" });
  });

  test("anything else is no credential", () => {
    expect(parseSigV4Credential(undefined)).toBeUndefined();
    expect(parseSigV4Credential("Basic dXNlcjpwYXNz")).toBeUndefined();
    expect(parseSigV4Credential("AWS4-HMAC-SHA256 Credential=AKID/2026/us-west-2")).toBeUndefined();
  });
});

describe("scopeOfRequest", () => {
  test("maps known access keys to their account and others to the default", () => {
    const credential = { accessKeyId: "AKIDTEAM", region: "us-east-1", service: "imagebuilder" };
    expect(scopeOfRequest(credential, { AKIDTEAM: "111111111111" }, "123456789012")).toEqual({
      accountId: "111111111111",
      region: "us-east-1",
    });
    expect(
      scopeOfRequest({ ...credential, accessKeyId: "OTHER" }, { AKIDTEAM: "111111111111" }, "123456789012"),
    ).toEqual({
      accountId: "123456789012",
      region: "us-east-1",
    });
  });
});
