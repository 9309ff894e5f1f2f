import { type Dirent, readdirSync, type Stats, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { SourceKind } from "../config/config.ts";
import { readRegularFileSync } from "../core/regular-file.ts";
import type { SourceFile } from "./imported-session.ts";
import type { SourceRoots } from "./roots.ts";

/**
 * Lists each source's transcripts with stat only (no reads, except Gemini's one-line
 * `.project_root` per project), so a re-scan with nothing new costs about what `find` does.
 * A missing root is no transcripts; an unreadable directory is reported and skipped.
 */
export interface Discovery {
  files: SourceFile[];
  problems: { path: string; reason: string }[];
}

function list(dir: string, problems: Discovery["problems"]): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTDIR")
      problems.push({ path: dir, reason: String(error) });
    return [];
  }
}

function statOf(path: string): Stats | null {
  try {
    const st = statSync(path);
    return st.isFile() ? st : null;
  } catch {
    return null;
  }
}

/** A transcript plus the files folded into it, with their summed size and latest mtime. */
function sourceFile(
  kind: SourceKind,
  id: string,
  path: string,
  parts: string[],
  project: string | null,
): SourceFile | null {
  const st = statOf(path);
  if (!st) return null;
  let size = st.size;
  let mtimeMs = Math.floor(st.mtimeMs);
  const kept: string[] = [];
  for (const part of parts) {
    const ps = statOf(part);
    if (!ps) continue;
    kept.push(part);
    size += ps.size;
    mtimeMs = Math.max(mtimeMs, Math.floor(ps.mtimeMs));
  }
  return { kind, id, path, parts: kept, project, size, mtimeMs };
}

function jsonlIn(dir: string, problems: Discovery["problems"]): string[] {
  return list(dir, problems)
    .filter((e) => e.isFile() && e.name.endsWith(".jsonl"))
    .map((e) => join(dir, e.name))
    .sort();
}

function claude(root: string, problems: Discovery["problems"]): SourceFile[] {
  const out: SourceFile[] = [];
  for (const project of list(root, problems)) {
    if (!project.isDirectory()) continue;
    const dir = join(root, project.name);
    const entries = list(dir, problems);
    const dirs = new Set(entries.filter((e) => e.isDirectory()).map((e) => e.name));
    for (const entry of entries) {
      if (!entry.isFile() || !entry.name.endsWith(".jsonl")) continue;
      const id = entry.name.slice(0, -".jsonl".length);
      const parts = dirs.has(id) ? jsonlIn(join(dir, id, "subagents"), problems) : [];
      const file = sourceFile("claude", id, join(dir, entry.name), parts, null);
      if (file) out.push(file);
    }
  }
  return out;
}

function codex(root: string, problems: Discovery["problems"]): SourceFile[] {
  const out: SourceFile[] = [];
  const digits = (e: Dirent) => e.isDirectory() && /^\d+$/.test(e.name);
  for (const year of list(root, problems).filter(digits)) {
    for (const month of list(join(root, year.name), problems).filter(digits)) {
      for (const day of list(join(root, year.name, month.name), problems).filter(digits)) {
        const dir = join(root, year.name, month.name, day.name);
        for (const entry of list(dir, problems)) {
          if (!entry.isFile() || !/^rollout-.*\.jsonl$/.test(entry.name)) continue;
          const file = sourceFile(
            "codex",
            entry.name.slice(0, -6),
            join(dir, entry.name),
            [],
            null,
          );
          if (file) out.push(file);
        }
      }
    }
  }
  return out;
}

function projectRoot(dir: string): string | null {
  try {
    const text = readRegularFileSync(join(dir, ".project_root"), { maxBytes: 4096 }).trim();
    return text === "" ? null : text;
  } catch {
    return null;
  }
}

function gemini(root: string, problems: Discovery["problems"]): SourceFile[] {
  const out: SourceFile[] = [];
  for (const project of list(root, problems)) {
    if (!project.isDirectory()) continue;
    const chats = join(root, project.name, "chats");
    const entries = list(chats, problems);
    if (entries.length === 0) continue;
    const dirs = entries.filter((e) => e.isDirectory()).map((e) => e.name);
    const where = projectRoot(join(root, project.name));
    const names = new Set(entries.map((e) => e.name));
    for (const entry of entries) {
      // A resumed legacy chat is rewritten as `<same name>.jsonl`; the `.json` is then history.
      if (entry.name.endsWith(".json") && names.has(`${entry.name}l`)) continue;
      const m = /^session-.*-([A-Za-z0-9_-]{1,64})\.jsonl?$/.exec(entry.name);
      if (!entry.isFile() || !m) continue;
      // Subagent chats live in chats/<parent session id>/; the file name has its first 8 chars.
      const short = m[1] ?? "";
      const parts = dirs
        .filter((d) => d.startsWith(short))
        .flatMap((d) => jsonlIn(join(chats, d), problems));
      const id = basename(entry.name).replace(/\.jsonl?$/, "");
      const file = sourceFile("gemini", id, join(chats, entry.name), parts, where);
      if (file) out.push(file);
    }
  }
  return out;
}

const DISCOVER: Record<
  SourceKind,
  (root: string, problems: Discovery["problems"]) => SourceFile[]
> = {
  claude,
  codex,
  gemini,
};

export function discoverSources(kinds: readonly SourceKind[], roots: SourceRoots): Discovery {
  const result: Discovery = { files: [], problems: [] };
  for (const kind of kinds) result.files.push(...DISCOVER[kind](roots[kind], result.problems));
  return result;
}
