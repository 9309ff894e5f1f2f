import { join, relative } from "node:path";
import type { DirScan } from "./detect.ts";
import { isWithin, realpathLoose } from "./paths.ts";

/** Where to look: `<ledger>/sessions` first, then each scan dir (copied in when outside). */
export function scanLocations(ledgerPath: string, scanDirs: readonly string[]): DirScan[] {
  const ledgerSessions = join(ledgerPath, "sessions");
  const scans: DirScan[] = [{ dir: ledgerSessions, root: ledgerPath }];
  const seen = new Set([realpathLoose(ledgerSessions)]);
  const ledgerReal = realpathLoose(ledgerPath);
  for (const dir of scanDirs) {
    const real = realpathLoose(dir);
    if (seen.has(real)) continue;
    seen.add(real);
    const inside = isWithin(ledgerReal, real);
    scans.push(inside ? { dir, root: ledgerPath } : { dir, root: dir, importInto: ledgerSessions });
  }
  return scans;
}

/** Session roots inside the ledger, relative to it: `sessions` and scan dirs inside it. */
export function ledgerRoots(ledgerPath: string, scanDirs: readonly string[]): string[] {
  const ledger = realpathLoose(ledgerPath);
  const roots = new Set(["sessions"]);
  for (const scan of scanLocations(ledgerPath, scanDirs)) {
    const real = realpathLoose(scan.dir);
    if (scan.importInto === undefined && isWithin(ledger, real) && real !== ledger) {
      roots.add(relative(ledger, real));
    }
  }
  return [...roots];
}
