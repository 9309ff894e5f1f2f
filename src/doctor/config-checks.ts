import { existsSync } from "node:fs";
import { type DoctorGroup, ok } from "./check.ts";

/** Settings loaded, so the config is valid; an invalid one never gets here (see run-doctor.ts). */
export const configChecks: DoctorGroup = {
  name: "config",
  run(ctx) {
    const path = ctx.settings.paths.config;
    return [
      ok(
        "config.valid",
        existsSync(path) ? `config ${path} is valid` : `no config file at ${path}: defaults apply`,
      ),
    ];
  },
};
