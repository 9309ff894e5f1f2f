import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { configError, sandbox } from "../../test/support/config-sandbox.ts";
import { type Config, DEFAULT_CONFIG } from "./config.ts";

describe("layering: defaults < file < env < flags", () => {
  const yaml = "max_concurrent: 3\nmax_attempts: 5\nmodel: from-file\n";

  test("each layer overrides the one before", () => {
    const { load } = sandbox(yaml);
    expect(load().config.maxConcurrent).toBe(3);
    const env = { AGENTWORK_MAX_CONCURRENT: "4", AGENTWORK_MODEL: "from-env" };
    const withEnv = load({ env }).config;
    expect([withEnv.maxConcurrent, withEnv.maxAttempts, withEnv.model]).toEqual([4, 5, "from-env"]);
    const withFlag = load({ env, flags: { settings: { max_concurrent: "6" } } }).config;
    expect([withFlag.maxConcurrent, withFlag.model]).toEqual([6, "from-env"]);
    expect(withFlag.maxQueueDepth).toBe(DEFAULT_CONFIG.maxQueueDepth);
  });

  test("empty env vars and undefined flags count as not given", () => {
    const { load } = sandbox(yaml);
    const config = load({
      env: { AGENTWORK_MAX_CONCURRENT: "" },
      flags: { settings: { max_concurrent: undefined } },
    }).config;
    expect(config.maxConcurrent).toBe(3);
  });

  test("the result is frozen", () => {
    const { config } = sandbox().load();
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.scanDirs)).toBe(true);
  });
});

describe("every key", () => {
  const fullYaml = `
enabled: false
agent_type: claude
agent_bin: ~/bin/claude
model: claude-sonnet-4-5
max_turns: 4
max_invocations_per_hour: 10
max_concurrent: 1
max_attempts: 7
max_queue_depth: 50
session_finalize: no
quality_upload_threshold: 0.5
quality_discard_threshold: 0.2
doctor_interval: 1h30m
run_timeout: 10m
scan_dirs: [extra, ~/more, /abs]
git_push: false
retention: 7d
redact_patterns:
  - name: acme_id
    pattern: "ACME-[0-9]{6}"
publishing: manual
git_remote: upstream
git_branch: ledger
git_timeout: 2m
sources: [claude, gemini]
source_projects: ["~/src/**", "!**/scratch/**"]
source_idle: 10m
`;
  const expected = (home: string, base: string): Config => ({
    enabled: false,
    agentType: "claude",
    agentBin: join(home, "bin/claude"),
    model: "claude-sonnet-4-5",
    maxTurns: 4,
    maxInvocationsPerHour: 10,
    maxConcurrent: 1,
    maxAttempts: 7,
    maxQueueDepth: 50,
    sessionFinalize: false,
    qualityUploadThreshold: 0.5,
    qualityDiscardThreshold: 0.2,
    doctorIntervalMs: 5_400_000,
    runTimeoutMs: 600_000,
    scanDirs: [join(base, "extra"), join(home, "more"), "/abs"],
    gitPush: false,
    retentionMs: 7 * 86_400_000,
    exportToolOutputLimit: 20_000,
    redactPatterns: [{ name: "acme_id", pattern: "ACME-[0-9]{6}" }],
    publishing: "manual",
    gitRemote: "upstream",
    gitBranch: "ledger",
    gitTimeoutMs: 120_000,
    ledger: null,
    sources: ["claude", "gemini"],
    sourceProjects: [join(home, "src/**"), "!**/scratch/**"],
    sourceIdleMs: 600_000,
  });

  test("from YAML (relative scan_dirs resolve against the file's directory)", () => {
    const { home, configPath, load } = sandbox(fullYaml);
    expect(load().config).toEqual(expected(home, join(configPath, "..")));
  });

  test("from AGENTWORK_* env vars (scan dirs `:`-separated, relative to cwd)", () => {
    const { home, load } = sandbox();
    const env = {
      AGENTWORK_ENABLED: "false",
      AGENTWORK_AGENT_TYPE: "claude",
      AGENTWORK_AGENT_BIN: "~/bin/claude",
      AGENTWORK_MODEL: "claude-sonnet-4-5",
      AGENTWORK_MAX_TURNS: "4",
      AGENTWORK_MAX_INVOCATIONS_PER_HOUR: "10",
      AGENTWORK_MAX_CONCURRENT: "1",
      AGENTWORK_MAX_ATTEMPTS: "7",
      AGENTWORK_MAX_QUEUE_DEPTH: "50",
      AGENTWORK_SESSION_FINALIZE: "off",
      AGENTWORK_QUALITY_UPLOAD_THRESHOLD: "0.5",
      AGENTWORK_QUALITY_DISCARD_THRESHOLD: "0.2",
      AGENTWORK_DOCTOR_INTERVAL: "1h30m",
      AGENTWORK_RUN_TIMEOUT: "10m",
      AGENTWORK_SCAN_DIRS: "extra:~/more::/abs",
      AGENTWORK_GIT_PUSH: "0",
      AGENTWORK_RETENTION: "7d",
      AGENTWORK_REDACT_PATTERNS: '[{"name":"acme_id","pattern":"ACME-[0-9]{6}"}]',
      AGENTWORK_PUBLISHING: "manual",
      AGENTWORK_GIT_REMOTE: "upstream",
      AGENTWORK_GIT_BRANCH: "ledger",
      AGENTWORK_GIT_TIMEOUT: "2m",
      AGENTWORK_SOURCES: "claude,gemini",
      AGENTWORK_SOURCE_PROJECTS: "~/src/**,!**/scratch/**",
      AGENTWORK_SOURCE_IDLE: "10m",
    };
    expect(load({ env }).config).toEqual(expected(home, home));
  });

  test("a bare agent_bin is a command name for PATH lookup, not a relative path", () => {
    expect(sandbox("agent_bin: claude\n").load().config.agentBin).toBe("claude");
    const { home, load } = sandbox("agent_bin: bin/claude\n");
    expect(load().config.agentBin).toBe(join(home, ".config/agentwork/bin/claude"));
  });

  test("`ledger:` in the file is the ledger when neither --ledger nor AGENTWORK_LEDGER names one", () => {
    const { home, load } = sandbox("ledger: ~/ledger\n");
    expect(load().paths.ledger).toBe(join(home, "ledger"));
    expect(load({ env: { AGENTWORK_LEDGER: "/elsewhere" } }).paths.ledger).toBe("/elsewhere");
  });

  test("sources: unknown agents and bad globs name the key", () => {
    expect(() => sandbox("sources: [claude, cursor]\n").load()).toThrow(
      /`sources`.*claude, codex, gemini/,
    );
    expect(() => sandbox('source_projects: ["!"]\n').load()).toThrow(/`source_projects`/);
    expect(() => sandbox("source_idle: 30\n").load()).toThrow(/`source_idle`/);
    expect(sandbox().load().config.sources).toEqual([]);
  });

  test("nullable keys accept null in YAML", () => {
    const { config } = sandbox("model: null\nmax_turns: ~\nagent_bin:\n").load();
    expect([config.model, config.maxTurns, config.agentBin]).toEqual([null, null, null]);
  });
});

