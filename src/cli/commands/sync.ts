import { defineCommand } from "citty";
import { operations } from "../../operations/operations.ts";
import { viaDaemonOr } from "../command-runtime.ts";
import { globalArgs, jsonArg } from "../common-args.ts";
import { commandContext } from "../context.ts";
import { printData } from "../output.ts";

export default defineCommand({
  meta: { name: "sync", description: "Tell the running daemon to drain the queue now" },
  args: { ...globalArgs, ...jsonArg },
  async run({ args }) {
    const ctx = commandContext(args);
    const reply = await viaDaemonOr(ctx, "sync", undefined, (t) => operations.sync(t), {
      ledger: false,
    });
    printData(reply, { json: args.json === true, text: (r) => `started ${r.started} run(s)` });
  },
});
