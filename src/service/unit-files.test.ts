import { describe, expect, test } from "bun:test";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parsePlist } from "../../test/support/plist.ts";
import { tempDir } from "../../test/support/tmp.ts";
import { LAUNCHD_LABEL, LAUNCHD_MARKER, renderLaunchdPlist } from "./launchd-plist.ts";
import { ownershipOf, stampOwned } from "./ownership.ts";
import type { ServiceSpec } from "./service-spec.ts";
import { renderSystemdUnit, SYSTEMD_MARKER } from "./systemd-unit.ts";

const awkward = '/home/a user/100% "real" $HOME/led&<ger>';

function spec(exe: string): ServiceSpec {
  return {
    argv: [exe, "daemon", "--ledger", awkward, "--db", "/var/x y/agentwork.db"],
    path: "/opt/with space/bin:/usr/bin:/bin",
    ledger: awkward,
    version: "0.1.0",
  };
}

/** `systemd-analyze --user verify`: exit status and every line it printed. */
function verify(unitText: string): { code: number; output: string } {
  const dir = tempDir();
  const runtime = join(dir, "runtime");
  mkdirSync(runtime, { mode: 0o700 });
  const file = join(dir, "agentwork.service");
  writeFileSync(file, unitText);
  const r = Bun.spawnSync(["systemd-analyze", "--user", "verify", file], {
    env: { PATH: "/usr/bin:/bin", HOME: dir, XDG_RUNTIME_DIR: runtime },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: r.exitCode, output: `${r.stdout}${r.stderr}`.trim() };
}

describe("the systemd unit", () => {
  test("passes systemd-analyze verify with spaces, %, $ and quotes in every path", () => {
    // The executable itself sits under an awkward name: verify resolves it, so a quoting
    // mistake shows as "not executable".
    const dir = join(tempDir(), "bin dir %n $USER");
    mkdirSync(dir);
    const exe = join(dir, "agent work");
    symlinkSync("/bin/true", exe);
    const unit = stampOwned(renderSystemdUnit(spec(exe)), SYSTEMD_MARKER);
    expect(verify(unit)).toEqual({ code: 0, output: "" });
    expect(unit).toContain("Restart=on-failure");
    expect(unit).toMatch(/StartLimitBurst=\d+/);
    expect(unit).toContain('"/home/a user/100%% \\"real\\" $$HOME/led&<ger>"');
  });

  test("verify does fail on a broken unit (the check above can fail)", () => {
    const broken = renderSystemdUnit(spec("/nonexistent/agentwork")).replace(
      "Restart=on-failure",
      "Restart=sometimes",
    );
    const result = verify(broken);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("/nonexistent/agentwork");
  });
});

describe("the launchd plist", () => {
  test("parses as a strict property list with the daemon's argv, RunAtLoad, KeepAlive and the log", () => {
    const text = stampOwned(
      renderLaunchdPlist(
        spec("/Applications/agent work/agentwork"),
        "/Users/a/Library/Logs/agentwork.log",
      ),
      LAUNCHD_MARKER,
    );
    expect(parsePlist(text)).toEqual({
      Label: LAUNCHD_LABEL,
      ProgramArguments: spec("/Applications/agent work/agentwork").argv,
      EnvironmentVariables: { PATH: "/opt/with space/bin:/usr/bin:/bin" },
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ThrottleInterval: 10,
      StandardOutPath: "/Users/a/Library/Logs/agentwork.log",
      StandardErrorPath: "/Users/a/Library/Logs/agentwork.log",
    });
  });

  test("the strict parser rejects what plutil would", () => {
    const good = renderLaunchdPlist(spec("/x"), "/log");
    expect(() => parsePlist(good.replace("<true/>", "<yes/>"))).toThrow("unexpected <yes/>");
    expect(() => parsePlist(good.replace("</array>", ""))).toThrow();
    expect(() => parsePlist(good.replace("&amp;", "&"))).toThrow("unknown entity");
  });
});

describe("ownership marker", () => {
  const body = "[Unit]\nDescription=x\n";
  test("a stamped file is ours; an edit or a missing marker is not", () => {
    const stamped = stampOwned(body, SYSTEMD_MARKER);
    expect(ownershipOf(stamped)).toBe("ours");
    expect(ownershipOf(stamped.replace("x", "y"))).toBe("edited");
    expect(ownershipOf(body)).toBe("foreign");
    expect(ownershipOf(stampOwned("<plist/>", LAUNCHD_MARKER))).toBe("ours");
  });
});
