import { defineCommand } from "citty";
import { operations } from "../../operations/operations.ts";
import { viaDaemonOr } from "../command-runtime.ts";
import { globalArgs, jsonArg } from "../common-args.ts";
import { commandContext } from "../context.ts";
import { printData } from "../output.ts";

export default defineCommand({
  meta: {
    name: "detect",
    description: "Look for unfinalized sessions now (no cooldown); prints how many were queued",
  },
  args: { ...globalArgs, ...jsonArg },
  async run({ args }) {
    const ctx = commandContext(args);
    const reply = await viaDaemonOr(ctx, "detect", undefined, (t) => operations.detect(t));
    printData(reply, { json: args.json === true, text: (r) => `queued ${r.queued} session(s)` });
  },
});
