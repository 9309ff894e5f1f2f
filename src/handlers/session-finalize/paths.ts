import { lstatSync, realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { doNotRetry } from "../../core/errors.ts";

/**
 * Why a session name is unusable, or null when it is fine. Names become path segments under the
 * ledger, so anything that could climb out of `sessions/` or address another directory is refused.
 */
export function sessionNameProblem(name: string): string | null {
  if (name.length === 0) return "empty name";
  if (name.length > 255) return "name longer than 255 characters";
  if (name.includes("/") || name.includes("\\")) return "name contains a slash";
  if (name.includes("..")) return "name contains '..'";
  if (name.includes("\0")) return "name contains a NUL byte";
  if (name.startsWith(".")) return "name starts with '.'";
  return null;
}

export function assertSessionName(name: string): void {
  const problem = sessionNameProblem(name);
  if (problem)
    throw doNotRetry("E_UNSAFE_PATH", `refused session name ${JSON.stringify(name)}: ${problem}`);
}

/** True when `child` is `root` or lies below it (both already absolute and normalised). */
export function isWithin(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/** realpath that tolerates a missing leaf: resolves the nearest existing ancestor. */
export function realpathLoose(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    const parent = resolve(abs, "..");
    if (parent === abs) return abs;
    return join(realpathLoose(parent), abs.slice(parent.length + 1));
  }
}

/**
 * Checks that `target` (after following every symlink) stays inside one of `roots`. Throws an
 * E_UNSAFE_PATH error that must not be retried otherwise.
 */
export function assertInside(target: string, roots: string[], what: string): string {
  const real = realpathLoose(target);
  for (const root of roots) {
    if (isWithin(realpathLoose(root), real)) return real;
  }
  throw doNotRetry(
    "E_UNSAFE_PATH",
    `${what} ${target} resolves to ${real}, outside ${roots.join(", ")}`,
  );
}

/**
 * A link to a sibling session would finalize that session twice, the second time under the
 * alias's name (overwriting its meta.json). Returns why `path` (a symlink resolving to `real`) is
 * such an alias, or null.
 */
function aliasOf(path: string, real: string): string | null {
  return realpathLoose(dirname(path)) === dirname(real)
    ? `symlink is an alias of session ${basename(real)}`
    : null;
}

/** Throws E_UNSAFE_PATH when the session dir `path` is a symlink to a sibling session. */
export function assertNotAlias(path: string): void {
  let link = false;
  try {
    link = lstatSync(path).isSymbolicLink();
  } catch {
    return;
  }
  const problem = link ? aliasOf(path, realpathLoose(path)) : null;
  if (problem) throw doNotRetry("E_UNSAFE_PATH", `refused ${path}: ${problem}`);
}

/**
 * Classifies a directory entry that may be a session: a real directory, a symlink to a directory
 * inside `root` (accepted), or something to refuse. Returns the reason for refusal, null if ok,
 * and "skip" for entries that are simply not session dirs (files, dangling links).
 */
export function checkSessionEntry(root: string, path: string): null | "skip" | string {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(path);
  } catch {
    return "skip";
  }
  if (st.isDirectory()) return null;
  if (!st.isSymbolicLink()) return "skip";
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return "skip";
  }
  if (!isWithin(realpathLoose(root), real)) return `symlink points outside ${root} (to ${real})`;
  const alias = aliasOf(path, real);
  if (alias) return alias;
  try {
    return lstatSync(real).isDirectory() ? null : "skip";
  } catch {
    return "skip";
  }
}