describe("bad values name the key, the source, the value and what is allowed", () => {
  test.each([
    ["max_concurrent: 0", "`max_concurrent`", "got 0; expected a whole number from 1 to 64"],
    ["max_concurrent: 65", "`max_concurrent`", "got 65; expected a whole number from 1 to 64"],
    ["max_attempts: 2.5", "`max_attempts`", "whole number from 1 to 100"],
    [
      "max_turns: many",
      "`max_turns`",
      'got "many"; expected a whole number from 1 to 1000, or null',
    ],
    ["run_timeout: 1e400", "`run_timeout`", "got Infinity; expected a duration such as"],
    ["run_timeout: 5x", "`run_timeout`", 'got "5x"; expected a duration such as 30s'],
    ["run_timeout: 25d", "`run_timeout`", "from 1s to 1d"],
    ["doctor_interval: 25d", "`doctor_interval`", "from 1s to 7d"],
    ["retention: 99999d", "`retention`", "from 1s to 3650d"],
    ["export_tool_output_limit: 0", "`export_tool_output_limit`", "from 1 to 10000000"],
    ["enabled: maybe", "`enabled`", "expected true or false"],
    ["agent_type: copilot", "`agent_type`", "expected one of: auto, claude, codex, gemini"],
    ["quality_upload_threshold: 1.5", "`quality_upload_threshold`", "from 0 to 1"],
    ["doctor_interval: 5", "`doctor_interval`", "a bare number has no unit (write 5s or 5m)"],
    ["run_timeout: soon", "`run_timeout`", "30s, 5m, 1h30m"],
    ["retention: 0s", "`retention`", "from 1s to 3650d"],
    ["scan_dirs: /one/path", "`scan_dirs`", "a list of directory paths"],
    ["model: ''", "`model`", "a non-empty string"],
    ["redact_patterns: [{name: x, pattern: '('}]", "`redact_patterns`", "entry 1 (x): Invalid"],
    ["redact_patterns: [{name: X Y, pattern: a}]", "`redact_patterns`", "name must match"],
    ["redact_patterns: ['a*']", "`redact_patterns`", "matches the empty string"],
    ["publishing: later", "`publishing`", "one of: auto, manual"],
    ["git_remote: '-oops'", "`git_remote`", "a git remote or branch name"],
  ])("%s", (yaml, key, fragment) => {
    const { configPath, load } = sandbox(`# comment\n${yaml}\n`);
    const message = configError(() => load());
    expect(message).toContain(key);
    expect(message).toContain(`${configPath} line 2`);
    expect(message).toContain(fragment);
  });

  test("from an env var", () => {
    const message = configError(() =>
      sandbox().load({ env: { AGENTWORK_MAX_CONCURRENT: "lots" } }),
    );
    expect(message).toBe(
      'invalid value for `max_concurrent` in environment variable AGENTWORK_MAX_CONCURRENT: got "lots"; expected a whole number from 1 to 64',
    );
  });

  test("from a flag", () => {
    const message = configError(() =>
      sandbox().load({ flags: { settings: { run_timeout: "90" } } }),
    );
    expect(message).toContain("flag --run-timeout");
    expect(message).toContain("write e.g. 90s");
  });

  test("discard threshold above upload threshold", () => {
    const { configPath, load } = sandbox("quality_discard_threshold: 0.6\n");
    const message = configError(() => load());
    expect(message).toContain("quality_discard_threshold (0.6, from");
    expect(message).toContain(configPath);
    expect(message).toContain("quality_upload_threshold (0.3, from the defaults)");
  });
});

