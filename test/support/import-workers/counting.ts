import { appendFileSync } from "node:fs";
import { dirname } from "node:path";
// Imported first, so its handler is in place before any message can arrive.
import "../../../src/sources/import-worker.ts";

declare const self: Worker;
// Each read's path, appended to `worker-reads` beside the HOME it is under (`<tmp>/home/...`).
self.addEventListener(
  "message",
  (event: MessageEvent<{ kind: string; file?: { path: string } }>) => {
    const path = event.data.file?.path;
    if (event.data.kind !== "read" || !path?.includes("/home/")) return;
    const home = path.slice(0, path.indexOf("/home/") + "/home".length);
    appendFileSync(`${dirname(home)}/worker-reads`, `${path}\n`);
  },
);
