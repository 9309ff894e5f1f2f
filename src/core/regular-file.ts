import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  type Stats,
} from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { dirname, isAbsolute, relative, sep } from "node:path";
import { AgentworkError } from "./errors.ts";

/**
 * The one way agentwork opens a file it did not write (transcripts, markers, summaries): an
 * attacker who can write into a ledger must not make a read hang (a FIFO, /dev/zero), leak another
 * file (a symlink out of the session) or grow without end. Every open is O_NOFOLLOW (a symlink is
 * accepted only when it resolves inside `within`, and then the target itself is opened without
 * following), O_NONBLOCK (opening a FIFO returns at once instead of waiting for a writer), and then
 * checked with fstat: only a regular file is read. Reads are bounded by `maxBytes` and, for the
 * streaming reader, each read by a deadline.
 */

export const MAX_TRANSCRIPT_BYTES = 4 * 1024 ** 3;
/** A read of a regular file that takes this long is on a hung mount: give up on that file. */
export const READ_DEADLINE_MS = 10_000;

const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

export interface OpenOptions {
  /** A symlink is followed only when its target lies inside this directory. */
  within?: string;
  maxBytes?: number;
}

function unsafe(message: string): AgentworkError {
  return new AgentworkError("E_UNSAFE_PATH", message, { retry: "never" });
}

function inside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

function kindOf(st: Stats): string {
  if (st.isFIFO()) return "a FIFO";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  if (st.isSocket()) return "a socket";
  if (st.isDirectory()) return "a directory";
  return "not a regular file";
}

/** The path to open: `path` itself, or a symlink's target when it stays inside `within`. */
function target(path: string, within: string | undefined): string {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw error;
    throw unsafe(`cannot inspect ${path}: ${String(error)}`);
  }
  if (!st.isSymbolicLink()) return path;
  if (within === undefined) throw unsafe(`${path} is a symlink`);
  const real = realpathSync(path);
  if (!inside(realpathSync(within), real)) {
    throw unsafe(`${path} is a symlink to ${real}, outside ${within}`);
  }
  return real;
}

function checkRegular(st: Stats, path: string, maxBytes: number | undefined): void {
  if (!st.isFile()) throw unsafe(`${path} is ${kindOf(st)}, not a regular file`);
  const limit = maxBytes ?? MAX_TRANSCRIPT_BYTES;
  if (st.size > limit) throw unsafe(`${path} is ${st.size} bytes, over the ${limit}-byte limit`);
}

/** Opens a regular file for streaming; ENOENT passes through, anything unsafe is E_UNSAFE_PATH. */
export async function openRegularFile(
  path: string,
  options: OpenOptions = {},
): Promise<{ fh: FileHandle; size: number }> {
  const real = target(path, options.within ?? dirname(path));
  const fh = await open(real, FLAGS).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ELOOP") throw unsafe(`${path} changed into a symlink while opening`);
    throw error;
  });
  try {
    const st = await fh.stat();
    checkRegular(st, path, options.maxBytes);
    return { fh, size: st.size };
  } catch (error) {
    await fh.close();
    throw error;
  }
}

/** One read with a deadline: a hung mount fails this file instead of holding the pass (or a stop). */
export function readWithin<T>(read: Promise<T>, path: string, ms = READ_DEADLINE_MS): Promise<T> {
  const signal = AbortSignal.timeout(ms);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(
        new AgentworkError("E_SESSION_READ", `reading ${path} took over ${ms} ms; skipped`, {
          retry: "retry",
        }),
      );
    signal.addEventListener("abort", onAbort, { once: true });
    read.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Closes without waiting: after a read timed out on a hung mount the close can hang as well, and
 * nothing (a detection pass, a stop) may wait on it.
 */
export function releaseFile(fh: FileHandle): void {
  void fh.close().catch(() => {});
}

/** A small file (marker, summary.json) read whole, synchronously, under the same checks. */
export function readRegularFileSync(path: string, options: OpenOptions = {}): string {
  return readRegularFileBytesSync(path, options).toString("utf8");
}

/** The same read, as bytes (for hashing what was read without encoding it again). */
export function readRegularFileBytesSync(
  path: string,
  options: OpenOptions & {
    /**
     * A buffer of at least `size` bytes to read into (the result is a view of it, valid until
     * the caller reuses it): a caller reading many files saves a fresh allocation, and its page
     * faults, per file.
     */
    into?: (size: number) => Buffer;
  } = {},
): Buffer {
  const real = target(path, options.within ?? dirname(path));
  const fd = openSync(real, FLAGS);
  try {
    const st = fstatSync(fd);
    checkRegular(st, path, options.maxBytes ?? 16 * 1024 * 1024);
    const buf = options.into?.(st.size) ?? Buffer.allocUnsafe(st.size);
    let got = 0;
    while (got < st.size) {
      const n = readSync(fd, buf, got, st.size - got, null);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}
