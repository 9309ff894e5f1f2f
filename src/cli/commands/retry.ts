import { defineCommand } from "citty";
import { AgentworkError } from "../../core/errors.ts";
import { EXIT_CODES } from "../../core/exit-codes.ts";
import { operations } from "../../operations/operations.ts";
import { viaDaemonOr } from "../command-runtime.ts";
import { globalArgs, jsonArg } from "../common-args.ts";
import { commandContext } from "../context.ts";
import { printData } from "../output.ts";

export default defineCommand({
  meta: {
    name: "retry",
    description: "Queue a failed or cancelled item again: retry <id> | --failed",
  },
  args: {
    ...globalArgs,
    ...jsonArg,
    id: { type: "positional", description: "Work item id", required: false },
    failed: { type: "boolean", description: "Retry every failed item" },
  },
  async run({ args }) {
    if (!args.id && !args.failed)
      throw new AgentworkError("E_USAGE", "give an item id or --failed");
    const ctx = commandContext(args);
    const payload = args.failed ? { failed: true } : { id: args.id };
    const reply = await viaDaemonOr(ctx, "retry", payload, (t) => operations.retry(t, payload), {
      ledger: false,
    });
    printData(reply, {
      json: args.json === true,
      text: (r) =>
        r.results.length === 0
          ? "nothing to retry"
          : r.results
              .map((x) =>
                x.ok
                  ? `requeued ${x.id}`
                  : `not requeued ${x.id}: ${x.reason}${x.state ? ` (${x.state})` : ""}`,
              )
              .join("\n"),
    });
    if (reply.results.some((r) => !r.ok)) process.exitCode = EXIT_CODES.workFailed;
  },
});
