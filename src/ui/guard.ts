import { randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Who may talk to the dashboard: requests for our own Host (DNS rebinding), carrying the random
 * token (in the URL once, then in an HttpOnly SameSite=Strict cookie); state changes also carry
 * the CSRF token of the page they came from and no foreign Origin.
 */
export interface UiSecrets {
  token: string;
  csrf: string;
}

export function newSecrets(): UiSecrets {
  return {
    token: randomBytes(32).toString("base64url"),
    csrf: randomBytes(32).toString("base64url"),
  };
}

export function sameSecret(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Host values this server answers to: its own loopback address and port. */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

/** One cookie per port: two dashboards on one machine do not overwrite each other's. */
export function cookieName(port: number): string {
  return `agentwork_ui_${port}`;
}

export function readCookie(header: string | null, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return null;
}

export function sessionCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** A POST from one of our pages: no foreign Origin or fetch site, and the page's CSRF token. */
export function sameOriginPost(request: Request, hosts: ReadonlySet<string>): boolean {
  const origin = request.headers.get("origin");
  if (origin !== null) {
    const host = origin.replace(/^http:\/\//, "");
    if (!origin.startsWith("http://") || !hosts.has(host)) return false;
  }
  const site = request.headers.get("sec-fetch-site");
  return site === null || site === "same-origin" || site === "none";
}
