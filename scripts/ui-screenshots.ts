/**
 * Screenshots of the dashboard's pages for docs/ (the README shows the overview): a seeded world
 * served in this process, Debian's chromium through playwright-core. `bun scripts/ui-screenshots.ts`
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSettings } from "../src/config/load.ts";
import { systemClock } from "../src/core/clock.ts";
import { silentLogger } from "../src/core/logger.ts";
import { realTimers } from "../src/core/timers.ts";
import { createOperationsAdapter } from "../src/ui/operations-adapter.ts";
import { startUiServer } from "../src/ui/server.ts";
import { launchChromium } from "../test/support/browser.ts";
import { seedWorld } from "../test/support/ui-seed.ts";

const DOCS = join(import.meta.dir, "../docs");
const dir = mkdtempSync(join(tmpdir(), "agentwork-shots-"));
const home = join(dir, "home");
mkdirSync(home);
const world = await seedWorld(dir, { extraItems: 60, runs: 3000 });
const settings = loadSettings({
  env: { HOME: home, PATH: "/usr/bin:/bin" },
  flags: { db: world.db, ledger: world.ledger, config: world.config },
});
const ops = createOperationsAdapter(settings, silentLogger());
const server = startUiServer({ ops, port: 0, clock: systemClock, timers: realTimers });
const base = `http://127.0.0.1:${server.port}`;
const browser = await launchChromium();
try {
  const page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    colorScheme: "light",
  });
  await page.goto(server.url);
  const shots: [string, string][] = [
    ["ui-overview.png", "/"],
    ["ui-queue.png", "/queue"],
    ["ui-item.png", `/items/${world.items.retry_wait[0]}`],
    ["ui-sessions.png", "/sessions"],
  ];
  for (const [file, path] of shots) {
    await page.goto(`${base}${path}`);
    await page.screenshot({ path: join(DOCS, file), fullPage: path !== "/queue" });
    process.stdout.write(`docs/${file}\n`);
  }
} finally {
  await browser.close();
  await server.stop();
  ops.close();
  rmSync(dir, { recursive: true, force: true });
}
