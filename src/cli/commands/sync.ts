import { defineCommand } from "citty";
import { AgentworkError } from "../../core/errors.ts";
import { globalArgs, jsonArg } from "../common-args.ts";
import { askDaemon, commandContext } from "../context.ts";
import { printData } from "../output.ts";

export default defineCommand({
  meta: { name: "sync", description: "Tell the running daemon to drain the queue now" },
  args: { ...globalArgs, ...jsonArg },
  async run({ args }) {
    const ctx = commandContext(args);
    const reply = (await askDaemon(ctx, "sync")) as { started: number } | undefined;
    if (!reply) {
      throw new AgentworkError(
        "E_IPC",
        "no daemon is running for this database; `agentwork daemon --once` processes the queue",
      );
    }
    printData(reply, { json: args.json === true, text: (r) => `started ${r.started} run(s)` });
  },
});
