import { type CommandDef, renderUsage, runCommand } from "citty";
import { AgentworkError } from "../core/errors.ts";
import { EXIT_CODES, exitCodeFor } from "../core/exit-codes.ts";
import { safeText } from "../core/terminal-text.ts";
import { rootCommand } from "./root.ts";

/**
 * Runs the CLI and returns the exit code: 0 ok, 1 work failed, 2 usage or config error,
 * 3 database locked or unusable. Errors print one clear line, never a stack trace (unless
 * --verbose and the error is a bug).
 */
export async function main(rawArgs: string[]): Promise<number> {
  try {
    if (rawArgs.includes("--help") || rawArgs.includes("-h")) {
      const [cmd, parent] = await resolveCommand(rawArgs);
      process.stdout.write(forStream(`${await renderUsage(cmd, parent)}\n`, process.stdout));
      return EXIT_CODES.ok;
    }
    if (rawArgs.length === 1 && rawArgs[0] === "--version") rawArgs = ["version"];
    if (rawArgs.length === 0) {
      process.stdout.write(
        forStream(`${await renderUsage(rootCommand as CommandDef)}\n`, process.stdout),
      );
      return EXIT_CODES.usage;
    }
    process.exitCode = 0;
    await runCommand(rootCommand as CommandDef, { rawArgs });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    return reportError(error, rawArgs.includes("--verbose"));
  }
}

function reportError(error: unknown, verbose: boolean): number {
  if (error instanceof AgentworkError) {
    process.stderr.write(`agentwork: ${safeText(error.message)} [${error.code}]\n`);
    return exitCodeFor(error);
  }
  if (error instanceof Error && error.name === "CLIError") {
    process.stderr.write(
      forStream(`agentwork: ${error.message}\nRun with --help for usage.\n`, process.stderr),
    );
    return EXIT_CODES.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`agentwork: unexpected error: ${safeText(message)}\n`);
  if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return EXIT_CODES.workFailed;
}

/** The sub-command named in argv (first non-flag word), for --help. */
async function resolveCommand(rawArgs: string[]): Promise<[CommandDef, CommandDef | undefined]> {
  const name = rawArgs.find((a) => !a.startsWith("-"));
  const subCommands = rootCommand.subCommands as Record<string, () => Promise<CommandDef>>;
  const loader = name ? subCommands[name] : undefined;
  if (!loader) return [rootCommand as CommandDef, undefined];
  return [await loader(), rootCommand as CommandDef];
}

/** citty colours its usage text unconditionally; pipes and log files get it plain. */
function forStream(text: string, stream: { isTTY?: boolean }): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI colour sequences.
  return stream.isTTY ? text : text.replace(/\x1b\[[0-9;]*m/g, "");
}
