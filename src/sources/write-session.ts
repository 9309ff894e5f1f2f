import { lstatSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { AgentworkError } from "../core/errors.ts";
import type { RedactionCounts, Redactor } from "../core/redaction/redactor.ts";
import { AtomicWriter } from "../handlers/session-finalize/atomic-write.ts";
import { assertSessionName } from "../handlers/session-finalize/paths.ts";
import {
  DISCARDED_MARKER,
  RAW_FILE,
  REQUIRED_ARTIFACTS,
} from "../handlers/session-finalize/types.ts";
import { entryLine, entryObject } from "./entry-line.ts";
import { AGENT_TYPE_OF, type ConvertedSession, type SourceFile } from "./imported-session.ts";

/** What a re-import removes so detection finalizes the grown session again. */
const STALE_FILES = [...REQUIRED_ARTIFACTS, "meta.json", DISCARDED_MARKER];

export interface WrittenSession {
  entryCount: number;
  redactions: RedactionCounts;
}

/**
 * Writes `<ledger>/sessions/<name>/raw.jsonl` (header with the source reference, entries,
 * footer), every line redacted before it reaches the disk, atomically. When the session existed
 * (a transcript that grew) its artifacts are removed, so the next detection finalizes it again.
 */
export function writeImportedSession(input: {
  ledgerPath: string;
  name: string;
  file: SourceFile;
  session: ConvertedSession;
  startedAt: string;
  user: string;
  redactor: Redactor;
}): WrittenSession {
  const { name, file, session } = input;
  assertSessionName(name);
  const dir = join(input.ledgerPath, "sessions", name);
  let existed = false;
  try {
    const st = lstatSync(dir);
    if (!st.isDirectory())
      throw new AgentworkError("E_UNSAFE_PATH", `${dir} exists and is not a directory`, {
        retry: "never",
      });
    existed = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dir, { recursive: true });
  const counts: RedactionCounts = {};
  // No fsync per file (about 5 ms each, bench/results/sources.md): the rename stays atomic and the
  // transcript it comes from stays where it is; a file lost to a power cut is imported again once
  // its `source_imports` row is deleted or the transcript changes.
  const writer = new AtomicWriter(join(dir, RAW_FILE), 0o644, false);
  try {
    const metadata: Record<string, unknown> = {
      version: "1.0",
      created_at: input.startedAt,
      agent_id: name.split("-").pop() ?? "",
      agent_type: AGENT_TYPE_OF[file.kind],
      username: input.user,
      source: {
        kind: file.kind,
        id: file.id,
        path: file.path,
        ...(session.sessionId ? { session_id: session.sessionId } : {}),
        ...(session.project ? { project: session.project } : {}),
      },
    };
    if (session.agentVersion) metadata.agent_version = session.agentVersion;
    if (session.model) metadata.model = session.model;
    // Each line is serialised once and the entries screened as written, all at once; only when
    // that hits is each line screened, and a line that hits walked value by value.
    const put = (line: object) => writer.writeLine(input.redactor.jsonLine(line, counts));
    put({ type: "header", metadata });
    let seq = 0;
    let last = input.startedAt;
    const lines = session.entries.map((entry, i) => entryLine(entry, i + 1));
    const clean = lines.length > 0 ? input.redactor.cleanJoined(lines) : null;
    if (clean !== null) writer.writeLine(clean);
    for (const [i, entry] of session.entries.entries()) {
      const n = ++seq;
      if (entry.timestamp) last = entry.timestamp;
      if (clean !== null) continue;
      const line = lines[i] as string;
      writer.writeLine(input.redactor.serialisedLine(line, () => entryObject(entry, n), counts));
    }
    put({ type: "footer", closed_at: last, entry_count: seq });
    writer.commit();
    if (existed) for (const stale of STALE_FILES) rmSync(join(dir, stale), { force: true });
    return { entryCount: seq, redactions: counts };
  } catch (error) {
    writer.abort();
    throw error;
  }
}
