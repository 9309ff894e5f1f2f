import { defineCommand } from "citty";
import { requireLedger } from "../../config/load.ts";
import { runDaemon } from "../../daemon/run-daemon.ts";
import { globalArgs } from "../common-args.ts";
import { commandContext } from "../context.ts";

export default defineCommand({
  meta: {
    name: "daemon",
    description: "Run the scheduler in the foreground (--once: one full pass, wait for it, exit)",
  },
  args: {
    ...globalArgs,
    once: { type: "boolean", description: "Cleanup, detect, process what can run now, then exit" },
  },
  async run({ args }) {
    const ctx = commandContext(args);
    process.exitCode = await runDaemon({
      settings: ctx.settings,
      ledgerPath: requireLedger(ctx.settings),
      logger: ctx.logger,
      once: args.once === true,
    });
  },
});
