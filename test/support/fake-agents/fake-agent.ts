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
  stdin(): string;
  /** A pid the script wrote with `echo $! > "$DIR/gc.pid"` (grandchild tests). */
  pidFile(name: string): number;
}

export function fakeAgent(body: string): FakeAgent {
  const dir = tempDir("agentwork-fake-claude-");
  const bin = join(dir, "claude");
  const script = `#!/bin/sh
DIR=${shellQuote(dir)}
printf '%s\\0' "$@" > "$DIR/argv"
env > "$DIR/env"
pwd > "$DIR/cwd"
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
