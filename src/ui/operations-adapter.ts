/**
 * Every call the dashboard makes to the rest of agentwork, in one place. With a daemon running the
 * operations go over its socket (as the CLI's askDaemon does); without one they run the same
 * operations layer (src/operations/) on the database, as the CLI's fallbacks do. Read-only views
 * the socket does not offer (item detail, history for the charts, the session list) read the
 * database and the ledger directly.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { requireLedger, type Settings } from "../config/load.ts";
import { systemClock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { WorkItem } from "../core/work-item.ts";
import { createRuntime } from "../daemon/runtime.ts";
import { runsForItem, runsPerHour, usagePerDay } from "../db/run-history.ts";
import type { RunRecord } from "../db/run-store.ts";
import type { AttemptErrorRecord } from "../db/work-item-admin.ts";
import { type ItemPage, type ItemSearch, itemTypes, searchItems } from "../db/work-item-search.ts";
import { sessionNameProblem } from "../handlers/session-finalize/paths.ts";
import { askSocket } from "../ipc/client.ts";
import type { IpcRequestType } from "../ipc/protocol.ts";
import { statusFromDatabase, withLedgerReport } from "../operations/local-status.ts";
import { operations, type RetryRequest } from "../operations/operations.ts";
import type { CancelReply, ResumeReply, RetryReply } from "../operations/replies.ts";
import { offlineTarget, storageTarget } from "../operations/work-target.ts";
import { openStorage, type Storage } from "../queue/storage.ts";
import type { AgentWorkStatus } from "../scheduler/status.ts";
import { listSessions, type SessionRow } from "./session-index.ts";
import { unpublishedSessions } from "./unpublished-sessions.ts";

export type { CancelReply };

export interface ItemDetail {
  item: WorkItem;
  attempts: AttemptErrorRecord[];
  runs: RunRecord[];
  /** The item's session, and which of its pages exist in the ledger. */
  session: { name: string; files: string[] } | null;
}

const SESSION_PAGES = ["session.html", "summary.md"];

function itemSession(ledger: string | null, payload: unknown): ItemDetail["session"] {
  const name = (payload as { session_name?: unknown } | null)?.session_name;
  if (typeof name !== "string" || sessionNameProblem(name) !== null) return null;
  const dir = ledger === null ? null : join(ledger, "sessions", name);
  return { name, files: SESSION_PAGES.filter((f) => dir !== null && existsSync(join(dir, f))) };
}

export interface History {
  hours: ReturnType<typeof runsPerHour>;
  days: ReturnType<typeof usagePerDay>;
}

export interface UiOperations {
  /** The status JSON with the ledger's report, from the daemon or built from the database. */
  status(): Promise<AgentWorkStatus>;
  /** The running daemon's status, or null when no daemon answers (live updates). */
  daemonStatus(): Promise<AgentWorkStatus | null>;
  retry(payload: RetryRequest): Promise<RetryReply>;
  cancel(id: string): Promise<CancelReply>;
  detect(): Promise<{ queued: number }>;
  resume(): Promise<ResumeReply>;
  items(search: ItemSearch): ItemPage;
  itemTypes(): string[];
  item(id: string): ItemDetail | null;
  history(since: number, until: number): History;
  sessions(): Promise<SessionRow[]>;
  /** The ledger's root, when configured (session files are served from it). */
  ledger(): string | null;
  close(): void;
}

export function createOperationsAdapter(settings: Settings, logger: Logger): UiOperations {
  let opened: Storage | null = null;
  const storage = (): Storage => {
    opened ??= openStorage(settings.paths.db, {
      clock: systemClock,
      ownerPid: process.pid,
      maxQueueDepth: settings.config.maxQueueDepth,
      maxAttempts: settings.config.maxAttempts,
    });
    return opened;
  };
  /** The daemon's answer, or undefined when none listens. */
  const ask = async <T>(type: IpcRequestType, payload?: unknown) =>
    (await askSocket(settings.paths.socket, type, payload)) as T | undefined;
  const daemonStatus = async () => (await ask<AgentWorkStatus>("status")) ?? null;
  /** No daemon: the operations act on the database directly. */
  const onDatabase = () => storageTarget(storage(), { clock: systemClock });

  return {
    status: async () =>
      withLedgerReport(
        (await daemonStatus()) ?? (await statusFromDatabase(settings, storage(), logger)),
        settings,
      ),
    daemonStatus,
    retry: async (payload) =>
      (await ask<RetryReply>("retry", payload)) ?? operations.retry(onDatabase(), payload),
    cancel: async (id) =>
      (await ask<CancelReply>("cancel", { id })) ?? operations.cancel(onDatabase(), id),
    detect: async () => {
      const reply = await ask<{ queued: number }>("detect");
      if (reply) return reply;
      const runtime = createRuntime(settings, requireLedger(settings), { logger });
      try {
        const target = offlineTarget(runtime.scheduler, runtime.storage, {
          clock: systemClock,
          logger,
        });
        return await operations.detect(target);
      } finally {
        runtime.close();
      }
    },
    resume: async () => (await ask<ResumeReply>("resume")) ?? operations.resume(onDatabase()),
    items: (search) => searchItems(storage(), search),
    itemTypes: () => itemTypes(storage()),
    item: (id) => {
      const s = storage();
      const item = s.queue.get(id);
      if (!item) return null;
      return {
        item,
        attempts: s.queue.admin.attemptErrors(id),
        runs: runsForItem(s, id),
        session: itemSession(settings.paths.ledger, item.payload),
      };
    },
    history: (since, until) => ({
      hours: runsPerHour(storage(), since, until),
      days: usagePerDay(storage(), since, until),
    }),
    sessions: async () => {
      const ledger = settings.paths.ledger;
      if (ledger === null) return [];
      const unpublished = await unpublishedSessions(ledger, settings.env.base);
      return listSessions(ledger, settings.config.publishing, unpublished);
    },
    ledger: () => settings.paths.ledger,
    close: () => opened?.close(),
  };
}
