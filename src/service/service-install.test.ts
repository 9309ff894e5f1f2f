import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../test/support/tmp.ts";
import { installService, serviceStatus, uninstallService } from "./service-install.ts";
import type { ServiceManager } from "./service-manager.ts";
import type { ServiceSpec } from "./service-spec.ts";
import { systemdManager } from "./systemd.ts";

const spec = (ledger: string): ServiceSpec => ({
  argv: ["/usr/local/bin/agentwork", "daemon", "--ledger", ledger],
  path: "/usr/bin:/bin",
  ledger,
  version: "0.1.0",
});

/** The real systemd manager over a recording `systemctl` (logic only; test/service runs the real one). */
function recordingManager(options: { bus?: boolean; linger?: string } = {}) {
  const calls: string[] = [];
  const manager: ServiceManager = systemdManager({
    configHome: join(tempDir(), ".config"),
    user: "dana",
    env: {},
    run: async (argv) => {
      calls.push(argv.slice(argv[0] === "systemctl" ? 2 : 0).join(" "));
      const noBus = options.bus === false && argv[0] === "systemctl";
      const stdout = argv[0] === "loginctl" ? `${options.linger ?? "yes"}\n` : "";
      return {
        exitCode: noBus ? 1 : 0,
        stdout,
        stderr: noBus ? "Failed to connect to bus: No medium found" : "",
        timedOut: false,
      };
    },
  });
  return { manager, calls };
}

describe("installService / uninstallService", () => {
  test("install writes, enables and starts; again is unchanged; a new spec updates and restarts", async () => {
    const { manager, calls } = recordingManager({ linger: "no" });
    const first = await installService(manager, spec("/l1"));
    expect(first.action).toBe("installed");
    expect(first.notes[0]).toContain("sudo loginctl enable-linger dana");
    expect(calls).toContain("enable agentwork.service");
    expect(calls).toContain("start agentwork.service");
    calls.length = 0;
    expect((await installService(manager, spec("/l1"))).action).toBe("unchanged");
    expect(calls).not.toContain("restart agentwork.service");
    expect((await installService(manager, spec("/l2"))).action).toBe("updated");
    expect(calls).toContain("restart agentwork.service");
    expect(readFileSync(manager.unitPath, "utf8")).toContain("--ledger /l2");
  });

  test("an edited unit is neither overwritten nor removed", async () => {
    const { manager, calls } = recordingManager();
    await installService(manager, spec("/l1"));
    const edited = readFileSync(manager.unitPath, "utf8").replace(
      "RestartSec=10s",
      "RestartSec=1s",
    );
    writeFileSync(manager.unitPath, edited);
    calls.length = 0;
    await expect(installService(manager, spec("/l1"))).rejects.toThrow(
      "was edited after agentwork wrote it, so agentwork will not overwrite it",
    );
    await expect(uninstallService(manager)).rejects.toThrow("will not remove it");
    expect(readFileSync(manager.unitPath, "utf8")).toBe(edited);
    expect(calls).toEqual([]);
  });

  test("without a user bus nothing is written", async () => {
    const { manager } = recordingManager({ bus: false });
    await expect(installService(manager, spec("/l1"))).rejects.toThrow(
      "no systemd user session to install into (systemctl --user: Failed to connect to bus",
    );
    expect(existsSync(manager.unitPath)).toBe(false);
    expect(await serviceStatus(manager)).toMatchObject({ installed: false });
  });

  test("uninstall disables, removes and reloads; a second uninstall is a no-op", async () => {
    const { manager, calls } = recordingManager();
    await installService(manager, spec("/l1"));
    calls.length = 0;
    expect((await uninstallService(manager)).action).toBe("removed");
    expect(calls).toEqual([
      "show --property=Version",
      "disable --now agentwork.service",
      "daemon-reload",
    ]);
    expect(existsSync(manager.unitPath)).toBe(false);
    expect((await uninstallService(manager)).action).toBe("not_installed");
  });
});
