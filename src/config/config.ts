/**
 * The validated, frozen configuration every part of agentwork receives. Loading (defaults < YAML
 * file < AGENTWORK_* env < flags) and validation live in config/load.ts; this file is only the
 * shape and the defaults, so any module can import it without touching the environment.
 */
import type { CustomPattern } from "../core/redaction/redactor.ts";

/** "auto": the first of claude, codex, gemini that is installed and logged in (runners/select-agent.ts). */
export const AGENT_TYPES = ["auto", "claude", "codex", "gemini"] as const;
export type AgentType = (typeof AGENT_TYPES)[number];
/** The agents a runner exists for, in auto-detection order. */
export type AgentName = Exclude<AgentType, "auto">;
export const PUBLISHING_MODES = ["auto", "manual"] as const;
export type PublishingMode = (typeof PUBLISHING_MODES)[number];
/** Agent CLIs whose own transcripts can be imported into the ledger (`sources`). */
export const SOURCE_KINDS = ["claude", "codex", "gemini"] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface Config {
  enabled: boolean;
  agentType: AgentType;
  /** Explicit agent binary path; null means search PATH and the usual install locations. */
  agentBin: string | null;
  model: string | null;
  maxTurns: number | null;
  maxInvocationsPerHour: number;
  maxConcurrent: number;
  maxAttempts: number;
  maxQueueDepth: number;
  sessionFinalize: boolean;
  qualityUploadThreshold: number;
  qualityDiscardThreshold: number;
  doctorIntervalMs: number;
  runTimeoutMs: number;
  /** Extra directories (each holding session dirs) scanned besides <ledger>/sessions. */
  scanDirs: string[];
  gitPush: boolean;
  /** Finished items and history older than this are removed by prune. */
  retentionMs: number;
  /** Characters of one tool output kept in session.md / session.html; the rest is marked cut. */
  exportToolOutputLimit: number;
  /** Extra redaction rules beside the built-in ones. */
  redactPatterns: CustomPattern[];
  /** `manual`: sessions stay local (exports only) until `agentwork publish`. */
  publishing: PublishingMode;
  /** Where a ledger branch without an upstream is pushed. */
  gitRemote: string;
  /** The branch the ledger must be on to commit; null: whichever branch is checked out. */
  gitBranch: string | null;
  /** Timeout of one git command; null: 60 s plus 1 s per MiB being pushed. */
  gitTimeoutMs: number | null;
  /** The ledger repository (`agentwork init` writes it); --ledger and AGENTWORK_LEDGER win. */
  ledger: string | null;
  /** Agent CLIs whose transcripts are imported on each doctor pass; none by default. */
  sources: SourceKind[];
  /** Project path globs for imports; a leading `!` excludes. Empty: every project. */
  sourceProjects: string[];
  /** A transcript unchanged this long counts as finished and is imported. */
  sourceIdleMs: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const DEFAULT_CONFIG: Readonly<Config> = Object.freeze({
  enabled: true,
  agentType: "auto",
  agentBin: null,
  model: null,
  maxTurns: null,
  maxInvocationsPerHour: 60,
  maxConcurrent: 2,
  maxAttempts: 3,
  maxQueueDepth: 100,
  sessionFinalize: true,
  qualityUploadThreshold: 0.3,
  qualityDiscardThreshold: 0.1,
  doctorIntervalMs: 5 * MINUTE,
  runTimeoutMs: 5 * MINUTE,
  scanDirs: [],
  gitPush: true,
  retentionMs: 30 * DAY,
  exportToolOutputLimit: 20_000,
  redactPatterns: [],
  publishing: "auto",
  gitRemote: "origin",
  gitBranch: null,
  gitTimeoutMs: null,
  ledger: null,
  sources: [],
  sourceProjects: [],
  sourceIdleMs: 30 * MINUTE,
});

/** Re-read on every scheduler pass so edits take effect without a restart. */
export type ConfigLoader = () => Config;
