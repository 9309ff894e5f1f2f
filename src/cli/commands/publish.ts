import { defineCommand } from "citty";
import { operations } from "../../operations/operations.ts";
import { viaDaemonOr } from "../command-runtime.ts";
import { globalArgs, jsonArg } from "../common-args.ts";
import { commandContext } from "../context.ts";
import { printData } from "../output.ts";

export default defineCommand({
  meta: {
    name: "publish",
    description: "Release held sessions: summarize, commit and push them (publish <name> | --all)",
  },
  args: {
    ...globalArgs,
    ...jsonArg,
    name: { type: "positional", description: "Session directory name", required: false },
    all: { type: "boolean", description: "Every held session" },
  },
  async run({ args }) {
    const payload = {
      ...(typeof args.name === "string" && args.name !== "" ? { name: args.name } : {}),
      ...(args.all === true ? { all: true } : {}),
    };
    const ctx = commandContext(args);
    // No daemon: release and queue here; a daemon summarizes and commits on its next pass.
    const reply = await viaDaemonOr(ctx, "publish", payload, (target) =>
      operations.publish(target, payload),
    );
    printData(reply, {
      json: args.json === true,
      text: (r) =>
        [
          ...(r.published.length > 0
            ? [
                `published ${r.published.length} session(s): ${r.published.map((n) => JSON.stringify(n)).join(", ")}`,
              ]
            : []),
          ...r.not_held.map((n) => `${JSON.stringify(n)} is not held; nothing to publish`),
          ...(r.published.length + r.not_held.length === 0 ? ["no held sessions"] : []),
        ].join("\n"),
    });
  },
});
