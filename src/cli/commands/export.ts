import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { defineCommand } from "citty";
import { systemClock } from "../../core/clock.ts";
import { createProgress } from "../../core/progress.ts";
import { Redactor } from "../../core/redaction/redactor.ts";
import { exportSession } from "../../handlers/session-finalize/export.ts";
import { isWithin, realpathLoose } from "../../handlers/session-finalize/paths.ts";
import { redactJsonlFile } from "../../handlers/session-finalize/redact-raw.ts";
import { globalArgs, jsonArg } from "../common-args.ts";
import { commandContext } from "../context.ts";
import { printData } from "../output.ts";

export default defineCommand({
  meta: {
    name: "export",
    description: "Write session.md and session.html for a session directory (no model needed)",
  },
  args: {
    ...globalArgs,
    ...jsonArg,
    dir: { type: "positional", description: "Session directory holding raw.jsonl", required: true },
  },
  async run({ args }) {
    const ctx = commandContext(args);
    const dir = resolve(args.dir);
    const progress = createProgress({
      total: 1,
      label: "export",
      stream: process.stderr,
      isTTY: process.stderr.isTTY === true,
    });
    const ledger = ctx.settings.paths.ledger;
    const raw = join(dir, "raw.jsonl");
    if (ledger !== null && existsSync(raw) && isWithin(realpathLoose(ledger), realpathLoose(dir))) {
      // Inside the ledger the exports may be committed: raw.jsonl is redacted first, in place.
      await redactJsonlFile(raw, raw, new Redactor(ctx.settings.config.redactPatterns));
    }
    const result = await exportSession(dir, {
      clock: systemClock,
      logger: ctx.logger,
      toolOutputLimit: ctx.settings.config.exportToolOutputLimit,
    });
    progress.tick(dir);
    progress.done();
    printData(
      { dir, files: result.files, entries: result.stats.entries },
      {
        json: args.json === true,
        text: (r) => `exported ${r.entries} entries:\n${r.files.map((f) => `  ${f}`).join("\n")}`,
      },
    );
  },
});
