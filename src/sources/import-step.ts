import type { Config } from "../config/config.ts";
import type { Settings } from "../config/load.ts";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import { Redactor } from "../core/redaction/redactor.ts";
import type { Stores } from "../db/storage.ts";
import { dedupKeyFor } from "../handlers/session-finalize/types.ts";
import { SourceImporter } from "./import-pass.ts";
import { sourceRoots, sourceUser } from "./roots.ts";

/**
 * The scheduler's import step, wired from Settings: before each detection, finished transcripts
 * of the configured `sources` are imported into `<ledger>/sessions/`. A failure is logged and
 * the pass goes on. The redactor is rebuilt when `redact_patterns` changes.
 */
export function sourceImportStep(
  settings: Settings,
  ledgerPath: string,
  storage: Stores,
  extras: { clock: Clock; logger: Logger },
): (config: Config) => Promise<void> {
  const logger = extras.logger;
  let patterns = JSON.stringify(settings.config.redactPatterns);
  const importer = (redactor: Redactor) =>
    new SourceImporter({
      ledgerPath,
      roots: sourceRoots(settings.env),
      store: storage.sources,
      redactor,
      clock: extras.clock,
      logger,
      user: sourceUser(settings.env),
      stateDir: settings.paths.stateDir,
      isBeingSummarized: beingSummarized(storage),
    });
  let current = importer(new Redactor(settings.config.redactPatterns));
  // The last pass (it never rejects): an importer with new patterns starts only after it, as
  // two passes must not run at once (`SourceImporter.run`).
  let running: Promise<void> = Promise.resolve();
  return async (config) => {
    if (config.sources.length === 0) return;
    if (JSON.stringify(config.redactPatterns) !== patterns) {
      patterns = JSON.stringify(config.redactPatterns);
      await running;
      current = importer(new Redactor(config.redactPatterns));
    }
    running = current.run(config).then(
      () => undefined,
      (error: unknown) =>
        logger.warn(
          `sources: import failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
    );
    await running;
  };
}

/** A ledger session whose finalize item is running (its agent may be reading raw.jsonl now). */
export function beingSummarized(storage: Stores): (sessionName: string) => boolean {
  return (name) => storage.admin.inProgress(dedupKeyFor(name));
}