describe("unknown keys", () => {
  test("in the file: line and suggestion", () => {
    const { configPath, load } = sandbox("enabled: true\nmax_concurent: 3\n");
    const message = configError(() => load());
    expect(message).toContain(`unknown config key \`max_concurent\` in ${configPath} line 2`);
    expect(message).toContain("did you mean `max_concurrent`?");
    expect(message).toContain("Known keys: enabled, agent_type");
  });

  test("in the environment: spelled as a variable", () => {
    const message = configError(() => sandbox().load({ env: { AGENTWORK_MAX_ATTEMPT: "3" } }));
    expect(message).toContain("unknown environment variable AGENTWORK_MAX_ATTEMPT.");
    expect(message).toContain("did you mean `AGENTWORK_MAX_ATTEMPTS`?");
  });

  test("a flag", () => {
    const message = configError(() => sandbox().load({ flags: { settings: { modle: "x" } } }));
    expect(message).toContain("unknown flag --modle. did you mean `--model`?");
  });

  test("no suggestion for something unrelated", () => {
    expect(configError(() => sandbox("colour_scheme: dark\n").load())).not.toContain(
      "did you mean",
    );
  });
});

describe("corrupt YAML", () => {
  test("names the file and line", () => {
    const { configPath, load } = sandbox("enabled: true\nmax_concurrent: [1, 2\nmodel: x\n");
    const message = configError(() => load());
    expect(message).toMatch(new RegExp(`^invalid YAML in ${configPath} line \\d+: `));
  });

  test("an alias bomb is a config error naming the file", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (const [prev, name] of ["ab", "bc", "cd", "de", "ef", "fg", "gh", "hi"]) {
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    const { configPath, load } = sandbox(`${levels.join("\n")}\n`);
    const message = configError(() => load());
    expect(message).toStartWith(`invalid YAML in ${configPath}: `);
    expect(message).toContain("alias");
  });

  test("duplicate keys are an error", () => {
    const message = configError(() => sandbox("model: a\nmodel: b\n").load());
    expect(message).toContain("line 2");
  });

  test("a top-level list is not a config", () => {
    expect(configError(() => sandbox("- a\n- b\n").load())).toContain("must be a mapping");
  });

  test("an empty or comment-only file means defaults", () => {
    expect(sandbox("").load().config).toEqual({ ...DEFAULT_CONFIG });
    expect(sandbox("# nothing yet\n").load().config).toEqual({ ...DEFAULT_CONFIG });
  });
});
