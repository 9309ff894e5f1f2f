// Preloaded by bunfig.toml for every test file. Tests must not inherit a developer's agentwork
// settings or a parent Claude Code session's variables.
for (const key of Object.keys(process.env)) {
  if (key.startsWith("AGENTWORK_") || key === "CLAUDECODE" || key.startsWith("CLAUDE_CODE_")) {
    delete process.env[key];
  }
}
