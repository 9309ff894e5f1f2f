import { defineCommand } from "citty";
import { EXIT_CODES } from "../../core/exit-codes.ts";
import { operations } from "../../operations/operations.ts";
import { viaDaemonOr } from "../command-runtime.ts";
import { globalArgs, jsonArg } from "../common-args.ts";
import { commandContext } from "../context.ts";
import { printData } from "../output.ts";

export default defineCommand({
  meta: { name: "cancel", description: "Cancel a waiting item, or stop a running one" },
  args: {
    ...globalArgs,
    ...jsonArg,
    id: { type: "positional", description: "Work item id", required: true },
  },
  async run({ args }) {
    const ctx = commandContext(args);
    const reply = await viaDaemonOr(
      ctx,
      "cancel",
      { id: args.id },
      (t) => operations.cancel(t, args.id),
      { ledger: false },
    );
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
