import { join } from "node:path";
import { openStorage, type Storage, type StorageOptions } from "../../src/queue/storage.ts";
import { FakeClock } from "./clock.ts";
import { tempDir } from "./tmp.ts";

export interface TestStorage extends Storage {
  clock: FakeClock;
  path: string;
  reopen(overrides?: Partial<StorageOptions>): TestStorage;
}

/** A real SQLite file in a temp dir, migrated with the embedded migrations, on a FakeClock. */
export function openTestStorage(
  overrides: Partial<StorageOptions> & { path?: string; clock?: FakeClock } = {},
): TestStorage {
  const clock = overrides.clock ?? new FakeClock();
  const path = overrides.path ?? join(tempDir(), "agentwork.db");
  const options: StorageOptions = {
    ownerPid: process.pid,
    retryDelay: () => 1_000,
    ...overrides,
    clock,
  };
  const storage = openStorage(path, options);
  return {
    ...storage,
    clock,
    path,
    reopen(more = {}) {
      storage.close();
      return openTestStorage({ ...overrides, ...more, path, clock });
    },
  };
}
