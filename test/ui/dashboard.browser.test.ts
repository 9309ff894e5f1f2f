import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { request } from "node:http";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { systemClock } from "../../src/core/clock.ts";
import { AgentPause } from "../../src/scheduler/agent-pause.ts";
import { BROWSER_HOOK_TIMEOUT_MS, launchChromium } from "../support/browser.ts";
import { HOSTILE } from "../support/ui-seed.ts";
import { startUiWorld, type UiWorld } from "./ui-world.ts";

let world: UiWorld;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const cspViolations: string[] = [];

/** A raw HTTP GET with the headers we choose (fetch would set Host itself). */
function rawGet(port: number, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  world = await startUiWorld();
  browser = await launchChromium();
  context = await browser.newContext();
  page = await context.newPage();
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  await page.goto(world.server.url);
}, BROWSER_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await world?.close();
}, BROWSER_HOOK_TIMEOUT_MS);

describe("access", () => {
  test("the token moves from the URL into an HttpOnly SameSite=Strict cookie", async () => {
    expect(page.url()).toBe(`${world.base}/`);
    const [cookie] = await context.cookies();
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Strict");
  });

  test("a request without the token gets 401, a wrong one too", async () => {
    expect((await fetch(`${world.base}/`)).status).toBe(401);
    expect((await fetch(`${world.base}/queue?token=wrong`)).status).toBe(401);
    expect((await fetch(`${world.base}/assets/live.js`)).status).toBe(401);
  });

  test("a foreign Host header is refused, even with the token", async () => {
    const token = new URL(world.server.url).searchParams.get("token") ?? "";
    const port = world.server.port;
    const foreign = await rawGet(port, `/?token=${token}`, { host: `rebind.example:${port}` });
    expect(foreign.status).toBe(403);
    const own = await rawGet(port, `/?token=${token}`, { host: `localhost:${port}` });
    expect(own.status).toBe(303);
  });

  test("a POST without the page's CSRF token changes nothing", async () => {
    const id = world.items.failed[0] ?? "";
    const cookies = await context.cookies();
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    const response = await fetch(`${world.base}/actions/retry`, {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ id, csrf: "forged" }),
      redirect: "manual",
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(world.storage().queue.get(id)?.state).toBe("failed");
  });
});

describe("pages", () => {
  test("overview: health, counts, charts, a strict CSP and nothing from the network", async () => {
    const response = await page.goto(`${world.base}/`);
    expect(response?.headers()["content-security-policy"]).toContain("default-src 'none'");
    await expect(page.locator("h1").textContent()).resolves.toBe("Overview");
    expect(await page.locator('[data-state="failed"]').textContent()).toBe("2");
    expect(await page.locator("figure.chart svg").count()).toBe(4);
    expect(await page.locator("svg rect.bar").count()).toBeGreaterThan(700);
    const requested: string[] = [];
    page.on("request", (r) => requested.push(r.url()));
    await page.reload();
    expect(requested.every((u) => u.startsWith(world.base))).toBe(true);
    expect(cspViolations).toEqual([]);
  });

  test("queue: filters by state and text, pages", async () => {
    await page.goto(`${world.base}/queue?state=failed`);
    expect(await page.locator("tbody tr").count()).toBe(2);
    await page.goto(`${world.base}/queue`);
    const id = world.items.retry_wait[0] ?? "";
    await page.fill('input[name="q"]', id);
    await page.click('form.filters button[type="submit"]');
    await page.waitForURL(/q=/);
    expect(await page.locator("tbody tr").count()).toBe(1);
    expect(await page.locator("tbody tr").getAttribute("data-id")).toBe(id);
  });

  test("item detail: payload, attempts with their error, runs with pid, exit code and cost", async () => {
    const id = world.items.retry_wait[0] ?? "";
    await page.goto(`${world.base}/items/${id}`);
    expect(await page.locator("pre.payload").textContent()).toContain('"session_name"');
    const attempts = await page.locator("table").nth(0).textContent();
    expect(attempts).toContain("E_AGENT_FAILED");
    const runs = await page.locator("table").nth(1).textContent();
    expect(runs).toContain("$0.0310");
    expect(runs).toContain("12000 / 900");
    // Links to the session's pages only where they exist: this session waits for its summary.
    expect(await page.locator('a[href^="/sessions?q="]').count()).toBe(1);
    expect(await page.locator('a[href$="/session.html"]').count()).toBe(0);
    await page.goto(`${world.base}/items/${world.items.done[0]}`);
    await page.click('a[href$="/session.html"]');
    expect(await page.locator("body").textContent()).toContain("Please look at this page");
  });

  test("sessions: every state, search over titles and summaries, links", async () => {
    await page.goto(`${world.base}/sessions`);
    const states = await page
      .locator("tbody td.s-summarized, tbody td[class^='s-']")
      .allTextContents();
    expect(new Set(states)).toEqual(new Set(["summarized", "held", "discarded", "waiting"]));
    await page.goto(`${world.base}/sessions?q=clock+race`);
    expect(await page.locator("tbody tr").count()).toBe(1);
    await page.click('a[href$="/session.html"]');
    expect(await page.locator("body").textContent()).toContain("Please look at this page");
  });
});

