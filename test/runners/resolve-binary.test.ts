import { describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ClaudeRunner } from "../../src/runners/claude-runner.ts";
import {
  CLAUDE_ABSOLUTE_LOCATIONS,
  CLAUDE_HOME_LOCATIONS,
  resolveBinary,
} from "../../src/runners/resolve-binary.ts";
import { tempDir } from "../support/tmp.ts";

function executable(dir: string, name = "claude"): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, "#!/bin/sh\nexit 0\n");
  chmodSync(file, 0o755);
  return file;
}

describe("binary resolution", () => {
  test("PATH without claude → unavailable (intent 30)", () => {
    const runner = new ClaudeRunner({ path: tempDir(), home: tempDir() });
    expect(runner.binary()).toBeNull();
    expect(runner.available()).toBe(false);
  });

  test("found on PATH; removed → unavailable; installed later → available (intent 31)", () => {
    const dir = tempDir();
    const runner = new ClaudeRunner({ path: `/nonexistent:${dir}`, home: tempDir() });
    expect(runner.available()).toBe(false);
    const bin = executable(dir);
    expect(runner.available()).toBe(true);
    expect(runner.binary()).toBe(bin);
    rmSync(bin);
    expect(runner.available()).toBe(false);
  });

  test("a configured path wins over PATH; a configured name is looked up on PATH", () => {
    const onPath = executable(tempDir());
    const configured = executable(tempDir(), "my-claude");
    const path = `${join(onPath, "..")}:${join(configured, "..")}`;
    expect(resolveBinary({ name: "claude", configured, path })).toBe(configured);
    expect(resolveBinary({ name: "claude", configured: "my-claude", path })).toBe(configured);
  });

  test("a configured path that is gone falls back to PATH", () => {
    const onPath = executable(tempDir());
    const found = resolveBinary({
      name: "claude",
      configured: "/nonexistent/claude",
      path: join(onPath, ".."),
    });
    expect(found).toBe(onPath);
  });

  test("non-executable files and relative PATH entries are skipped", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "claude"), "not executable");
    expect(resolveBinary({ name: "claude", path: `${dir}:.:` })).toBeNull();
  });

  test("usual install locations under HOME, in SDK order, after PATH", () => {
    const home = tempDir();
    const local = executable(join(home, ".claude/local"));
    const options = {
      name: "claude",
      path: tempDir(),
      home,
      homeLocations: CLAUDE_HOME_LOCATIONS,
      absoluteLocations: [] as string[],
    };
    expect(resolveBinary(options)).toBe(local);
    const npmGlobal = executable(join(home, ".npm-global/bin"));
    expect(resolveBinary(options)).toBe(npmGlobal);
    expect(CLAUDE_ABSOLUTE_LOCATIONS).toContain("/usr/local/bin");
  });
});
