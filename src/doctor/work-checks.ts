import { existsSync } from "node:fs";
import { systemClock } from "../core/clock.ts";
import { silentLogger } from "../core/logger.ts";
import { ledgerReport } from "../handlers/session-finalize/ledger-report.ts";
import { AgentPause } from "../scheduler/agent-pause.ts";
import { PendingPublish, pendingTotals } from "../scheduler/pending-publish.ts";
import { type CheckResult, type DoctorGroup, ok, warn } from "./check.ts";

/**
 * What waits, and why: a usage-limit pause, finalized sessions whose commit or push waits (and
 * the git state that stops commits), held sessions. None of these fail the doctor: agentwork goes
 * on by itself once the cause is gone, and each line says what to do meanwhile.
 */
export const workChecks: DoctorGroup = {
  name: "work",
  async run(ctx) {
    const results: CheckResult[] = [];
    const storage = ctx.storage;
    if (storage !== null) {
      const pause = new AgentPause(storage.state, systemClock).current();
      results.push(
        pause === null
          ? ok("work.pause", "agent work is not paused")
          : warn(
              "work.pause",
              `agent work is paused until ${new Date(pause.until).toISOString()}: ${pause.reason}`,
              "wait for the reset, or `agentwork resume` to try again now",
            ),
      );
      const waiting = pendingTotals(
        new PendingPublish(storage.state, systemClock, silentLogger()).current(),
      );
      results.push(
        waiting.commit.length === 0 && waiting.push === 0
          ? ok("work.publish", "nothing waits to be committed or pushed")
          : warn(
              "work.publish",
              `${waiting.commit.length} session(s) wait to be committed, ${waiting.push} commit(s) to be pushed${waiting.error ? `: ${waiting.error}` : ""}`,
              "fix what the message names; the next pass commits and pushes without the agent",
            ),
      );
    }
    const ledger = ctx.settings.paths.ledger;
    if (ledger !== null && existsSync(ledger)) {
      const config = ctx.settings.config;
      const report = await ledgerReport(ledger, {
        scanDirs: config.scanDirs,
        publishing: config.publishing,
        gitEnv: ctx.settings.env.base,
      });
      if (report.git_problem) {
        results.push(
          warn("work.git_state", `commits wait: ${report.git_problem}`, "see the message"),
        );
      }
      results.push(
        report.held_sessions === 0
          ? ok("work.held", "no held sessions")
          : warn(
              "work.held",
              `${report.held_sessions} session(s) held on this machine`,
              "`agentwork publish <name>` or `--all` releases them",
            ),
      );
    }
    return results;
  },
};
