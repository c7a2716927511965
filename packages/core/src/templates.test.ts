import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  checkAmiName,
  formatBuildDate,
  longestBuildDate,
  parseNameTemplate,
  renderAmiName,
  renderLongestAmiName,
  usesVariable,
} from "./templates.js";

const date = new Date("2026-11-23T10:15:30.123Z");
const dates = fc.date({
  min: new Date("1970-01-01T00:00:00Z"),
  max: new Date("9999-12-31T23:59:59Z"),
  noInvalidDate: true,
});
const versions = fc.integer({ min: 1, max: 999_999 });
const spaces = fc.stringMatching(/^[ \t]{0,3}$/);
const literal = fc.stringMatching(/^[A-Za-z0-9 ._-]{0,20}$/);
const variables = fc.constantFrom("buildDate", "buildVersion");

/** Templates made of literal text and known variables, with random spaces inside the braces. */
const templates = fc
  .array(
    fc.oneof(
      literal.map((text) => ({ text })),
      fc.record({ variable: variables, before: spaces, after: spaces }),
    ),
    { maxLength: 6 },
  )
  .map((parts) => ({
    source: parts
      .map((p) => ("text" in p ? p.text : `{{${p.before}imagebuilder:${p.variable}${p.after}}}`))
      .join(""),
    expected: (buildDate: string, buildVersion: number) =>
      parts
        .map((p) => ("text" in p ? p.text : p.variable === "buildDate" ? buildDate : String(buildVersion)))
        .join(""),
  }));

describe("name templates", () => {
  test("renders the documented examples", () => {
    expect(renderAmiName("web-base {{imagebuilder:buildDate}}", { buildDate: date, buildVersion: 3 })).toBe(
      "web-base 2026-11-23T10-15-30.123Z",
    );
    expect(
      renderAmiName("My {{ imagebuilder:buildVersion }} image {{imagebuilder:buildDate}}", {
        buildDate: "2023-05-17T21-17-23.099935Z",
        buildVersion: 12,
      }),
    ).toBe("My 12 image 2023-05-17T21-17-23.099935Z");
  });

  test("formatBuildDate is ISO-8601 UTC with ':' replaced by '-'", () => {
    expect(formatBuildDate(date)).toBe("2026-11-23T10-15-30.123Z");
  });

  test("unknown variables and stray braces are problems and render verbatim", () => {
    const template = parseNameTemplate("a {{imagebuilder:buildNumber}} {{imagebuilder:buildDate}} }");
    expect(template.problems.map((p) => [p.kind, p.source, p.offset])).toEqual([
      ["unknown-variable", "{{imagebuilder:buildNumber}}", 2],
      ["malformed", "}", 58],
    ]);
    expect(renderAmiName(template, { buildDate: "D", buildVersion: 1 })).toBe(
      "a {{imagebuilder:buildNumber}} D }",
    );
    expect(usesVariable(template, "buildDate")).toBe(true);
    expect(usesVariable(template, "buildVersion")).toBe(false);
  });

  test("an unclosed variable is malformed", () => {
    expect(parseNameTemplate("a {{imagebuilder:buildDate").problems.map((p) => p.kind)).toEqual([
      "malformed",
      "malformed",
    ]);
  });

  test("checkAmiName applies EC2's rules", () => {
    expect(checkAmiName("web (base) [1] ./-'@_")).toEqual([]);
    expect(checkAmiName("ab").map((p) => p.kind)).toEqual(["too-short"]);
    expect(checkAmiName("a".repeat(128))).toEqual([]);
    expect(checkAmiName("a".repeat(129)).map((p) => p.kind)).toEqual(["too-long"]);
    expect(checkAmiName("web:base{x}")).toMatchObject([
      { kind: "invalid-characters", characters: [":", "{", "}"] },
    ]);
  });

  test("the longest build date is the microsecond form", () => {
    expect(longestBuildDate).toHaveLength("2023-05-17T21-17-23.099935Z".length);
  });
});

describe("name template properties", () => {
  test("rendering replaces each variable, whatever the spaces inside the braces", () => {
    fc.assert(
      fc.property(templates, dates, versions, (template, buildDate, buildVersion) => {
        const rendered = renderAmiName(template.source, { buildDate, buildVersion });
        expect(rendered).toBe(template.expected(formatBuildDate(buildDate), buildVersion));
        expect(parseNameTemplate(template.source).problems).toEqual([]);
      }),
    );
  });

  test("parsing loses nothing: the parts spell the template", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (source) => {
        const parts = parseNameTemplate(source).parts;
        expect(parts.map((p) => (p.kind === "text" ? p.text : p.source)).join("")).toBe(source);
      }),
    );
  });

  test("a rendered name is never longer than the longest-form rendering used for checks", () => {
    fc.assert(
      fc.property(templates, dates, versions, (template, buildDate, buildVersion) => {
        const rendered = renderAmiName(template.source, { buildDate, buildVersion });
        expect(rendered.length).toBeLessThanOrEqual(renderLongestAmiName(template.source).length);
      }),
    );
  });

  test("build dates render with the characters EC2 allows and read back as the same instant", () => {
    fc.assert(
      fc.property(dates, (buildDate) => {
        const rendered = formatBuildDate(buildDate);
        expect(checkAmiName(rendered)).toEqual([]);
        const [day, time] = rendered.split("T");
        expect(new Date(`${day}T${time?.replaceAll("-", ":")}`).getTime()).toBe(buildDate.getTime());
      }),
    );
  });
});

describe("renderAmiName of a template's text", () => {
  test("renders as its parsed template does", () => {
    const fragments = fc.constantFrom(
      "web ",
      "{{imagebuilder:buildDate}}",
      "{{ imagebuilder:buildVersion }}",
      "{{imagebuilder:builddate}}",
      "{{imagebuilder:}}",
      "{{",
      "}}",
      "{",
      "}",
      " ",
      "x",
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(fragments, fc.string({ maxLength: 3 })), { maxLength: 10 }), (parts) => {
        const text = parts.join("");
        const values = { buildDate: "2026-11-23T10-15-30.123Z", buildVersion: 7 };
        expect(renderAmiName(text, values)).toBe(renderAmiName(parseNameTemplate(text), values));
      }),
      { numRuns: 500 },
    );
  });
});
