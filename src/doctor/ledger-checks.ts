import { runCommand } from "../core/process.ts";
import { type CheckResult, type DoctorGroup, fail, ok, warn } from "./check.ts";

const GIT_TIMEOUT_MS = 30_000;

/** The ledger is a git repository with a remote, and a push would be accepted (dry run). */
export const ledgerChecks: DoctorGroup = {
  name: "ledger",
  async run(ctx) {
    const ledger = ctx.settings.paths.ledger;
    if (ledger === null) {
      return [
        fail(
          "ledger.repo",
          "no ledger given",
          "pass --ledger DIR or set AGENTWORK_LEDGER (the service runs with the one it was installed with)",
        ),
      ];
    }
    const git = (...args: string[]) =>
      runCommand(["git", "-C", ledger, ...args], {
        env: { ...ctx.settings.env.base, GIT_TERMINAL_PROMPT: "0" },
        timeoutMs: GIT_TIMEOUT_MS,
      });
    const inside = await git("rev-parse", "--is-inside-work-tree").catch(() => null);
    if (inside === null || inside.exitCode !== 0 || inside.stdout.trim() !== "true") {
      return [
        fail(
          "ledger.repo",
          `${ledger} is not a git repository`,
          `git init ${ledger} and add a remote, or pass the right --ledger`,
        ),
      ];
    }
    const results: CheckResult[] = [ok("ledger.repo", `${ledger} is a git repository`)];
    const remotes = (await git("remote")).stdout.split("\n").filter(Boolean);
    const remote = remotes.includes("origin") ? "origin" : remotes[0];
    if (remote === undefined) {
      results.push(
        fail(
          "ledger.remote",
          "the ledger has no git remote",
          `git -C ${ledger} remote add origin URL`,
        ),
      );
      return results;
    }
    results.push(ok("ledger.remote", `remote ${remote}`));
    if (!ctx.settings.config.gitPush) {
      results.push(
        warn(
          "ledger.push",
          "git_push is off: summaries are committed, not pushed",
          "set git_push: true to publish them",
        ),
      );
      return results;
    }
    const push = await git("push", "--dry-run", "--porcelain", remote, "HEAD");
    results.push(
      push.exitCode === 0
        ? ok("ledger.push", `git push --dry-run ${remote} HEAD works`)
        : fail(
            "ledger.push",
            `git push --dry-run ${remote} HEAD failed: ${firstLine(push.stderr || push.stdout)}`,
            "check the remote URL and your push permission (credentials, SSH key) for this user",
          ),
    );
    return results;
  },
};

function firstLine(text: string): string {
  return (
    text
      .trim()
      .split("\n")
      .find((l) => l.trim() !== "")
      ?.trim() ?? "no output"
  );
}
