// A separate process that uses the queue, for multi-process tests. Usage:
//   bun queue-child.ts enqueue <db> <count> <now>       enqueue keys k0..k<count-1>, print JSON results
//   bun queue-child.ts claim <db> <claim> <complete> <now>
//        claim <claim> items, complete the first <complete>, print {claimed, completed}, then hang
//        until killed (the test sends SIGKILL).
import { openStorage } from "../../src/queue/storage.ts";

const [mode, dbPath, a, b, c] = process.argv.slice(2);
const fixedNow = Number(mode === "enqueue" ? b : c);
const storage = openStorage(dbPath ?? "", {
  clock: { now: () => fixedNow },
  ownerPid: process.pid,
  maxQueueDepth: 100_000,
  busyTimeoutMs: 10_000,
});

if (mode === "enqueue") {
  let accepted = 0;
  for (let i = 0; i < Number(a); i++) {
    const r = storage.queue.enqueue({ type: "t", payload: { i }, dedupKey: `k${i}` });
    if (r.ok) accepted++;
  }
  console.log(JSON.stringify({ accepted }));
  storage.close();
} else if (mode === "claim") {
  const claimed = [];
  for (let i = 0; i < Number(a); i++) {
    const item = storage.queue.dequeue();
    if (item) claimed.push(item);
  }
  const completed = claimed.slice(0, Number(b));
  for (const item of completed) storage.queue.complete(item);
  console.log(
    JSON.stringify({ claimed: claimed.map((i) => i.id), completed: completed.map((i) => i.id) }),
  );
  // Hold the claims until the test kills this process with SIGKILL.
  setInterval(() => {}, 60_000);
}
