import { AgentworkError } from "../core/errors.ts";

/** A TCP port flag: 0 (any free port, the default) to 65535. */
export function portArg(value: string | undefined, flag: string): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new AgentworkError("E_USAGE", `${flag} takes a port number 0-65535, got "${value}"`);
  }
  return n;
}
