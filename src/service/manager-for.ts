import { userInfo } from "node:os";
import { isAbsolute, join } from "node:path";
import type { Settings } from "../config/load.ts";
import { AgentworkError } from "../core/errors.ts";
import { launchdManager } from "./launchd.ts";
import type { ServiceManager } from "./service-manager.ts";
import { systemdManager } from "./systemd.ts";

/** The service manager of this platform: systemd on Linux, launchd on macOS. */
export function managerFor(settings: Settings, platform: NodeJS.Platform): ServiceManager {
  const env = settings.env.base as Record<string, string>;
  const home = settings.env.home;
  const user = env.USER || env.LOGNAME || userInfo().username;
  if (platform === "linux") {
    const xdg = env.XDG_CONFIG_HOME;
    const configHome = xdg && isAbsolute(xdg) ? xdg : join(home, ".config");
    return systemdManager({ configHome, user, env });
  }
  if (platform === "darwin") return launchdManager({ home, uid: userInfo().uid, env });
  throw new AgentworkError(
    "E_SERVICE",
    `agentwork service supports Linux (systemd) and macOS (launchd), not ${platform}; run \`agentwork daemon\` under your own supervisor`,
    { retry: "never" },
  );
}
