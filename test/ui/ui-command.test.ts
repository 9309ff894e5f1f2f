import { expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../support/tmp.ts";
import { seedWorld } from "../support/ui-seed.ts";
import { firstLine } from "./first-line.ts";

const REPO = join(import.meta.dir, "../..");
const BUN = join(REPO, "node_modules/.bin/bun");

async function world() {
  const dir = tempDir("agentwork-ui-cli-");
  const seeded = await seedWorld(dir, { runs: 10 });
  const home = join(dir, "home");
  mkdirSync(home);
  const flags = ["--db", seeded.db, "--ledger", seeded.ledger, "--config", seeded.config];
  return { flags, env: { HOME: home, PATH: "/usr/bin:/bin" } };
}

test("agentwork ui prints a loopback URL with a token, serves it, and stops on SIGTERM", async () => {
  const { flags, env } = await world();
  const proc = Bun.spawn([BUN, join(REPO, "src/main.ts"), "ui", ...flags], {
    env,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const url = (await firstLine(proc.stdout)).replace(/^agentwork ui: /, "");
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
  const first = await fetch(url, { redirect: "manual" });
  expect(first.status).toBe(303);
  const cookie = (first.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const overview = await fetch(new URL("/", url), { headers: { cookie } });
  expect(overview.status).toBe(200);
  expect(await overview.text()).toContain("<h1>Overview</h1>");
  expect((await fetch(new URL("/", url))).status).toBe(401);
  proc.kill("SIGTERM");
  expect(await proc.exited).toBe(0);
});

test("a bad --port is a usage error", async () => {
  const { flags, env } = await world();
  const run = Bun.spawnSync([BUN, join(REPO, "src/main.ts"), "ui", "--port", "70000", ...flags], {
    env,
  });
  expect(run.exitCode).toBe(2);
  expect(run.stderr.toString()).toContain("--port takes a port number");
});
