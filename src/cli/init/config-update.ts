import { mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import type * as Yaml from "yaml";
import { parseConfigText } from "../../config/file.ts";
import { AgentworkError } from "../../core/errors.ts";
import { writeFileAtomic } from "../../handlers/session-finalize/atomic-write.ts";

/**
 * Sets top-level keys of the YAML config file, keeping every other key, the comments and the
 * order (yaml's document model round-trips them). A missing file is created. Returns true when
 * the file changed. A file that is not valid YAML is refused, never overwritten.
 */
export function updateConfigFile(path: string, values: Record<string, unknown>): boolean {
  const { parseDocument } = require("yaml") as typeof Yaml;
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  // Throws E_CONFIG naming the file and line when the current text is broken.
  parseConfigText(text, path);
  const doc = parseDocument(
    text === "" ? "# agentwork configuration (see examples/config.yaml)\n" : text,
  );
  for (const [key, value] of Object.entries(values)) {
    const node = doc.createNode(value);
    if (Array.isArray(value)) (node as { flow?: boolean }).flow = true;
    doc.set(key, node);
  }
  const next = doc.toString();
  if (next === text) return false;
  parseConfigText(next, path);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileAtomic(path, next);
  } catch (error) {
    throw new AgentworkError("E_CONFIG", `cannot write config file ${path}: ${String(error)}`, {
      retry: "never",
      cause: error,
    });
  }
  return true;
}
