import { defineCommand } from "citty";
import { isoTime } from "../../core/clock.ts";
import type { RunRecord } from "../../db/run-store.ts";
import { runJson } from "../../operations/json-shapes.ts";
import { withStorage } from "../command-storage.ts";
import { globalArgs, jsonArg } from "../common-args.ts";
import { commandContext } from "../context.ts";
import { formatTable, printData } from "../output.ts";
import { positiveInt } from "./queue.ts";

export default defineCommand({
  meta: { name: "history", description: "Show agent runs, newest first" },
  args: {
    ...globalArgs,
    ...jsonArg,
    limit: { type: "string", description: "At most this many runs (default 20)" },
  },
  run({ args }) {
    const limit = positiveInt(args.limit, 20, "--limit");
    const ctx = commandContext(args);
    const runs = withStorage(ctx, (s) => s.runs.recent(limit));
    printData(runs, {
      json: args.json === true,
      text: renderRuns,
      asJson: (list) => list.map(runJson),
    });
  },
});

function renderRuns(runs: RunRecord[]): string {
  if (runs.length === 0) return "no runs yet";
  return formatTable(
    ["STARTED", "STATUS", "PID", "EXIT", "SECS", "TOKENS", "COST", "TARGET", "ERROR"],
    runs.map((r) => [
      isoTime(r.startedAt),
      r.status,
      String(r.pid ?? "-"),
      String(r.exitCode ?? "-"),
      r.durationMs === null ? "-" : (r.durationMs / 1000).toFixed(1),
      `${r.tokensIn}/${r.tokensOut}`,
      r.costUsd === null ? "-" : `$${r.costUsd.toFixed(4)}`,
      r.target,
      (r.error ?? "").slice(0, 80),
    ]),
  );
}
