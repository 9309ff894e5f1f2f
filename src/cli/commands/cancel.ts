import { defineCommand } from "citty";
import { EXIT_CODES } from "../../core/exit-codes.ts";
import { globalArgs, jsonArg } from "../common-args.ts";
import { askDaemon, commandContext, withStorage } from "../context.ts";
import { printData } from "../output.ts";

type CancelReply = { ok: boolean; reason?: string; state?: string };

export default defineCommand({
  meta: { name: "cancel", description: "Cancel a waiting item, or stop a running one" },
  args: {
    ...globalArgs,
    ...jsonArg,
    id: { type: "positional", description: "Work item id", required: true },
  },
  async run({ args }) {
    const ctx = commandContext(args);
    const reply =
      ((await askDaemon(ctx, "cancel", { id: args.id })) as CancelReply | undefined) ??
      withStorage(ctx, (s) => s.queue.cancel(args.id) as CancelReply);
    printData(reply, {
      json: args.json === true,
      text: (r) =>
        r.ok
          ? r.state === "running"
            ? `stopping ${args.id}; it will be marked cancelled`
            : `cancelled ${args.id}`
          : `not cancelled: ${r.reason}${r.state ? ` (${r.state})` : ""}`,
    });
    if (!reply.ok) process.exitCode = EXIT_CODES.workFailed;
  },
});
