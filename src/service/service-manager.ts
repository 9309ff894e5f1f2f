import type { ServiceSpec } from "./service-spec.ts";

/** What `service status` reports beyond the file itself. */
export interface ServiceState {
  enabled: boolean | null;
  running: boolean;
  pid: number | null;
  /** The manager's own words, e.g. "active (running)" or "failed: start limit hit". */
  detail: string;
}

/** One service manager (systemd user units, launchd agents) behind the generic install logic. */
export interface ServiceManager {
  readonly kind: "systemd" | "launchd";
  /** Absolute path of the unit file or plist. */
  readonly unitPath: string;
  /** The complete file, ownership marker included. */
  render(spec: ServiceSpec): string;
  /** Null when the manager can be reached; otherwise why not and what to do. */
  unavailable(): Promise<string | null>;
  /** Registers, enables and starts the unit; `changed`: an installed unit was rewritten. */
  activate(changed: boolean): Promise<void>;
  /** Stops and disables the unit (its file is still there). */
  deactivate(): Promise<void>;
  /** After the file was removed. */
  forget(): Promise<void>;
  state(): Promise<ServiceState>;
  /** Hints printed after an install, e.g. how to keep the service running after logout. */
  notes(): Promise<string[]>;
  /** The argv that shows (and with `follow`, follows) the service's log. */
  logsArgv(lines: number, follow: boolean): string[];
}
