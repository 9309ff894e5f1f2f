import { type SessionEntry, toolArgs } from "../entry.ts";
import type { FileChange } from "../summary.ts";

export type FileAction = "Created" | "Modified" | "Deleted";

interface Tracked {
  action: FileAction;
  added: number;
  removed: number;
}

const PATH_WITH_EXT = /^[^\s|;&<>]+\.[A-Za-z0-9]{1,10}$/;

function lineCount(text: unknown): number {
  if (typeof text !== "string" || text === "") return 0;
  return text.split("\n").length;
}

/**
 * Which files a session touched, from Write/Edit/MultiEdit calls (with line counts) and simple
 * `touch`/`rm`/`mv` shell commands (upstream's summary.md "Files Modified" rules).
 */
export class FileChangeTracker {
  private readonly files = new Map<string, Tracked>();

  private touch(path: string, action: FileAction, added = 0, removed = 0): void {
    const prev = this.files.get(path);
    if (prev) {
      prev.action = action === "Created" && prev.action !== "Deleted" ? "Modified" : action;
      prev.added += added;
      prev.removed += removed;
    } else {
      this.files.set(path, { action, added, removed });
    }
  }

  add(entry: SessionEntry): void {
    if (entry.role !== "tool" || !entry.toolName) return;
    const args = toolArgs(entry);
    const path =
      typeof args.file_path === "string"
        ? args.file_path
        : typeof args.path === "string"
          ? args.path
          : "";
    switch (entry.toolName) {
      case "Write":
        if (path) this.touch(path, "Created", lineCount(args.content));
        return;
      case "Edit":
        if (path)
          this.touch(path, "Modified", lineCount(args.new_string), lineCount(args.old_string));
        return;
      case "MultiEdit":
        if (!path) return;
        for (const edit of Array.isArray(args.edits) ? args.edits : []) {
          const e = (edit ?? {}) as Record<string, unknown>;
          this.touch(path, "Modified", lineCount(e.new_string), lineCount(e.old_string));
        }
        return;
      case "Bash":
        if (typeof args.command === "string") this.shell(args.command);
        return;
    }
  }

  private shell(command: string): void {
    for (const part of command.split(/&&|\|\||;|\n/)) {
      const words = part
        .trim()
        .split(/\s+/)
        .filter((w) => w !== "" && !w.startsWith("-"));
      const paths = words.slice(1).filter((w) => PATH_WITH_EXT.test(w));
      if (words[0] === "touch") for (const p of paths) this.touch(p, "Created");
      else if (words[0] === "rm") for (const p of paths) this.touch(p, "Deleted");
      else if (words[0] === "mv" && words.length === 3 && paths.length === 2) {
        this.touch(paths[0] as string, "Deleted");
        this.touch(paths[1] as string, "Created");
      }
    }
  }

  get size(): number {
    return this.files.size;
  }

  /** Sorted by path. */
  list(): { path: string; action: FileAction; added: number; removed: number }[] {
    return [...this.files.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, t]) => ({ path, ...t }));
  }

  /** summary.json's `files_changed` (only files with line counts, as upstream's HTML view). */
  toFilesChanged(): FileChange[] {
    return this.list()
      .filter((f) => f.action !== "Deleted")
      .map((f) =>
        f.removed > 0
          ? { path: f.path, added: f.added, removed: f.removed }
          : { path: f.path, added: f.added },
      );
  }
}
