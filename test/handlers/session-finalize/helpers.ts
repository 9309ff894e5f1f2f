import { silentLogger } from "../../../src/core/logger.ts";
import type { NewWorkItem, WorkItem } from "../../../src/core/work-item.ts";
import {
  SessionFinalizeHandler,
  type SessionFinalizeOptions,
} from "../../../src/handlers/session-finalize/handler.ts";
import type { SessionFinalizePayload } from "../../../src/handlers/session-finalize/types.ts";
import type { RunResult } from "../../../src/runners/runner.ts";
import { FakeClock } from "../../support/clock.ts";

export const HOUR = 60 * 60 * 1000;

export function makeHandler(ledgerPath: string, overrides: Partial<SessionFinalizeOptions> = {}) {
  const clock = new FakeClock();
  const handler = new SessionFinalizeHandler({
    ledgerPath,
    scanDirs: [],
    qualityUploadThreshold: 0.3,
    qualityDiscardThreshold: 0.1,
    gitPush: true,
    clock,
    logger: silentLogger(),
    pushRetryDelayMs: 0,
    ...overrides,
  });
  return { handler, clock };
}

let seq = 0;
export function asWorkItem(
  item: NewWorkItem<SessionFinalizePayload>,
): WorkItem<SessionFinalizePayload> {
  seq++;
  return {
    id: `item-${seq}`,
    type: item.type,
    priority: item.priority ?? 10,
    dedupKey: item.dedupKey ?? null,
    payload: item.payload,
    state: "running",
    attempts: 1,
    maxAttempts: 3,
    lastError: null,
    runAfter: 0,
    leaseOwnerPid: null,
    leaseExpiresAt: null,
    createdAt: 0,
    updatedAt: 0,
    finishedAt: null,
  };
}

export function result(output: string): RunResult {
  return {
    output,
    exitCode: 0,
    durationMs: 10,
    tokensIn: 1,
    tokensOut: 1,
    costUsd: null,
    sessionId: null,
    numTurns: 1,
    pid: null,
  };
}

export function summaryOutput(score: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    title: "Fix flaky cache TTL test",
    summary: "Root-caused a flaky TTL test to wall-clock time and injected a clock.",
    key_actions: ["Switched TTL to injected clock"],
    outcome: "success",
    topics_found: ["testing"],
    quality_score: score,
    score_reason: "Root-caused a flaky test",
    ...extra,
  });
}
