// The README's first command: copies the example ledger to .demo/ (so the repo stays clean) and
// runs one full daemon pass over it. Without Claude Code installed, session.md and session.html
// are still written and the summaries wait in the queue for an agent.
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { main } from "../src/cli/main.ts";

const root = join(import.meta.dir, "..");
const demo = join(root, ".demo");
rmSync(demo, { recursive: true, force: true });
mkdirSync(demo, { recursive: true });
cpSync(join(root, "examples/ledger"), join(demo, "ledger"), { recursive: true });

const code = await main([
  "daemon",
  "--once",
  "--ledger",
  join(demo, "ledger"),
  "--db",
  join(demo, "agentwork.db"),
  "--config",
  join(root, "examples/config.yaml"),
]);
if (code === 0) {
  await main([
    "status",
    "--db",
    join(demo, "agentwork.db"),
    "--config",
    join(root, "examples/config.yaml"),
  ]);
  console.log(`\nopen ${join(demo, "ledger/sessions")}/*/session.html to read the sessions`);
}
process.exit(code);
