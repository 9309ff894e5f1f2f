// Imported first, so its handler is in place before any message can arrive.
import "../../../src/sources/import-worker.ts";

declare const self: Worker;
let reads = 0;
// After the real handler: the second read is answered, then the thread exits holding it.
self.addEventListener("message", (event: MessageEvent<{ kind: string }>) => {
  if (event.data.kind === "read" && ++reads === 2) process.exit(3);
});
