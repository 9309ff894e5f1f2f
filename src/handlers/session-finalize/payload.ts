import { basename, join } from "node:path";
import { doNotRetry } from "../../core/errors.ts";
import { assertInside, assertNotAlias, realpathLoose, sessionNameProblem } from "./paths.ts";
import {
  type ArtifactName,
  RAW_FILE,
  REQUIRED_ARTIFACTS,
  type SessionFinalizePayload,
} from "./types.ts";

function bad(message: string): never {
  throw doNotRetry("E_PAYLOAD", `session-finalize payload: ${message}`);
}

/**
 * Checks a payload read back from the queue before anything touches the disk: the name is safe,
 * the ledger is ours, the session dir lies inside it and a source dir (if any) inside a
 * configured scan dir. raw_path is recomputed, never trusted. Errors are never retried.
 */
export function checkPayload(
  value: unknown,
  context: { ledgerPath: string; scanDirs: readonly string[] },
): SessionFinalizePayload {
  if (!value || typeof value !== "object" || Array.isArray(value)) bad("not an object");
  const p = value as Record<string, unknown>;
  const name = p.session_name;
  const dir = p.session_dir;
  const ledger = p.ledger_path;
  if (typeof name !== "string") bad("session_name is not a string");
  if (typeof dir !== "string" || dir === "") bad("session_dir is not a string");
  if (typeof ledger !== "string" || ledger === "") bad("ledger_path is not a string");
  const problem = sessionNameProblem(name);
  if (problem)
    throw doNotRetry("E_UNSAFE_PATH", `refused session name ${JSON.stringify(name)}: ${problem}`);
  if (basename(dir) !== name) bad(`session_dir ${dir} does not end in ${name}`);
  if (realpathLoose(ledger) !== realpathLoose(context.ledgerPath)) {
    bad(`ledger_path ${ledger} is not this worker's ledger ${context.ledgerPath}`);
  }
  assertInside(dir, [ledger], "session_dir");
  assertNotAlias(dir);
  const missing = Array.isArray(p.missing)
    ? REQUIRED_ARTIFACTS.filter((a) => (p.missing as unknown[]).includes(a))
    : [...REQUIRED_ARTIFACTS];
  const payload: SessionFinalizePayload = {
    session_name: name,
    session_dir: dir,
    raw_path: join(dir, RAW_FILE),
    missing: missing as ArtifactName[],
    ledger_path: ledger,
  };
  if (p.force === true) payload.force = true;
  if (p.source_dir !== undefined) {
    if (typeof p.source_dir !== "string" || basename(p.source_dir) !== name)
      bad("source_dir does not name this session");
    assertInside(p.source_dir, [...context.scanDirs], "source_dir");
    payload.source_dir = p.source_dir;
  }
  return payload;
}
