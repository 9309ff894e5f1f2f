import { defineCommand } from "citty";
import { commandRuntime } from "../command-runtime.ts";
import { globalArgs, jsonArg } from "../common-args.ts";
import { askDaemon, commandContext } from "../context.ts";
import { printData } from "../output.ts";

export default defineCommand({
  meta: {
    name: "detect",
    description: "Look for unfinalized sessions now (no cooldown); prints how many were queued",
  },
  args: { ...globalArgs, ...jsonArg },
  async run({ args }) {
    const ctx = commandContext(args);
    let reply = (await askDaemon(ctx, "detect")) as { queued: number } | undefined;
    if (!reply) {
      const runtime = commandRuntime(ctx);
      try {
        reply = { queued: await runtime.scheduler.detectOnly(true) };
      } finally {
        runtime.close();
      }
    }
    printData(reply, { json: args.json === true, text: (r) => `queued ${r.queued} session(s)` });
  },
});
