import { defineCommand } from "citty";
import { requireLedger } from "../../config/load.ts";
import { AgentworkError } from "../../core/errors.ts";
import { runAttached } from "../../core/process.ts";
import { managerFor } from "../../service/manager-for.ts";
import {
  installService,
  type ServiceStatus,
  serviceStatus,
  uninstallService,
} from "../../service/service-install.ts";
import { runningProgram, serviceSpec } from "../../service/service-spec.ts";
import { VERSION } from "../../version.ts";
import { globalArgs, jsonArg } from "../common-args.ts";
import { type CommandContext, commandContext } from "../context.ts";
import { printData } from "../output.ts";

const manager = (ctx: CommandContext) => managerFor(ctx.settings, process.platform);

const install = defineCommand({
  meta: {
    name: "install",
    description: "Install, enable and start the daemon as a user service (systemd or launchd)",
  },
  args: {
    ...globalArgs,
    ...jsonArg,
    "dry-run": { type: "boolean", description: "Print the unit file instead of installing it" },
  },
  async run({ args }) {
    const ctx = commandContext(args);
    const spec = serviceSpec(
      ctx.settings,
      requireLedger(ctx.settings),
      runningProgram(process.execPath, Bun.main),
      VERSION,
    );
    const m = manager(ctx);
    if (args["dry-run"]) {
      const unit = { unit_path: m.unitPath, text: m.render(spec) };
      printData(unit, { json: args.json === true, text: (u) => u.text });
      return;
    }
    const report = await installService(m, spec);
    printData(report, {
      json: args.json === true,
      text: (r) =>
        [
          r.action === "unchanged"
            ? `service already installed: ${r.unit_path} (started)`
            : `service ${r.action}: ${r.unit_path} (enabled and started)`,
          ...r.notes,
        ].join("\n"),
    });
  },
});

const uninstall = defineCommand({
  meta: { name: "uninstall", description: "Stop, disable and remove the user service" },
  args: { ...globalArgs, ...jsonArg },
  async run({ args }) {
    const report = await uninstallService(manager(commandContext(args)));
    printData(report, {
      json: args.json === true,
      text: (r) =>
        r.action === "removed"
          ? `service removed: ${r.unit_path}`
          : `service not installed (${r.unit_path} does not exist)`,
    });
  },
});

const status = defineCommand({
  meta: { name: "status", description: "Whether the service is installed, enabled and running" },
  args: { ...globalArgs, ...jsonArg },
  async run({ args }) {
    const report = await serviceStatus(manager(commandContext(args)));
    printData(report, { json: args.json === true, text: renderServiceStatus });
  },
});

const logs = defineCommand({
  meta: { name: "logs", description: "Show and follow the service's log" },
  args: {
    ...globalArgs,
    lines: { type: "string", description: "Lines of history to show first (default 100)" },
    follow: {
      type: "boolean",
      default: true,
      description: "Keep following (--no-follow: print and exit)",
    },
  },
  async run({ args }) {
    const lines = args.lines === undefined ? 100 : Number(args.lines);
    if (!Number.isInteger(lines) || lines < 0) {
      throw new AgentworkError("E_USAGE", `--lines takes a whole number, got "${args.lines}"`);
    }
    const ctx = commandContext(args);
    const code = await runAttached(manager(ctx).logsArgv(lines, args.follow !== false), {
      env: ctx.settings.env.base,
    });
    process.exitCode = code === 0 ? 0 : 1;
  },
});

export function renderServiceStatus(s: ServiceStatus): string {
  if (!s.installed)
    return `service: not installed (${s.unit_path}); run \`agentwork service install\``;
  const owner =
    s.ownership === "ours"
      ? ""
      : s.ownership === "edited"
        ? " (edited since agentwork wrote it)"
        : " (not written by agentwork)";
  const enabled = s.enabled === null ? "unknown" : s.enabled ? "yes" : "no";
  const running = s.running ? `running (pid ${s.pid})` : `not running: ${s.detail}`;
  return [
    `service: installed ${s.unit_path}${owner}`,
    `enabled: ${enabled}`,
    `state:   ${running}`,
  ].join("\n");
}

export default defineCommand({
  meta: {
    name: "service",
    description: "Run the daemon as a user service: install | uninstall | status | logs",
  },
  subCommands: { install, uninstall, status, logs },
});
