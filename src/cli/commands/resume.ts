import { defineCommand } from "citty";
import { operations } from "../../operations/operations.ts";
import { viaDaemonOr } from "../command-runtime.ts";
import { globalArgs, jsonArg } from "../common-args.ts";
import { commandContext } from "../context.ts";
import { printData } from "../output.ts";

export default defineCommand({
  meta: {
    name: "resume",
    description: "End a usage-limit pause early: agent work starts again now",
  },
  args: { ...globalArgs, ...jsonArg },
  async run({ args }) {
    const ctx = commandContext(args);
    const reply = await viaDaemonOr(ctx, "resume", undefined, (t) => operations.resume(t), {
      ledger: false,
    });
    printData(reply, {
      json: args.json === true,
      text: (r) =>
        r.resumed
          ? `resumed: agent work was paused until ${r.was_paused_until}`
          : "nothing to resume: agent work is not paused",
    });
  },
});