describe("escaping", () => {
  test("a transcript, a title and an error holding <script> render as text", async () => {
    await page.goto(`${world.base}/sessions`);
    const title = page.locator(".title", { hasText: "flaky eviction" });
    expect(await title.textContent()).toBe(`Fix the flaky eviction test ${HOSTILE}`);
    await page.goto(`${world.base}/queue?state=failed`);
    expect(await page.locator("td.error").first().textContent()).toContain(HOSTILE);
    await page.goto(`${world.base}/files/${world.hostileSession}/session.html`);
    expect(await page.locator("body").textContent()).toContain(HOSTILE);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});

describe("actions through the buttons", () => {
  test("retry a failed item: the database has it queued again", async () => {
    const id = world.items.failed[0] ?? "";
    await page.goto(`${world.base}/queue?state=failed`);
    await page.click(`tr[data-id="${id}"] button[data-action="retry"]`);
    await page.waitForURL(/notice=/);
    expect(await page.locator(".notice").textContent()).toBe(`requeued ${id}`);
    expect(world.storage().queue.get(id)?.state).toBe("queued");
  });

  test("cancel a queued item: the database has it cancelled", async () => {
    const id = world.items.queued[0] ?? "";
    await page.goto(`${world.base}/items/${id}`);
    await page.click('button[data-action="cancel"]');
    await page.waitForURL(/notice=/);
    expect(await page.locator(".notice").textContent()).toBe(`cancelled ${id}`);
    expect(world.storage().queue.get(id)?.state).toBe("cancelled");
  });

  test("retry all failed", async () => {
    await page.goto(`${world.base}/`);
    await page.click('button[data-action="retry-failed"]');
    await page.waitForURL(/notice=/);
    expect(world.storage().queue.counts().failed).toBe(0);
  });

  test("resume ends a usage-limit pause", async () => {
    const pause = new AgentPause(world.storage().state, systemClock);
    pause.pauseUntil(systemClock.now() + 3_600_000, "usage limit reached");
    await page.goto(`${world.base}/`);
    expect(await page.locator(".paused").textContent()).toContain("usage limit reached");
    await page.click('button[data-action="resume"]');
    await page.waitForURL(/notice=/);
    expect(await page.locator(".notice").textContent()).toContain("resumed");
    expect(pause.current()).toBeNull();
  });

  test("detect now queues the waiting session", async () => {
    await page.goto(`${world.base}/`);
    await page.click('button[data-action="detect"]');
    await page.waitForURL(/notice=/);
    expect(await page.locator(".notice").textContent()).toMatch(/^queued \d+ session\(s\)$/);
  });
});
