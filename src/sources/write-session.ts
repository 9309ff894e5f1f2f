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

export interface RenderedSession {
  /**
   * raw.jsonl's lines: the header, the entries (one newline-joined text when none needed
   * redaction), the footer.
   */
  lines: string[];
  entryCount: number;
  redactions: RedactionCounts;
}

export interface ImportedSessionInput {
  name: string;
  file: SourceFile;
  session: ConvertedSession;
  startedAt: string;
  user: string;
  redactor: Redactor;
}

/**
 * raw.jsonl of an imported session (header with the source reference, entries, footer), every
 * line redacted. Each line is serialised once and the entries screened as written, all at once;
 * only when that hits is each line screened, and a line that hits walked value by value.
 */
export function renderImportedSession(input: ImportedSessionInput): RenderedSession {
  const { name, file, session, redactor } = input;
  const counts: RedactionCounts = {};
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
  const out = [redactor.jsonLine({ type: "header", metadata }, counts)];
  const lines = session.entries.map((entry, i) => entryLine(entry, i + 1));
  const clean = lines.length > 0 ? redactor.cleanJoined(lines) : null;
  if (clean !== null) out.push(clean);
  else
    for (const [i, entry] of session.entries.entries())
      out.push(
        redactor.serialisedLine(lines[i] as string, () => entryObject(entry, i + 1), counts),
      );
  let last = input.startedAt;
  for (const entry of session.entries) if (entry.timestamp) last = entry.timestamp;
  const entryCount = session.entries.length;
  out.push(redactor.jsonLine({ type: "footer", closed_at: last, entry_count: entryCount }, counts));
  return { lines: out, entryCount, redactions: counts };
}

/**
 * Writes `<ledger>/sessions/<name>/raw.jsonl` (`renderImportedSession`) atomically. When the
 * session existed (a transcript that grew) its artifacts are removed, so the next detection
 * finalizes it again.
 */
export function writeImportedSession(
  input: ImportedSessionInput & { ledgerPath: string },
): RenderedSession {
  const { name } = input;
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
  const rendered = renderImportedSession(input);
  mkdirSync(dir, { recursive: true });
  // No fsync per file (about 5 ms each, bench/results/sources.md): the rename stays atomic and the
  // transcript it comes from stays where it is; a file lost to a power cut is imported again once
  // its `source_imports` row is deleted or the transcript changes.
  const writer = new AtomicWriter(join(dir, RAW_FILE), 0o644, false);
  try {
    for (const line of rendered.lines) writer.writeLine(line);
    writer.commit();
  } catch (error) {
    writer.abort();
    throw error;
  }
  if (existed) for (const stale of STALE_FILES) rmSync(join(dir, stale), { force: true });
  return rendered;
}
