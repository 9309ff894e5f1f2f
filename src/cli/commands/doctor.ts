import { defineCommand } from "citty";
import { loadSettings } from "../../config/load.ts";
import { EXIT_CODES } from "../../core/exit-codes.ts";
import type { CheckStatus } from "../../doctor/check.ts";
import { type DoctorReport, runDoctor } from "../../doctor/run-doctor.ts";
import { globalArgs, jsonArg, mergedGlobals } from "../common-args.ts";
import { printData } from "../output.ts";

const MARK: Record<CheckStatus, string> = { ok: "✓", warn: "⚠", fail: "✗" };

export default defineCommand({
  meta: { name: "doctor", description: "Check the setup: one line per check, exit 1 if any fails" },
  args: { ...globalArgs, ...jsonArg },
  async run({ args }) {
    const globals = mergedGlobals(args);
    const report = await runDoctor(
      () =>
        loadSettings({ flags: { db: globals.db, config: globals.config, ledger: globals.ledger } }),
      process.platform,
    );
    printData(report, { json: args.json === true, text: renderDoctor });
    process.exitCode = report.ok ? EXIT_CODES.ok : EXIT_CODES.workFailed;
  },
});

export function renderDoctor(report: DoctorReport): string {
  return report.checks
    .map((c) => `${MARK[c.status]} ${c.check}: ${c.message}${c.fix ? ` — fix: ${c.fix}` : ""}`)
    .join("\n");
}
