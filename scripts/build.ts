// Builds the single-file executable dist/agentwork (migrations and the version are embedded).
import { join } from "node:path";
import { COMPILE_FLAGS, ENTRYPOINTS } from "./compile-flags.ts";

const root = join(import.meta.dir, "..");
const outfile = join(root, "dist/agentwork");
const proc = Bun.spawnSync(
  [process.execPath, "build", ...COMPILE_FLAGS, ...ENTRYPOINTS, "--outfile", outfile],
  { cwd: root, stdout: "inherit", stderr: "inherit" },
);
if (proc.exitCode !== 0) process.exit(proc.exitCode ?? 1);
console.log(`built ${outfile}`);
