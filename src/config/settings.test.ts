import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createConsola, type LogObject } from "consola";
import { configError, sandbox } from "../../test/support/config-sandbox.ts";
import { DEFAULT_CONFIG } from "./config.ts";
import { createConfigLoader, requireLedger } from "./load.ts";

describe("paths", () => {
  test("XDG-less defaults live under HOME and a missing default file means defaults", () => {
    const { home, load } = sandbox();
    const { paths, config } = load();
    expect(paths.db).toBe(join(home, ".local/state/agentwork/agentwork.db"));
    expect(paths.config).toBe(join(home, ".config/agentwork/config.yaml"));
    expect(paths.socket).toBe(`${paths.db}.sock`);
    expect(paths.stateDir).toBe(join(home, ".local/state/agentwork"));
    expect(paths.ledger).toBeNull();
    expect(config).toEqual({ ...DEFAULT_CONFIG });
  });

  test("XDG_STATE_HOME and XDG_CONFIG_HOME are honoured; relative ones are ignored", () => {
    const { home, load } = sandbox();
    const xdg = load({ env: { XDG_STATE_HOME: "/xs", XDG_CONFIG_HOME: "/xc" } }).paths;
    expect(xdg.db).toBe("/xs/agentwork/agentwork.db");
    expect(xdg.config).toBe("/xc/agentwork/config.yaml");
    const relative = load({ env: { XDG_STATE_HOME: "rel" } }).paths;
    expect(relative.db).toBe(join(home, ".local/state/agentwork/agentwork.db"));
  });

  test("flags beat env vars; relative paths resolve against cwd and ~ against HOME", () => {
    const { home, load } = sandbox();
    const env = { AGENTWORK_DB: "/env/a.db", AGENTWORK_LEDGER: "~/ledger" };
    expect(load({ env }).paths.db).toBe("/env/a.db");
    expect(load({ env }).paths.ledger).toBe(join(home, "ledger"));
    const flagged = load({ env, cwd: "/work", flags: { db: "state/b.db", ledger: "l" } }).paths;
    expect(flagged.db).toBe("/work/state/b.db");
    expect(flagged.socket).toBe("/work/state/b.db.sock");
    expect(flagged.ledger).toBe("/work/l");
  });

  test("an explicitly named config file must exist", () => {
    const { load } = sandbox();
    expect(configError(() => load({ flags: { config: "/nope/c.yaml" } }))).toContain(
      "/nope/c.yaml",
    );
    const msg = configError(() => load({ env: { AGENTWORK_CONFIG: "/nope/d.yaml" } }));
    expect(msg).toContain("/nope/d.yaml: the file does not exist");
  });

  test("requireLedger explains how to give one", () => {
    const { home, load } = sandbox();
    expect(() => requireLedger(load())).toThrow("--ledger DIR or set AGENTWORK_LEDGER");
    expect(() => requireLedger(load({ flags: { ledger: "missing" } }))).toThrow("not a directory");
    expect(requireLedger(load({ flags: { ledger: home } }))).toBe(home);
  });
});

describe("runner environment", () => {
  test("a snapshot without agentwork's own variables", () => {
    const { home, load } = sandbox();
    const { env, config } = load({
      env: {
        AGENTWORK_AGENT_BIN: "/opt/claude",
        AGENTWORK_DB: "/x.db",
        LANG: "C",
        CLAUDECODE: "1",
      },
    });
    expect(env.path).toBe("/usr/bin");
    expect(env.home).toBe(home);
    expect(config.agentBin).toBe("/opt/claude");
    expect(env.base).toEqual({ HOME: home, PATH: "/usr/bin", LANG: "C", CLAUDECODE: "1" });
    expect(Object.isFrozen(env.base)).toBe(true);
  });
});

describe("createConfigLoader", () => {
  function capture() {
    const logs: LogObject[] = [];
    const logger = createConsola({ level: 5, reporters: [{ log: (entry) => logs.push(entry) }] });
    return { logger, logs };
  }

  test("re-reads the file on every call", () => {
    const { configPath, load } = sandbox("max_concurrent: 1\n");
    const loader = createConfigLoader(load({ env: { AGENTWORK_MAX_ATTEMPTS: "9" } }));
    expect(loader().maxConcurrent).toBe(1);
    writeFileSync(configPath, "max_concurrent: 3\nenabled: false\n");
    const next = loader();
    expect([next.maxConcurrent, next.enabled, next.maxAttempts]).toEqual([3, false, 9]);
  });

  test("keeps the last good config when the file turns bad, and warns once per problem", () => {
    const { configPath, load } = sandbox("max_concurrent: 2\n");
    const { logger, logs } = capture();
    const loader = createConfigLoader(load(), logger);
    writeFileSync(configPath, "max_concurrent: 4\n");
    expect(loader().maxConcurrent).toBe(4);
    writeFileSync(configPath, "max_concurrent: [\n");
    expect(loader().maxConcurrent).toBe(4);
    expect(loader().maxConcurrent).toBe(4);
    writeFileSync(configPath, "max_concurrent: -1\n");
    expect(loader().maxConcurrent).toBe(4);
    const warnings = logs.filter((l) => l.type === "warn").map((l) => String(l.args[0]));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain("invalid YAML");
    expect(warnings[1]).toContain("`max_concurrent`");
    writeFileSync(configPath, "max_concurrent: 5\n");
    expect(loader().maxConcurrent).toBe(5);
    expect(logs.at(-1)?.args[0]).toContain("valid again");
  });

  test("a deleted default file means defaults again", () => {
    const { configPath, load } = sandbox("max_concurrent: 7\n");
    const loader = createConfigLoader(load());
    writeFileSync(configPath, "");
    expect(loader().maxConcurrent).toBe(DEFAULT_CONFIG.maxConcurrent);
  });

  test("settings not from loadSettings are refused", () => {
    const settings = sandbox().load();
    expect(() => createConfigLoader({ ...settings })).toThrow("loadSettings");
  });
});
