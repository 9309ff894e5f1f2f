import { defineCommand } from "citty";
import { systemClock } from "../../core/clock.ts";
import { type ResumeReply, resumeReply } from "../../daemon/ipc-handlers.ts";
import { AgentPause } from "../../scheduler/agent-pause.ts";
import { globalArgs, jsonArg } from "../common-args.ts";
import { askDaemon, commandContext, withStorage } from "../context.ts";
import { printData } from "../output.ts";

export default defineCommand({
  meta: {
    name: "resume",
    description: "End a usage-limit pause early: agent work starts again now",
  },
  args: { ...globalArgs, ...jsonArg },
  async run({ args }) {
    const ctx = commandContext(args);
    const reply =
      ((await askDaemon(ctx, "resume")) as ResumeReply | undefined) ??
      withStorage(ctx, (s) => resumeReply(new AgentPause(s.state, systemClock).resume()));
    printData(reply, {
      json: args.json === true,
      text: (r) =>
        r.resumed
          ? `resumed: agent work was paused until ${r.was_paused_until}`
          : "nothing to resume: agent work is not paused",
    });
  },
});
