import { systemClock } from "../core/clock.ts";
import { migrationStatus } from "../db/migration-status.ts";
import { openStorage } from "../queue/storage.ts";
import { type CheckResult, type DoctorGroup, fail, ok, warn } from "./check.ts";

/** The database opens and its migrations are current; the queue's failed items. */
export const databaseChecks: DoctorGroup = {
  name: "database",
  run(ctx) {
    const path = ctx.settings.paths.db;
    let status: ReturnType<typeof migrationStatus>;
    try {
      status = migrationStatus(path);
    } catch (error) {
      return [
        fail(
          "database.open",
          `cannot open ${path}: ${(error as Error).message}`,
          "move the file aside (the daemon creates a new one) or restore it from a backup",
        ),
      ];
    }
    if (!status.exists) {
      return [
        warn(
          "database.open",
          `no database yet at ${path}`,
          "start the daemon (agentwork daemon, or agentwork service install): it creates it",
        ),
      ];
    }
    if (status.unknown.length > 0) {
      return [
        fail(
          "database.migrations",
          `${path} was written by a newer agentwork (migrations ${status.unknown.join(", ")})`,
          "run the newer agentwork executable, or point --db at another file",
        ),
      ];
    }
    const results: CheckResult[] = [];
    if (status.pending.length > 0) {
      results.push(
        warn(
          "database.migrations",
          `${path} opens; ${status.pending.length} migration(s) pending (${status.pending.join(", ")})`,
          "the next command that writes (agentwork daemon, status) applies them",
        ),
      );
      return results;
    }
    const config = ctx.settings.config;
    ctx.storage = openStorage(path, {
      clock: systemClock,
      ownerPid: process.pid,
      maxQueueDepth: config.maxQueueDepth,
      maxAttempts: config.maxAttempts,
    });
    results.push(ok("database.open", `${path} opens, migrations current`));
    const failed = ctx.storage.queue.counts().failed;
    results.push(
      failed === 0
        ? ok("queue.failed", "no failed items")
        : warn(
            "queue.failed",
            `${failed} failed item(s)`,
            "see why with agentwork queue --state failed; retry them with agentwork retry --failed",
          ),
    );
    return results;
  },
};
