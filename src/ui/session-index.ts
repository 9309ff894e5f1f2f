import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { PublishingMode } from "../config/config.ts";
import { openRegularFile, readRegularFileSync, releaseFile } from "../core/regular-file.ts";
import { isHeld } from "../handlers/session-finalize/held.ts";
import { sessionNameProblem } from "../handlers/session-finalize/paths.ts";
import { parseHeader } from "../handlers/session-finalize/session-reader.ts";
import { DISCARDED_MARKER, RAW_FILE } from "../handlers/session-finalize/types.ts";

export const SESSION_STATES = ["summarized", "waiting", "held", "discarded", "pushed"] as const;
export type SessionState = (typeof SESSION_STATES)[number];

/** One session of the ledger as the sessions page lists it. */
export interface SessionRow {
  name: string;
  title: string | null;
  summary: string | null;
  created_at: string | null;
  agent: string | null;
  user: string | null;
  quality: number | null;
  state: SessionState;
  has_html: boolean;
  has_summary_md: boolean;
}

const HEADER_BYTES = 64 * 1024;
const JSON_BYTES = 4 * 1024 * 1024;

function readJson(path: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(readRegularFileSync(path, { maxBytes: JSON_BYTES })) as unknown;
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** raw.jsonl's first line, when it is a header (bounded read, never follows a symlink out). */
async function rawHeader(dir: string): Promise<Record<string, unknown>> {
  try {
    const { fh } = await openRegularFile(join(dir, RAW_FILE));
    try {
      const buf = Buffer.alloc(HEADER_BYTES);
      const { bytesRead } = await fh.read(buf, 0, HEADER_BYTES, 0);
      const first = buf.toString("utf8", 0, bytesRead).split("\n", 1)[0] ?? "";
      const line = JSON.parse(first) as Record<string, unknown>;
      const meta = (line.metadata ?? line._meta) as Record<string, unknown> | undefined;
      return meta && typeof meta === "object" ? meta : {};
    } finally {
      releaseFile(fh);
    }
  } catch {
    return {};
  }
}

const text = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

function stateOf(
  dir: string,
  files: Set<string>,
  publishing: PublishingMode,
  unpublished: ReadonlySet<string> | null,
  name: string,
): SessionState {
  if (files.has(DISCARDED_MARKER)) return "discarded";
  if (isHeld([dir], publishing)) return "held";
  if (!files.has("summary.json")) return "waiting";
  const pushed = unpublished !== null && files.has("meta.json") && !unpublished.has(name);
  return pushed ? "pushed" : "summarized";
}

/**
 * The ledger's sessions, newest name first. `unpublished` names the sessions whose files are
 * not yet committed and pushed (from git; null: no upstream); those stay "summarized".
 */
export async function listSessions(
  ledger: string,
  publishing: PublishingMode,
  unpublished: ReadonlySet<string> | null,
): Promise<SessionRow[]> {
  const root = join(ledger, "sessions");
  let names: string[];
  try {
    names = readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && sessionNameProblem(d.name) === null)
      .map((d) => d.name);
  } catch {
    return [];
  }
  names.sort().reverse();
  return Promise.all(
    names.map(async (name): Promise<SessionRow> => {
      const dir = join(root, name);
      const files = new Set(readdirSync(dir));
      const summary = files.has("summary.json") ? readJson(join(dir, "summary.json")) : null;
      const header = parseHeader(await rawHeader(dir));
      const quality = summary?.quality_score;
      return {
        name,
        title: text(summary?.title),
        summary: text(summary?.summary),
        created_at: header.createdAt ?? null,
        agent: header.agentType ?? null,
        user: header.username ?? null,
        quality: typeof quality === "number" ? quality : null,
        state: stateOf(dir, files, publishing, unpublished, name),
        has_html: files.has("session.html"),
        has_summary_md: files.has("summary.md"),
      };
    }),
  );
}
