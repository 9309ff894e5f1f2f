import { defineCommand } from "citty";
import { isoTime } from "../../core/clock.ts";
import { AgentworkError } from "../../core/errors.ts";
import { isJobState, JOB_STATES, type WorkItem } from "../../core/work-item.ts";
import { workItemJson } from "../../operations/json-shapes.ts";
import { withStorage } from "../command-storage.ts";
import { globalArgs, jsonArg } from "../common-args.ts";
import { commandContext } from "../context.ts";
import { formatTable, printData } from "../output.ts";

export default defineCommand({
  meta: { name: "queue", description: "List work items (all, or one state)" },
  args: {
    ...globalArgs,
    ...jsonArg,
    state: { type: "string", description: `Only this state: ${JOB_STATES.join(", ")}` },
    limit: { type: "string", description: "At most this many items (default 100)" },
  },
  run({ args }) {
    const state = args.state;
    if (state !== undefined && !isJobState(state)) {
      throw new AgentworkError(
        "E_USAGE",
        `unknown state "${state}"; use one of: ${JOB_STATES.join(", ")}`,
      );
    }
    const limit = positiveInt(args.limit, 100, "--limit");
    const ctx = commandContext(args);
    const items = withStorage(ctx, (s) => s.queue.list({ ...(state ? { state } : {}), limit }));
    printData(items, {
      json: args.json === true,
      text: renderItems,
      asJson: (list) => list.map(workItemJson),
    });
  },
});

function renderItems(items: WorkItem[]): string {
  if (items.length === 0) return "no work items";
  return formatTable(
    ["ID", "STATE", "PRI", "TRIES", "KEY", "CREATED", "LAST ERROR"],
    items.map((i) => [
      i.id,
      i.state,
      String(i.priority),
      `${i.attempts}/${i.maxAttempts}`,
      i.dedupKey ?? "",
      isoTime(i.createdAt),
      (i.lastError ?? "").slice(0, 80),
    ]),
  );
}

export function positiveInt(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new AgentworkError("E_USAGE", `${flag} takes a whole number >= 1, got "${value}"`);
  }
  return n;
}
