/**
 * Import worker entries for tests (`Parallel.workerEntry`): the real one, counted; one that
 * exits in the middle of a pass; one that exits on its first write; one that cannot start.
 */
import { join } from "node:path";

const DIR = join(import.meta.dir, "import-workers");

/** The real worker; each read's path is appended to `worker-reads` beside the HOME it is in. */
export const COUNTING_WORKER = join(DIR, "counting.ts");
/** The real worker, until the second read it is asked for: then its thread exits. */
export const DYING_WORKER = join(DIR, "dying.ts");
/** The real worker, until it is asked to write: then its thread exits, holding nothing else. */
export const DIES_ON_WRITE_WORKER = join(DIR, "dies-on-write.ts");
/** Throws while it loads. */
export const BROKEN_WORKER = join(DIR, "broken.ts");
