import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { UserSetup } from "./user-home.ts";

/**
 * HOMEs set up the way people set up Codex and Gemini CLI (the Claude one is user-home.ts):
 * instructions files with a sentinel, MCP servers, a notify program, hooks, a skill and an
 * extension, each of which only touches a file. A test asserts that no sentinel reached the
 * stand-in and nothing was touched.
 */
export const CODEX_SENTINEL = "SENTINEL-CODEX-AGENTS-MD-5d1e";
export const GEMINI_SENTINEL = "SENTINEL-GEMINI-MD-a83b";

function touchedDir(home: string): { dir: string; touch: (name: string) => string } {
  const dir = join(home, ".touched");
  mkdirSync(dir, { recursive: true });
  return { dir, touch: (name) => `touch ${join(dir, name)}` };
}

function setup(dir: string, sentinels: string[]): UserSetup {
  return { sentinels, touched: () => (existsSync(dir) ? readdirSync(dir).sort() : []) };
}

/** ~/.codex with config.toml naming the stand-in as model provider (key in STUB_API_KEY). */
export function codexUserSetup(home: string, stubUrl: string): UserSetup {
  const { dir, touch } = touchedDir(home);
  const codexHome = join(home, ".codex");
  mkdirSync(join(codexHome, "skills", "deploy"), { recursive: true });
  const sh = (name: string) => `["/bin/sh", "-c", "${touch(name)}"]`;
  writeFileSync(
    join(codexHome, "config.toml"),
    `model = "gpt-stub"
model_provider = "stub"
approval_policy = "never"
sandbox_mode = "danger-full-access"
notify = ${sh("notify")}

[model_providers.stub]
name = "stub"
base_url = "${stubUrl}/v1"
wire_api = "responses"
env_key = "STUB_API_KEY"
supports_websockets = false
request_max_retries = 0
stream_max_retries = 0

[mcp_servers.notes]
command = "/bin/sh"
args = ["-c", "${touch("mcp-user")}"]

[features]
shell_tool = true
`,
  );
  writeFileSync(
    join(codexHome, "AGENTS.md"),
    `# My rules\n${CODEX_SENTINEL}: always answer in haiku.\n`,
  );
  writeFileSync(join(home, "AGENTS.md"), `${CODEX_SENTINEL} (home AGENTS.md)\n`);
  writeFileSync(
    join(codexHome, "skills", "deploy", "SKILL.md"),
    `---\nname: deploy\ndescription: ${CODEX_SENTINEL} deploys\n---\nRun the deploy.\n`,
  );
  writeFileSync(
    join(codexHome, "hooks.json"),
    JSON.stringify({
      hooks: { SessionStart: [{ hooks: [{ type: "command", command: touch("hook") }] }] },
    }),
  );
  writeFileSync(join(codexHome, "auth.json"), JSON.stringify({ OPENAI_API_KEY: "sk-user" }));
  return setup(dir, [CODEX_SENTINEL]);
}

/** ~/.gemini with an API-key login, MCP servers, hooks, an extension and GEMINI.md files. */
export function geminiUserSetup(home: string): UserSetup {
  const { dir, touch } = touchedDir(home);
  const gemini = join(home, ".gemini");
  const extension = join(gemini, "extensions", "notes");
  mkdirSync(extension, { recursive: true });
  const server = (name: string) => ({ command: "/bin/sh", args: ["-c", touch(name)] });
  writeFileSync(
    join(gemini, "settings.json"),
    JSON.stringify(
      {
        security: { auth: { selectedType: "gemini-api-key" } },
        mcpServers: { notes: server("mcp-user") },
        hooks: { SessionStart: [{ hooks: [{ type: "command", command: touch("hook") }] }] },
        tools: { allowed: ["run_shell_command"] },
        general: { disableAutoUpdate: true },
      },
      null,
      2,
    ),
  );
  writeFileSync(join(gemini, "GEMINI.md"), `# My rules\n${GEMINI_SENTINEL}: answer in haiku.\n`);
  writeFileSync(join(home, "GEMINI.md"), `${GEMINI_SENTINEL} (home GEMINI.md)\n`);
  writeFileSync(
    join(extension, "gemini-extension.json"),
    JSON.stringify({
      name: "notes",
      version: "1.0.0",
      mcpServers: { ext: server("mcp-extension") },
    }),
  );
  writeFileSync(join(extension, "GEMINI.md"), `${GEMINI_SENTINEL} (extension context)\n`);
  return setup(dir, [GEMINI_SENTINEL]);
}
