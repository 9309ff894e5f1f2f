import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  installService,
  serviceStatus,
  uninstallService,
} from "../../src/service/service-install.ts";
import { systemdManager } from "../../src/service/systemd.ts";
import { buildBinary, cli } from "../e2e/binary-harness.ts";
import { tempDir } from "../support/tmp.ts";

let bin = "";
beforeAll(() => {
  bin = buildBinary();
});

function userSetup() {
  const home = tempDir("agentwork-home-");
  const ledger = join(home, "ledger");
  mkdirSync(join(ledger, "sessions"), { recursive: true });
  mkdirSync(join(home, ".config", "agentwork"), { recursive: true });
  writeFileSync(join(home, ".config", "agentwork", "config.yaml"), "max_concurrent: 1\n");
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_STATE_HOME: join(home, ".local/state"),
    USER: "dana",
  };
  const unitPath = join(home, ".config", "systemd", "user", "agentwork.service");
  const args = ["--ledger", ledger, "--db", join(home, "state", "agentwork.db")];
  return { home, ledger, env, unitPath, args };
}

/** A user bus answers `systemctl --user`; containers and CI runners usually have none. */
function userBus(): boolean {
  const r = Bun.spawnSync(["systemctl", "--user", "show", "--property=Version"], {
    stdout: "pipe",
    stderr: "pipe",
  });
  return r.exitCode === 0;
}

describe("agentwork service (Linux, systemd)", () => {
  test("--dry-run prints the unit: this executable, absolute config, db and ledger", async () => {
    const u = userSetup();
    const r = await cli(bin, ["service", "install", "--dry-run", ...u.args], u.env);
    expect(r.code).toBe(0);
    const exec = r.stdout.split("\n").find((l) => l.startsWith("ExecStart="));
    expect(exec).toBe(
      `ExecStart=${bin} daemon --ledger ${u.ledger} --db ${u.args[3]} --config ${join(u.home, ".config/agentwork/config.yaml")}`,
    );
    expect(r.stdout).toContain("Restart=on-failure");
    expect(existsSync(u.unitPath)).toBe(false);
  });

  test("never overwrites or removes a unit it did not write", async () => {
    const u = userSetup();
    mkdirSync(join(u.home, ".config", "systemd", "user"), { recursive: true });
    const theirs = "[Service]\nExecStart=/usr/bin/their-agentwork\n";
    writeFileSync(u.unitPath, theirs);
    for (const verb of ["install", "uninstall"]) {
      const r = await cli(bin, ["service", verb, ...u.args], u.env);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${u.unitPath} was not written by agentwork service install`);
      expect(r.stderr).toContain("move it aside");
    }
    expect(readFileSync(u.unitPath, "utf8")).toBe(theirs);
    const status = await cli(bin, ["service", "status", "--json", ...u.args], u.env);
    expect(JSON.parse(status.stdout)).toMatchObject({ installed: true, ownership: "foreign" });
  });

  test("uninstall without a unit is not an error; status says not installed", async () => {
    const u = userSetup();
    const r = await cli(bin, ["service", "uninstall", ...u.args], u.env);
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toContain("service not installed");
    const status = await cli(bin, ["service", "status", "--json", ...u.args], u.env);
    expect(JSON.parse(status.stdout)).toMatchObject({
      installed: false,
      running: false,
      pid: null,
    });
  });

  test("install/uninstall round trip where a user bus exists; otherwise a clear refusal", async () => {
    const u = userSetup();
    if (!userBus()) {
      const r = await cli(bin, ["service", "install", ...u.args], u.env);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("no systemd user session to install into");
      expect(r.stderr).toContain("sudo loginctl enable-linger dana");
      expect(existsSync(u.unitPath)).toBe(false);
      return;
    }
    // The user manager reads units from the real ~/.config/systemd/user, so the round trip uses
    // a unit name of its own there and never touches the user's agentwork.service.
    const configHome = process.env.XDG_CONFIG_HOME ?? join(process.env.HOME ?? "", ".config");
    const manager = systemdManager({
      configHome,
      user: process.env.USER ?? "",
      env: process.env as Record<string, string>,
      unitName: `agentwork-test-${process.pid}.service`,
    });
    const spec = {
      argv: [bin, "daemon", ...u.args],
      path: process.env.PATH ?? "",
      ledger: u.ledger,
      version: "test",
    };
    try {
      expect((await installService(manager, spec)).action).toBe("installed");
      expect((await installService(manager, spec)).action).toBe("unchanged");
      const status = await serviceStatus(manager);
      expect(status).toMatchObject({ installed: true, ownership: "ours", enabled: true });
      expect(status.pid).toBeGreaterThan(0);
    } finally {
      expect((await uninstallService(manager)).action).toBe("removed");
    }
    expect(existsSync(manager.unitPath)).toBe(false);
  });
});
