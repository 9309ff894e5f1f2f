import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

let counter = 0;

function tempPathFor(target: string): string {
  counter++;
  return join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${counter}`);
}

const FLUSH_AT = 256 * 1024;

/**
 * Writes a file through a temp file in the same directory and a rename, so a reader (or a crash)
 * sees the old file or the whole new one, never half. Text is buffered and flushed in large
 * writes, so streaming a big export costs few syscalls.
 */
export class AtomicWriter {
  readonly target: string;
  private readonly temp: string;
  private fd: number | null;
  private parts: string[] = [];
  private size = 0;

  constructor(target: string, mode = 0o644) {
    this.target = target;
    this.temp = tempPathFor(target);
    this.fd = openSync(this.temp, "wx", mode);
  }

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (this.fd === null || this.parts.length === 0) return;
    writeSync(this.fd, this.parts.join(""));
    this.parts = [];
    this.size = 0;
  }

  commit(): void {
    if (this.fd === null) throw new Error(`writer for ${this.target} already closed`);
    try {
      this.flush();
      fsyncSync(this.fd);
    } catch (error) {
      this.abort();
      throw error;
    }
    closeSync(this.fd);
    this.fd = null;
    try {
      renameSync(this.temp, this.target);
    } catch (error) {
      rmSync(this.temp, { force: true });
      throw error;
    }
  }

  /** Drops the temp file; the target is untouched. Safe to call more than once. */
  abort(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // Already failing; the temp file is removed below either way.
      }
      this.fd = null;
    }
    this.parts = [];
    rmSync(this.temp, { force: true });
  }
}

export function writeFileAtomic(target: string, content: string): void {
  const writer = new AtomicWriter(target);
  try {
    writer.write(content);
  } catch (error) {
    writer.abort();
    throw error;
  }
  writer.commit();
}
