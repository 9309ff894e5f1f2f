import { setDefaultTimeout } from "bun:test";

// Preloaded by bunfig.toml for every test file. Tests must not inherit a developer's agentwork
// settings or a parent Claude Code session's variables.
for (const key of Object.keys(process.env)) {
  if (key.startsWith("AGENTWORK_") || key === "CLAUDECODE" || key.startsWith("CLAUDE_CODE_")) {
    delete process.env[key];
  }
}

// bun test's default is 5 s per test and hook, and bunfig.toml has no key for it; real child
// processes, the real agent CLIs and chromium on a busy 2-core machine need more. 30 s is the
// ceiling for one case.
setDefaultTimeout(30_000);
