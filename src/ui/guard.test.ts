import { describe, expect, test } from "bun:test";
import {
  allowedHosts,
  newSecrets,
  readCookie,
  sameOriginPost,
  sameSecret,
  sessionCookie,
} from "./guard.ts";

const post = (headers: Record<string, string>) =>
  new Request("http://127.0.0.1:4000/actions/retry", { method: "POST", headers });

describe("guard", () => {
  test("secrets are random, 256-bit, URL-safe, and compared exactly", () => {
    const a = newSecrets();
    const b = newSecrets();
    expect(a.token).not.toBe(b.token);
    expect(a.token).toMatch(/^[\w-]{43}$/);
    expect(a.csrf).not.toBe(a.token);
    expect(sameSecret(a.token, a.token)).toBe(true);
    expect(sameSecret(`${a.token}x`, a.token)).toBe(false);
    expect(sameSecret(null, a.token)).toBe(false);
    expect(sameSecret("", a.token)).toBe(false);
  });

  test("only our own loopback Host with our port", () => {
    const hosts = allowedHosts(4000);
    expect(hosts.has("127.0.0.1:4000")).toBe(true);
    expect(hosts.has("localhost:4000")).toBe(true);
    expect(hosts.has("127.0.0.1:4001")).toBe(false);
    expect(hosts.has("rebind.example:4000")).toBe(false);
  });

  test("the cookie is HttpOnly, SameSite=Strict and read back by name", () => {
    const cookie = sessionCookie(4000, "tok");
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(readCookie("a=1; agentwork_ui_4000=tok; b=2", "agentwork_ui_4000")).toBe("tok");
    expect(readCookie("agentwork_ui_4001=tok", "agentwork_ui_4000")).toBeNull();
  });

  test("a POST with a foreign Origin or from another site is refused", () => {
    const hosts = allowedHosts(4000);
    expect(sameOriginPost(post({ origin: "http://127.0.0.1:4000" }), hosts)).toBe(true);
    expect(sameOriginPost(post({}), hosts)).toBe(true);
    expect(sameOriginPost(post({ origin: "http://evil.example" }), hosts)).toBe(false);
    expect(sameOriginPost(post({ origin: "null" }), hosts)).toBe(false);
    expect(sameOriginPost(post({ "sec-fetch-site": "cross-site" }), hosts)).toBe(false);
  });
});
