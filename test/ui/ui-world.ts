import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { loadSettings, type Settings } from "../../src/config/load.ts";
import { systemClock } from "../../src/core/clock.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { realTimers } from "../../src/core/timers.ts";
import { openStorage, type Storage } from "../../src/queue/storage.ts";
import { createOperationsAdapter } from "../../src/ui/operations-adapter.ts";
import { startUiServer, type UiServer } from "../../src/ui/server.ts";
import { tempDir } from "../support/tmp.ts";
import { type SeededWorld, seedWorld } from "../support/ui-seed.ts";

export interface UiWorld extends SeededWorld {
  settings: Settings;
  server: UiServer;
  /** The URL without the token. */
  base: string;
  /** A fresh handle on the same database, to check what the buttons changed. */
  storage(): Storage;
  close(): Promise<void>;
}

/** A seeded ledger and database, and the dashboard serving them in this process (no daemon). */
export async function startUiWorld(options: { extraItems?: number; runs?: number } = {}) {
  const dir = tempDir("agentwork-ui-");
  const home = join(dir, "home");
  mkdirSync(home);
  const world = await seedWorld(dir, options);
  const settings = loadSettings({
    env: { HOME: home, PATH: process.env.PATH ?? "/usr/bin:/bin" },
    flags: { db: world.db, ledger: world.ledger, config: world.config },
  });
  const ops = createOperationsAdapter(settings, silentLogger());
  const server = startUiServer({ ops, port: 0, clock: systemClock, timers: realTimers });
  const opened: Storage[] = [];
  return {
    ...world,
    settings,
    server,
    base: `http://127.0.0.1:${server.port}`,
    storage: () => {
      const s = openStorage(world.db, { clock: systemClock, ownerPid: process.pid });
      opened.push(s);
      return s;
    },
    close: async () => {
      await server.stop();
      ops.close();
      for (const s of opened) s.close();
    },
  } satisfies UiWorld;
}
