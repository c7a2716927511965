import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { clientTokenFor } from "./client-token.js";

describe("clientTokenFor", () => {
  test("is 64 hex characters, the same for the same request and plan and different for another", () => {
    const body = { name: "web", distributions: [{ region: "us-west-2" }], description: "d" };
    const token = clientTokenFor("create", "us-west-2/web", body, "plan-a");
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(
      clientTokenFor(
        "create",
        "us-west-2/web",
        { description: "d", distributions: [{ region: "us-west-2" }], name: "web" },
        "plan-a",
      ),
    ).toBe(token);
    expect(clientTokenFor("create", "us-west-2/web", { ...body, description: "e" }, "plan-a")).not.toBe(
      token,
    );
    expect(clientTokenFor("create", "us-west-2/api", body, "plan-a")).not.toBe(token);
    expect(clientTokenFor("create", "us-west-2/web", body, "plan-b")).not.toBe(token);
    expect(clientTokenFor("update", "us-west-2/web", body, "plan-a")).not.toBe(token);
  });

  test("the token of earlier releases: SHA-256 of the sorted-key JSON, undefined members left out", () => {
    const body = { name: "web", description: undefined, distributions: [{ region: "us-west-2" }] };
    const earlier = createHash("sha256")
      .update('["create","us-west-2/web",{"distributions":[{"region":"us-west-2"}],"name":"web"},"plan-a"]')
      .digest("hex");
    expect(clientTokenFor("create", "us-west-2/web", body, "plan-a")).toBe(earlier);
  });
});
