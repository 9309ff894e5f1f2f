import { readFileSync } from "node:fs";
import type * as Yaml from "yaml";
import { AgentworkError } from "../core/errors.ts";

/** One `key: value` from the YAML file, with the line it was written on for error messages. */
export interface FileEntry {
  key: string;
  value: unknown;
  line: number | undefined;
}

/**
 * Reads the YAML config file into raw entries. A missing file is an empty config unless the user
 * named the file explicitly, in which case a typo in the path must not silently mean "defaults".
 */
export function readConfigFile(path: string, explicit: boolean): FileEntry[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && !explicit) return [];
    const why = code === "ENOENT" ? "the file does not exist" : (error as Error).message;
    throw new AgentworkError("E_CONFIG", `cannot read config file ${path}: ${why}`, {
      retry: "never",
      cause: error,
    });
  }
  return parseConfigText(text, path);
}

export function parseConfigText(text: string, path: string): FileEntry[] {
  // Loaded only when there is a file to parse: a start without one skips it (bench/results/cli.md).
  const { isMap, isScalar, LineCounter, parseDocument } = require("yaml") as typeof Yaml;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = lineCounter.linePos(first.pos[0]).line;
    throw configError(`invalid YAML in ${path} line ${line}: ${first.message.split("\n")[0]}`);
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return [];
  if (!isMap(doc.contents)) {
    throw configError(
      `config file ${path} must be a mapping of keys to values (like "max_concurrent: 2")`,
    );
  }
  const entries: FileEntry[] = [];
  for (const pair of doc.contents.items) {
    const keyNode = pair.key;
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    const offset = isScalar(keyNode) ? keyNode.range?.[0] : undefined;
    const value = nodeValue(pair.value, doc, path);
    entries.push({
      key,
      value: value === undefined ? null : value,
      line: offset === undefined ? undefined : lineCounter.linePos(offset).line,
    });
  }
  return entries;
}

/**
 * Resolving aliases can fail (an alias bomb trips the yaml library's alias limit, a bad alias
 * points nowhere): any such failure is a config error naming the file, never an unexpected one.
 */
function nodeValue(node: unknown, doc: unknown, path: string): unknown {
  if (node === null) return null;
  try {
    return (node as { toJS?: (d: unknown, o: unknown) => unknown }).toJS?.(doc, {
      maxAliasCount: 100,
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw configError(`invalid YAML in ${path}: ${why}`);
  }
}

function configError(message: string): AgentworkError {
  return new AgentworkError("E_CONFIG", message, { retry: "never" });
}
