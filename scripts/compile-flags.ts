/**
 * How the executable is compiled, shared by scripts/build.ts, the end-to-end tests and the CLI
 * benchmark so all three run the same binary. Bytecode skips parsing at every start; splitting
 * keeps each lazy sub-command in its own chunk inside the executable, so a command evaluates only
 * what it imports (numbers in bench/results/cli.md).
 */
export const COMPILE_FLAGS = [
  "--compile",
  "--minify",
  "--bytecode",
  "--format=esm",
  "--splitting",
] as const;

/**
 * What goes into the executable: the CLI, and each worker thread's own entry, which Bun bundles
 * only when it is listed (`new Worker` is resolved at run time).
 */
export const ENTRYPOINTS = ["src/main.ts", "src/sources/import-worker.ts"] as const;
