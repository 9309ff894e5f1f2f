import { defineCommand } from "citty";
import { requireLedger } from "../../config/load.ts";
import { runDaemon } from "../../daemon/run-daemon.ts";
import { startDashboard } from "../../ui/run-ui.ts";
import { globalArgs } from "../common-args.ts";
import { commandContext } from "../context.ts";
import { portArg } from "../port-arg.ts";

export default defineCommand({
  meta: {
    name: "daemon",
    description: "Run the scheduler in the foreground (--once: one full pass, wait for it, exit)",
  },
  args: {
    ...globalArgs,
    once: { type: "boolean", description: "Cleanup, detect, process what can run now, then exit" },
    ui: { type: "boolean", description: "Also serve the web dashboard (as `agentwork ui`)" },
    "ui-port": { type: "string", description: "The dashboard's port (default: a free one)" },
  },
  async run({ args }) {
    const ctx = commandContext(args);
    const ledgerPath = requireLedger(ctx.settings);
    const ui = args.ui
      ? await startDashboard(ctx.settings, ctx.logger, {
          port: portArg(args["ui-port"], "--ui-port"),
          open: false,
        })
      : null;
    try {
      process.exitCode = await runDaemon({
        settings: ctx.settings,
        ledgerPath,
        logger: ctx.logger,
        once: args.once === true,
      });
    } finally {
      await ui?.stop();
    }
  },
});
