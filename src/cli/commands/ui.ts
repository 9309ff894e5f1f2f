import { defineCommand } from "citty";
import { runDashboard } from "../../ui/run-ui.ts";
import { globalArgs } from "../common-args.ts";
import { commandContext } from "../context.ts";
import { portArg } from "../port-arg.ts";

export default defineCommand({
  meta: {
    name: "ui",
    description: "Serve the web dashboard on 127.0.0.1 (prints a URL with a token)",
  },
  args: {
    ...globalArgs,
    port: { type: "string", description: "Port on 127.0.0.1 (default: a free one)" },
    open: { type: "boolean", description: "Open the URL in the desktop's browser" },
  },
  async run({ args }) {
    const ctx = commandContext(args);
    await runDashboard(ctx.settings, ctx.logger, {
      port: portArg(args.port, "--port"),
      open: args.open === true,
    });
  },
});
