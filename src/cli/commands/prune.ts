import { defineCommand } from "citty";
import { parseDuration } from "../../config/duration.ts";
import { systemClock } from "../../core/clock.ts";
import { AgentworkError } from "../../core/errors.ts";
import { operations } from "../../operations/operations.ts";
import { storageTarget } from "../../operations/work-target.ts";
import { withStorage } from "../command-storage.ts";
import { globalArgs, jsonArg } from "../common-args.ts";
import { commandContext } from "../context.ts";
import { printData } from "../output.ts";

export default defineCommand({
  meta: { name: "prune", description: "Delete finished items and run history older than a cutoff" },
  args: {
    ...globalArgs,
    ...jsonArg,
    "older-than": {
      type: "string",
      description: "Age cutoff like 30d or 12h (default: retention)",
    },
  },
  run({ args }) {
    const ctx = commandContext(args);
    let olderThanMs = ctx.settings.config.retentionMs;
    const given = args["older-than"];
    if (given !== undefined) {
      const parsed = parseDuration(given);
      if (!parsed.ok) throw new AgentworkError("E_USAGE", `--older-than: ${parsed.reason}`);
      olderThanMs = parsed.ms;
    }
    // Straight on the database, daemon or not: WAL lets it run beside the daemon.
    const removed = withStorage(ctx, (s) =>
      operations.prune(storageTarget(s, { clock: systemClock }), olderThanMs),
    );
    printData(removed, {
      json: args.json === true,
      text: (r) => `removed ${r.items} finished item(s) and ${r.runs} history row(s)`,
    });
  },
});
