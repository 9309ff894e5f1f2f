import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import type { Browser, Page } from "playwright-core";
import { systemClock } from "../../src/core/clock.ts";
import { openStorage, type Storage } from "../../src/queue/storage.ts";
import { BROWSER_HOOK_TIMEOUT_MS, launchChromium } from "../support/browser.ts";
import { tempDir } from "../support/tmp.ts";
import { type SeededWorld, seedWorld } from "../support/ui-seed.ts";
import { firstLine } from "./first-line.ts";

const REPO = join(import.meta.dir, "../..");
const BUN = join(REPO, "node_modules/.bin/bun");

let world: SeededWorld;
let env: Record<string, string>;
let daemon: Subprocess<"ignore", "pipe", "pipe">;
let url: string;
let browser: Browser;
let page: Page;
let storage: Storage;

function cli(args: string[]) {
  const globals = ["--db", world.db, "--ledger", world.ledger, "--config", world.config];
  return Bun.spawnSync([BUN, join(REPO, "src/main.ts"), ...args, ...globals], { env });
}

beforeAll(async () => {
  const dir = tempDir("agentwork-ui-daemon-");
  world = await seedWorld(dir);
  const home = join(dir, "home");
  mkdirSync(home);
  // No agent CLI on PATH: the daemon runs, summaries wait, the queue stays as seeded.
  env = { HOME: home, PATH: "/usr/bin:/bin" };
  daemon = Bun.spawn(
    [
      BUN,
      join(REPO, "src/main.ts"),
      "daemon",
      "--ui",
      "--db",
      world.db,
      "--ledger",
      world.ledger,
      "--config",
      world.config,
    ],
    { env, stdin: "ignore", stdout: "pipe", stderr: "pipe" },
  );
  const line = await firstLine(daemon.stdout);
  url = line.replace(/^agentwork ui: /, "");
  storage = openStorage(world.db, { clock: systemClock, ownerPid: process.pid });
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(url);
}, BROWSER_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  storage?.close();
  daemon?.kill("SIGTERM");
  await daemon?.exited;
}, BROWSER_HOOK_TIMEOUT_MS);

test("daemon --ui serves the dashboard, which sees the running daemon", async () => {
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
  expect(await page.locator("dl.health").textContent()).toContain(`running (pid ${daemon.pid})`);
  await page.locator("#live", { hasText: /^live$/ }).waitFor();
});

test("cancel goes through the daemon: the database has the item cancelled", async () => {
  const id = world.items.queued[1] ?? "";
  const base = new URL(url).origin;
  await page.goto(`${base}/items/${id}`);
  await page.click('button[data-action="cancel"]');
  await page.waitForURL(/notice=/);
  expect(await page.locator(".notice").textContent()).toBe(`cancelled ${id}`);
  expect(storage.queue.get(id)?.state).toBe("cancelled");
});

test("a change made elsewhere reaches an open page through server-sent events", async () => {
  const base = new URL(url).origin;
  await page.goto(`${base}/`);
  await page.locator("#live", { hasText: /^live$/ }).waitFor();
  expect(await page.locator('[data-state="failed"]').textContent()).toBe("2");
  const retried = cli(["retry", world.items.failed[0] ?? ""]);
  expect(retried.exitCode).toBe(0);
  await page.locator('[data-state="failed"]', { hasText: /^1$/ }).waitFor();
  expect(page.url()).toBe(`${base}/`);
});

test("a hidden tab closes its event stream", async () => {
  // What the browser does when the tab goes to the background.
  await page.evaluate(`Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    document.dispatchEvent(new Event("visibilitychange"));`);
  expect(await page.locator("#live").textContent()).toBe("paused (tab hidden)");
});
