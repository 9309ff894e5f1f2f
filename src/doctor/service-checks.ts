import { managerFor } from "../service/manager-for.ts";
import { serviceStatus } from "../service/service-install.ts";
import { type CheckResult, type DoctorContext, type DoctorGroup, ok, warn } from "./check.ts";

/** The user service is installed, and written by agentwork (only the file is read: no bus calls). */
export const serviceChecks: DoctorGroup = {
  name: "service",
  run: async (ctx) => [await serviceCheck(ctx)],
};

async function serviceCheck(ctx: DoctorContext): Promise<CheckResult> {
  let status: Awaited<ReturnType<typeof serviceStatus>>;
  try {
    status = await serviceStatus(managerFor(ctx.settings, ctx.platform), false);
  } catch (error) {
    return warn(
      "service.installed",
      (error as Error).message,
      "run agentwork daemon under your own supervisor",
    );
  }
  if (!status.installed) {
    return warn(
      "service.installed",
      `no service installed (${status.unit_path})`,
      "agentwork service install --ledger DIR keeps the daemon running",
    );
  }
  if (status.ownership !== "ours") {
    return warn(
      "service.installed",
      `${status.unit_path} exists but ${status.ownership === "edited" ? "was edited since agentwork wrote it" : "was not written by agentwork"}`,
      "agentwork service leaves it alone; manage it by hand, or move it aside and run agentwork service install",
    );
  }
  return ok(
    "service.installed",
    `service installed (${status.unit_path}); agentwork service status for its state`,
  );
}
