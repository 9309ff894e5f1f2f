import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { AgentworkError } from "../core/errors.ts";
import { type Ownership, ownershipOf } from "./ownership.ts";
import type { ServiceManager, ServiceState } from "./service-manager.ts";
import type { ServiceSpec } from "./service-spec.ts";

/**
 * Install, uninstall and status, the same for every service manager. Idempotent: installing what
 * is installed changes nothing, uninstalling what is not installed is not an error. A file that
 * agentwork did not write, or that was edited since, is never overwritten or removed.
 */
export interface InstallReport {
  action: "installed" | "updated" | "unchanged";
  unit_path: string;
  notes: string[];
}

export async function installService(
  manager: ServiceManager,
  spec: ServiceSpec,
): Promise<InstallReport> {
  const text = manager.render(spec);
  const existing = readUnit(manager.unitPath);
  if (existing !== null) refuseUnlessOurs(manager, existing, "overwrite");
  const why = await manager.unavailable();
  if (why !== null) throw new AgentworkError("E_SERVICE", why, { retry: "never" });
  const changed = existing !== text;
  if (changed) writeUnit(manager.unitPath, text);
  await manager.activate(existing !== null && changed);
  const action = existing === null ? "installed" : changed ? "updated" : "unchanged";
  return { action, unit_path: manager.unitPath, notes: await manager.notes() };
}

export interface UninstallReport {
  action: "removed" | "not_installed";
  unit_path: string;
}

export async function uninstallService(manager: ServiceManager): Promise<UninstallReport> {
  const existing = readUnit(manager.unitPath);
  if (existing === null) return { action: "not_installed", unit_path: manager.unitPath };
  refuseUnlessOurs(manager, existing, "remove");
  const why = await manager.unavailable();
  if (why !== null) throw new AgentworkError("E_SERVICE", why, { retry: "never" });
  await manager.deactivate();
  rmSync(manager.unitPath, { force: true });
  await manager.forget();
  return { action: "removed", unit_path: manager.unitPath };
}

export interface ServiceStatus {
  manager: ServiceManager["kind"];
  unit_path: string;
  installed: boolean;
  /** Who wrote the file: agentwork ("ours"), agentwork but edited since, or someone else. */
  ownership: Ownership | null;
  enabled: boolean | null;
  running: boolean;
  pid: number | null;
  detail: string;
}

/** `reachManager` false: only the file is looked at (doctor's quick check). */
export async function serviceStatus(
  manager: ServiceManager,
  reachManager = true,
): Promise<ServiceStatus> {
  const existing = readUnit(manager.unitPath);
  const base = { manager: manager.kind, unit_path: manager.unitPath };
  if (existing === null) {
    return { ...base, installed: false, ownership: null, ...notRunning("not installed") };
  }
  const ownership = ownershipOf(existing);
  let state: ServiceState = notRunning("service manager not asked");
  if (reachManager) {
    const why = await manager.unavailable();
    state = why === null ? await manager.state() : notRunning(why);
  }
  return { ...base, installed: true, ownership, ...state };
}

function notRunning(detail: string): ServiceState {
  return { enabled: null, running: false, pid: null, detail };
}

function refuseUnlessOurs(manager: ServiceManager, text: string, verb: string): void {
  const ownership = ownershipOf(text);
  if (ownership === "ours") return;
  const whose =
    ownership === "edited"
      ? "was edited after agentwork wrote it"
      : "was not written by agentwork service install";
  throw new AgentworkError(
    "E_SERVICE",
    `${manager.unitPath} ${whose}, so agentwork will not ${verb} it; move it aside (or delete it) and run this again, or keep managing it by hand`,
    { retry: "never" },
  );
}

function readUnit(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Temp file + rename: a service manager never reads a half-written unit. */
function writeUnit(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.agentwork-tmp`;
  writeFileSync(tmp, text, { mode: 0o644 });
  renameSync(tmp, path);
}
