import { expect } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type LoadSettingsOptions, loadSettings } from "../../src/config/load.ts";
import { AgentworkError } from "../../src/core/errors.ts";
import { tempDir } from "./tmp.ts";

/** A sandbox home with an optional config file at the default XDG location. */
export function sandbox(yaml?: string) {
  const home = tempDir();
  const configPath = join(home, ".config", "agentwork", "config.yaml");
  if (yaml !== undefined) {
    mkdirSync(join(home, ".config", "agentwork"), { recursive: true });
    writeFileSync(configPath, yaml);
  }
  const load = (options: LoadSettingsOptions = {}) =>
    loadSettings({ cwd: home, ...options, env: { HOME: home, PATH: "/usr/bin", ...options.env } });
  return { home, configPath, load };
}

export function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AgentworkError);
    expect((error as AgentworkError).code).toBe("E_CONFIG");
    return (error as Error).message;
  }
  throw new Error("expected an E_CONFIG error");
}
