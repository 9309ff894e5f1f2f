import { STOP_GRACE_MS } from "../daemon/run-daemon.ts";
import type { MarkerStyle } from "./ownership.ts";
import type { ServiceSpec } from "./service-spec.ts";

export const SYSTEMD_UNIT_NAME = "agentwork.service";
export const SYSTEMD_MARKER: MarkerStyle = { line: (hash) => `# agentwork-sha256: ${hash}` };

/** Restarts allowed within the interval before systemd gives up (then `service status` says so). */
const START_LIMIT = { burst: 5, intervalSec: 600 };

/**
 * The systemd user unit, pure so tests can feed it to `systemd-analyze verify`. The daemon stops
 * gracefully on SIGTERM, so only the main process gets it (KillMode=mixed) and the stop timeout
 * leaves room for the daemon's own grace period.
 */
export function renderSystemdUnit(spec: ServiceSpec): string {
  const stopSec = Math.ceil(STOP_GRACE_MS / 1000) + 20;
  return [
    `# Written by \`agentwork service install\` (agentwork ${spec.version}).`,
    "# `agentwork service uninstall` removes it; agentwork leaves an edited copy alone.",
    "[Unit]",
    `Description=agentwork: finalizes recorded agent sessions in ${escapeSpecifiers(spec.ledger)}`,
    `StartLimitIntervalSec=${START_LIMIT.intervalSec}`,
    `StartLimitBurst=${START_LIMIT.burst}`,
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${spec.argv.map((arg, i) => quoteExecArg(arg, i === 0)).join(" ")}`,
    `Environment=${quoteValue(`PATH=${spec.path}`)}`,
    "Restart=on-failure",
    "RestartSec=10s",
    "KillMode=mixed",
    `TimeoutStopSec=${stopSec}s`,
    "",
    "[Install]",
    "WantedBy=default.target",
    "",
  ].join("\n");
}

/**
 * ExecStart words: `%` is expanded by systemd even inside quotes, so it is doubled; so is `$` in
 * the arguments (variable substitution), but not in the executable's path, which is taken as is.
 */
export function quoteExecArg(arg: string, executable: boolean): string {
  const escaped = executable ? arg : arg.replaceAll("$", "$$$$");
  return /^[\w@+=:,./-]+$/.test(escaped) ? escaped : quoteValue(escaped);
}

/** A double-quoted value with C-style escapes; `%` doubled (specifiers apply everywhere). */
function quoteValue(value: string): string {
  if (/[\n\r]/.test(value)) throw new Error(`a unit file value cannot hold a line break: ${value}`);
  return `"${escapeSpecifiers(value).replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

function escapeSpecifiers(value: string): string {
  return value.replaceAll("%", "%%");
}
