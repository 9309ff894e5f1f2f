import { defineCommand } from "citty";
import { requireLedger } from "../../config/load.ts";
import { AgentworkError } from "../../core/errors.ts";
import { type EnqueueReply, enqueueReply, enqueueRequest } from "../../daemon/ipc-handlers.ts";
import { globalArgs, jsonArg } from "../common-args.ts";
import { askDaemon, commandContext, commandRuntime } from "../context.ts";
import { EXIT_CODES } from "../exit-codes.ts";
import { printData } from "../output.ts";

export default defineCommand({
  meta: { name: "enqueue", description: "Queue work by hand: enqueue session-finalize <name>" },
  args: {
    ...globalArgs,
    ...jsonArg,
    type: { type: "positional", description: "Work type (session-finalize)", required: true },
    name: {
      type: "positional",
      description: "Session directory name under <ledger>/sessions",
      required: true,
    },
    priority: {
      type: "string",
      description: "Lower runs sooner (default 1 for hand-queued items)",
    },
  },
  async run({ args }) {
    const priority = args.priority === undefined ? undefined : Number(args.priority);
    if (priority !== undefined && !Number.isInteger(priority)) {
      throw new AgentworkError(
        "E_USAGE",
        `--priority takes a whole number, got "${args.priority}"`,
      );
    }
    const ctx = commandContext(args);
    const payload = {
      type: args.type,
      name: args.name,
      ...(priority === undefined ? {} : { priority }),
    };
    let reply = (await askDaemon(ctx, "enqueue", payload)) as EnqueueReply | undefined;
    if (!reply) {
      // No daemon: write the database and the model-free exports (what the daemon does on
      // enqueue); a daemon picks the item up on its next pass.
      const runtime = commandRuntime(ctx);
      try {
        const result = runtime.storage.queue.enqueue(
          enqueueRequest(requireLedger(ctx.settings), payload, runtime.handler),
        );
        if (result.ok) {
          await runtime.handler.prepare(result.item).catch((error: unknown) => {
            ctx.logger.warn(`session.md/session.html not written: ${(error as Error).message}`);
          });
        }
        reply = enqueueReply(result);
      } finally {
        runtime.close();
      }
    }
    printData(reply, {
      json: args.json === true,
      text: (r) =>
        r.queued
          ? `queued ${args.type}:${args.name} as ${r.id}`
          : r.reason === "duplicate"
            ? `not queued: ${args.type}:${args.name} is already queued or running (${r.existing_id})`
            : "not queued: the queue is full (max_queue_depth); detection finds it again later",
    });
    if (!reply.queued) process.exitCode = EXIT_CODES.workFailed;
  },
});
