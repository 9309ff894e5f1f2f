/**
 * An import worker thread (`WorkerLane` in `import-lanes.ts`): reads, converts and writes the
 * transcripts the pass hands it, one request at a time, holding each read session until the
 * pass says where to write it or to drop it. It never touches SQLite.
 */
import { Redactor } from "../core/redaction/redactor.ts";
import { Conversions } from "./conversions.ts";
import { errorReply, type WorkerReply, type WorkerRequest } from "./import-lanes.ts";

declare const self: Worker;

let conversions: Conversions | null = null;

function handle(request: WorkerRequest): WorkerReply | null {
  switch (request.kind) {
    case "init":
      conversions = new Conversions(new Redactor(request.patterns), request.stateDir);
      return null;
    case "drop":
      conversions?.drop(request.id);
      return null;
    case "close":
      process.exit(0);
      return null;
    case "read":
    case "write":
      try {
        if (!conversions) throw new Error("import worker used before init");
        const value =
          request.kind === "read"
            ? conversions.read(request.file, request.legacy)
            : conversions.write(request.id, request.target);
        return { req: request.req, ok: true, value };
      } catch (error) {
        return errorReply(request.req, error);
      }
  }
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const reply = handle(event.data);
  if (reply) self.postMessage(reply);
};
