import { defineCommand } from "citty";
import { AgentworkError } from "../../core/errors.ts";
import { EXIT_CODES } from "../../core/exit-codes.ts";
import { safeText } from "../../core/terminal-text.ts";
import { PRIORITY_LIMIT } from "../../ipc/request-fields.ts";
import { operations } from "../../operations/operations.ts";
import { viaDaemonOr } from "../command-runtime.ts";
import { globalArgs, jsonArg } from "../common-args.ts";
import { commandContext } from "../context.ts";
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
    force: {
      type: "boolean",
      description:
        "Summarize again although a summary.json exists (it is replaced only by a reply that parses)",
    },
  },
  async run({ args }) {
    const priority = args.priority === undefined ? undefined : Number(args.priority);
    if (
      priority !== undefined &&
      (!Number.isInteger(priority) || Math.abs(priority) > PRIORITY_LIMIT)
    ) {
      throw new AgentworkError(
        "E_USAGE",
        `--priority takes a whole number from -${PRIORITY_LIMIT} to ${PRIORITY_LIMIT}, got "${safeText(String(args.priority))}"`,
      );
    }
    const ctx = commandContext(args);
    const payload = {
      type: args.type,
      name: args.name,
      ...(priority === undefined ? {} : { priority }),
      ...(args.force === true ? { force: true } : {}),
    };
    // No daemon: the database and the model-free exports are written here; a daemon picks the
    // item up on its next pass.
    const reply = await viaDaemonOr(ctx, "enqueue", payload, (target) =>
      operations.enqueue(target, payload),
    );
    const what = safeText(`${args.type}:${args.name}`);
    printData(reply, {
      json: args.json === true,
      text: (r) =>
        r.queued
          ? `queued ${what} as ${r.id}`
          : r.reason === "duplicate"
            ? `already queued: ${what} is queued or running as ${r.existing_id}; nothing to do`
            : "not queued: the queue is full (max_queue_depth); detection finds it again later",
    });
    // Already queued is the state the user asked for: success. A full queue is not.
    if (!reply.queued && reply.reason !== "duplicate") process.exitCode = EXIT_CODES.workFailed;
  },
});
