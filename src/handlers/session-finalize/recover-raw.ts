import { realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../../core/logger.ts";
import { type RedactionCounts, Redactor } from "../../core/redaction/redactor.ts";
import { MAX_TRANSCRIPT_BYTES, readRegularFileSync } from "../../core/regular-file.ts";
import { AtomicWriter } from "./atomic-write.ts";
import { parseClaudeTranscript } from "./claude-transcript.ts";
import { isWithin } from "./paths.ts";
import { readMarker } from "./recording-marker.ts";
import { RAW_FILE, RECORDING_MARKER } from "./types.ts";

export interface RecoveryOptions {
  /**
   * Directories a marker's `session_file` may point into (Claude Code's projects dir). The
   * recovered text is committed and pushed to a shared ledger, so a marker must not be able to
   * make the daemon copy an arbitrary file (say ~/.ssh/id_ed25519) into it.
   */
  transcriptRoots: string[];
  logger: Logger;
  /** Every recovered entry is redacted before it is written (built-in rules by default). */
  redactor?: Redactor;
}

/** Adapters that know how to read an agent's own transcript, by the marker's adapter_name. */
const ADAPTERS: Record<string, (text: string) => ReturnType<typeof parseClaudeTranscript>> = {
  "claude-code": parseClaudeTranscript,
};

/**
 * Upstream's recoverRawFromSessionFile (§7.7): a stale recording whose raw.jsonl was never
 * written is rebuilt from the agent's own transcript, keeping entries from the recording's start
 * on. Writes raw.jsonl atomically and returns true; any problem is logged and returns false.
 * Every entry is redacted before it is written, so no secret reaches the ledger's working tree.
 */
export function recoverRawFromTranscript(sessionDir: string, options: RecoveryOptions): boolean {
  const { logger } = options;
  const fail = (level: "info" | "warn", why: string) => {
    logger[level](`session-finalize: cannot recover ${RAW_FILE} for ${sessionDir}: ${why}`);
    return false;
  };
  const marker = readMarker(join(sessionDir, RECORDING_MARKER));
  if (!marker) return fail("warn", "the recording marker is not valid JSON");
  const source = marker.session_file ?? "";
  if (source === "") return fail("info", "the marker names no session_file");
  let real: string;
  try {
    real = realpathSync(source);
    if (statSync(real).size === 0) return fail("info", `${source} is empty`);
  } catch {
    return fail("info", `${source} does not exist`);
  }
  const roots = options.transcriptRoots.map((root) => {
    try {
      return realpathSync(root);
    } catch {
      return root;
    }
  });
  if (!roots.some((root) => isWithin(root, real))) {
    return fail("warn", `${source} is outside ${roots.join(", ") || "(no transcript dirs)"}`);
  }
  const adapterName = marker.adapter_name ?? "";
  const adapter = ADAPTERS[adapterName];
  if (!adapter) return fail("warn", `unknown adapter "${adapterName}"`);
  const startedAt = Date.parse(marker.started_at ?? "");
  const from = Number.isNaN(startedAt) ? 0 : startedAt;
  const entries = adapter(readRegularFileSync(real, { maxBytes: MAX_TRANSCRIPT_BYTES / 8 })).filter(
    (e) => e.ts === 0 || e.ts >= from,
  );
  if (entries.length === 0)
    return fail("info", `no entries in ${source} after the recording start`);

  const redactor = options.redactor ?? new Redactor();
  const found: RedactionCounts = {};
  const writer = new AtomicWriter(join(sessionDir, RAW_FILE));
  try {
    const meta = {
      schema_version: "1",
      agent_id: marker.agent_id ?? "",
      agent_type: adapterName,
      started_at: marker.started_at ?? "",
      recovered: true,
    };
    writer.write(`${JSON.stringify({ _meta: meta })}\n`);
    for (const { ts, ...entry } of entries) {
      const line = { ...entry, ...(ts ? { ts: new Date(ts).toISOString() } : {}) };
      writer.write(`${JSON.stringify(redactor.value(line, found))}\n`);
    }
    writer.commit();
  } catch (error) {
    writer.abort();
    return fail("warn", `writing ${RAW_FILE} failed: ${String(error)}`);
  }
  logger.info(
    `session-finalize: recovered ${entries.length} entries for ${sessionDir} from ${source}`,
  );
  return true;
}
