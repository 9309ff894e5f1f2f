import { join, resolve } from "node:path";
import { defineCommand } from "citty";
import { SOURCE_KINDS } from "../../config/config.ts";
import { sourceKinds } from "../../config/source-keys.ts";
import { AgentworkError } from "../../core/errors.ts";
import { globalArgs, jsonArg } from "../common-args.ts";
import { commandContext } from "../context.ts";
import { updateConfigFile } from "../init/config-update.ts";
import { initLedger } from "../init/ledger-init.ts";
import { printData } from "../output.ts";

export default defineCommand({
  meta: {
    name: "init",
    description: "Create a ledger (git repo), point the config at it, choose transcript sources",
  },
  args: {
    ...globalArgs,
    ...jsonArg,
    dir: {
      type: "positional",
      description: "Ledger directory (default: the configured ledger, else ~/agentwork-ledger)",
      required: false,
    },
    remote: { type: "string", description: "Git remote URL the ledger pushes to" },
    sources: {
      type: "string",
      description: `Agent CLIs whose transcripts are imported, comma-separated: ${SOURCE_KINDS.join(",")}`,
    },
  },
  async run({ args }) {
    // init writes the config: a --config file that does not exist yet is created.
    const ctx = commandContext(args, { configMayBeMissing: true });
    const { settings } = ctx;
    const sources = args.sources === undefined ? undefined : sourceKinds(args.sources);
    if (sources && !sources.ok)
      throw new AgentworkError(
        "E_USAGE",
        `--sources ${args.sources}: expected ${sources.expected}`,
      );
    const dir = args.dir
      ? resolve(args.dir)
      : (settings.paths.ledger ?? join(settings.env.home, "agentwork-ledger"));
    const ledger = await initLedger(dir, {
      remote: args.remote,
      remoteName: settings.config.gitRemote,
      env: { ...settings.env.base },
    });
    const values: Record<string, unknown> = { ledger: dir };
    // Without a remote there is nowhere to push: commits stay local until one is added.
    if (!ledger.hasRemote) values.git_push = false;
    else if (args.remote) values.git_push = true;
    if (sources?.ok) values.sources = sources.value;
    const configChanged = updateConfigFile(settings.paths.config, values);
    const chosen = sources?.ok ? sources.value : settings.config.sources;
    const data = {
      ledger: dir,
      created: ledger.created,
      committed: ledger.committed,
      remote_added: ledger.remoteAdded,
      config: settings.paths.config,
      config_changed: configChanged,
      sources: chosen,
      git_push: ledger.hasRemote,
    };
    printData(data, {
      json: args.json === true,
      // A config outside the default place must be named again by every later command.
      text: (d) =>
        nextSteps(d, args.remote, settings.paths.configExplicit ? ` --config ${d.config}` : ""),
    });
  },
});

function nextSteps(
  d: {
    git_push: boolean;
    ledger: string;
    created: boolean;
    config: string;
    config_changed: boolean;
    sources: string[];
  },
  remote: string | undefined,
  configFlag: string,
): string {
  const lines = [
    d.created ? `created the ledger ${d.ledger}` : `${d.ledger} is already a ledger; completed it`,
    d.config_changed
      ? `wrote ledger${d.sources.length ? " and sources" : ""} to ${d.config}`
      : `${d.config} already up to date`,
    d.sources.length > 0
      ? `transcripts of ${d.sources.join(", ")} are imported (redacted) once idle for source_idle${remote ? `, and pushed to ${remote}` : ""}`
      : "no transcript sources: add --sources claude,codex,gemini to import your agent CLIs' sessions",
    d.git_push
      ? "commits are pushed to the ledger's remote"
      : "no remote: commits stay local (git_push: false); add one with agentwork init --remote URL",
    "",
    "next steps:",
    `  agentwork doctor${configFlag}            # check the agent CLI, the ledger and the remote`,
    `  agentwork daemon --once${configFlag}     # one pass now: import, summarize, commit`,
    `  agentwork service install${configFlag}   # keep it running in the background`,
  ];
  return lines.join("\n");
}
