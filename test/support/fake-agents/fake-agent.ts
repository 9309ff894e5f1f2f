import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../tmp.ts";

/**
 * A fake `claude` executable (a #!/bin/sh script) in its own temp dir. Before running `body` it
 * records argv (NUL-separated), env, cwd and stdin into files next to itself, draining stdin the
 * way the real CLI does, so tests can assert what the runner handed over.
 */
export interface FakeAgent {
  /** Absolute path of the script, for ClaudeRunner's agentBin. */
  bin: string;
  dir: string;
  argv(): string[];
  env(): Record<string, string>;
  cwd(): string;
  /** Octal mode and `ls -A` of the cwd as the agent saw it. */
  cwdMode(): string;
  cwdList(): string[];
  /** The content of the --system-prompt-file the agent was given. */
  systemPrompt(): string;
  stdin(): string;
  /** A pid the script wrote with `echo $! > "$DIR/gc.pid"` (grandchild tests). */
  pidFile(name: string): number;
}

/**
 * What the fake prints for `--help`: every lock-down flag the Claude runner probes for, as the
 * real 2.1.197 lists them.
 */
export const FAKE_CLAUDE_HELP = `Usage: claude [options] [command] [prompt]
  --bare                    Minimal mode ... via: --system-prompt[-file], --mcp-config
  --no-session-persistence  Disable session persistence
  --setting-sources <sources>  Comma-separated list of setting sources
  --strict-mcp-config       Only use MCP servers from --mcp-config
  --system-prompt <prompt>  System prompt to use for the session
  --tools <tools...>        Specify the list of available tools`;

export interface FakeAgentOptions {
  /** Printed for `--help` (default FAKE_CLAUDE_HELP). */
  help?: string;
  /** Shell code run for `--help` instead of printing `help` (a hang, a crash). */
  helpScript?: string;
  /** Printed for `--version`. */
  version?: string;
  /** The script's file name (default "claude"). */
  name?: string;
  /**
   * Other probe commands, by their argv joined with spaces ("exec --help", "features list"): the
   * text printed (exit 0), checked before the Claude probes.
   */
  probes?: Record<string, string>;
  /**
   * A file the runner names in the environment or argv holding the system prompt, copied to
   * `system-prompt` (e.g. '"$GEMINI_SYSTEM_MD"'); default: the --system-prompt-file argument.
   */
  systemPromptFile?: string;
}

export function fakeAgent(body: string, options: FakeAgentOptions = {}): FakeAgent {
  const dir = tempDir("agentwork-fake-claude-");
  const bin = join(dir, options.name ?? "claude");
  const probes = Object.entries(options.probes ?? {})
    .map(([args, text]) => `  ${shellQuote(args)}) printf '%s\\n' ${shellQuote(text)}; exit 0 ;;`)
    .join("\n");
  const script = `#!/bin/sh
DIR=${shellQuote(dir)}
case "$*" in
${probes}
esac
case "$1" in
  --help) ${options.helpScript ?? `printf '%s\\n' ${shellQuote(options.help ?? FAKE_CLAUDE_HELP)}; exit 0`} ;;
  --version) printf '%s\\n' ${shellQuote(options.version ?? "2.1.197 (Claude Code)")}; exit 0 ;;
esac
printf '%s\\0' "$@" > "$DIR/argv"
env > "$DIR/env"
pwd > "$DIR/cwd"
stat -c %a . > "$DIR/cwd-mode"
ls -A > "$DIR/cwd-list"
prev=""
for arg in "$@"; do
  if [ "$prev" = "--system-prompt-file" ]; then cat "$arg" > "$DIR/system-prompt"; fi
  prev="$arg"
done
${options.systemPromptFile ? `cat ${options.systemPromptFile} > "$DIR/system-prompt"` : ""}
cat > "$DIR/stdin"
${body}
`;
  writeFileSync(bin, script);
  chmodSync(bin, 0o755);
  const read = (name: string) => readFileSync(join(dir, name), "utf8");
  return {
    bin,
    dir,
    argv: () => read("argv").split("\0").slice(0, -1),
    env: () =>
      Object.fromEntries(
        read("env")
          .split("\n")
          .filter((l) => l.includes("="))
          .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
      ),
    cwd: () => read("cwd").trim(),
    cwdMode: () => read("cwd-mode").trim(),
    cwdList: () => read("cwd-list").split("\n").filter(Boolean),
    systemPrompt: () => read("system-prompt"),
    stdin: () => read("stdin"),
    pidFile: (name) => {
      const file = join(dir, name);
      return existsSync(file) ? Number(readFileSync(file, "utf8").trim()) : 0;
    },
  };
}

/** `printf '%s\n' '<line>'` for each line: fixture bytes reach stdout exactly as written. */
export function printLines(...lines: string[]): string {
  return lines.map((line) => `printf '%s\\n' ${shellQuote(line)}`).join("\n");
}

export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
