import { agentChecks } from "./agent-checks.ts";
import type { DoctorGroup } from "./check.ts";
import { configChecks } from "./config-checks.ts";
import { daemonChecks } from "./daemon-checks.ts";
import { databaseChecks } from "./database-checks.ts";
import { diskChecks } from "./disk-checks.ts";
import { ledgerChecks } from "./ledger-checks.ts";
import { serviceChecks } from "./service-checks.ts";
import { workChecks } from "./work-checks.ts";

/**
 * Every check `agentwork doctor` runs, in order. The database group comes before the ones that
 * read it (daemon holder, queue, what waits). Each group is one module, listed here.
 */
export const DOCTOR_GROUPS: readonly DoctorGroup[] = [
  configChecks,
  databaseChecks,
  daemonChecks,
  serviceChecks,
  agentChecks,
  ledgerChecks,
  workChecks,
  diskChecks,
];
