import { describe, expect, test } from "bun:test";
import { safeBack, withNotice } from "./actions.ts";
import { html, query, SafeHtml } from "./html.ts";

describe("html", () => {
  test("escapes every interpolated string, in content and attributes", () => {
    const name = `<script>alert("x")</script>' onload='y`;
    const out = html`<a title="${name}">${name}</a>`.value;
    expect(out).not.toContain("<script>");
    expect(out).not.toContain(`"x"`);
    expect(out).toContain("&lt;script&gt;");
    expect(out).toContain("&#x27; onload=&#x27;y");
  });

  test("nests SafeHtml and arrays without escaping twice; drops null, undefined and false", () => {
    const items = ["<b>", "c&d"].map((s) => html`<li>${s}</li>`);
    expect(html`<ul>${items}${null}${undefined}${false}</ul>`.value).toBe(
      "<ul><li>&lt;b&gt;</li><li>c&amp;d</li></ul>",
    );
    expect(html`${new SafeHtml("<i>")}${0}`.value).toBe("<i>0");
  });

  test("query strings skip empty values and encode the rest", () => {
    expect(query({ state: "failed", q: "a b&c", type: "", offset: undefined })).toBe(
      "?state=failed&q=a+b%26c",
    );
    expect(query({ q: null })).toBe("");
  });
});

describe("where an action returns", () => {
  test("only to a path of ours", () => {
    expect(safeBack("/queue?state=failed")).toBe("/queue?state=failed");
    for (const evil of [
      "//evil.example/",
      "https://evil.example/",
      "/\\evil.example",
      "javascript:x",
    ]) {
      expect(safeBack(evil)).toBe("/");
    }
  });

  test("with the notice in the query, the page's own filters kept", () => {
    expect(withNotice("/queue?state=failed", "requeued <x>")).toBe(
      "/queue?state=failed&notice=requeued+%3Cx%3E",
    );
  });
});
