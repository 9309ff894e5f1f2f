import type { CustomPattern, Redactor } from "../core/redaction/redactor.ts";
import { Conversions, type ReadFacts, type WriteTarget } from "./conversions.ts";
import type { SourceFile } from "./imported-session.ts";

/**
 * Where a pass reads, converts and writes transcripts: in its own thread (`InlineLane`), or in
 * an import worker thread (`WorkerLane`, `import-worker.ts`) that does the same work beside it.
 * A first import of a long history is CPU work on a gigabyte of JSON; a second thread nearly
 * halves its wall time (bench/results/sources.md). Only the pass's thread touches SQLite and
 * decides: names, skips and rows stay in one place.
 */
export interface ImportLane {
  /** Reads asked of this lane whose session is not yet written or dropped. */
  readonly held: number;
  /** Why the lane stopped taking work (`LaneDown`); null while it works. */
  readonly stopped: LaneDown | null;
  read(file: SourceFile, legacy: boolean): Promise<ReadFacts>;
  write(id: number, target: WriteTarget): Promise<number>;
  drop(id: number): void;
  close(): void;
}

export class InlineLane implements ImportLane {
  private readonly conversions: Conversions;
  held = 0;
  readonly stopped = null;

  constructor(redactor: Redactor, stateDir: string) {
    this.conversions = new Conversions(redactor, stateDir);
  }

  read(file: SourceFile, legacy: boolean): Promise<ReadFacts> {
    try {
      const facts = this.conversions.read(file, legacy);
      this.held++;
      return Promise.resolve(facts);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  write(id: number, target: WriteTarget): Promise<number> {
    this.held--;
    try {
      return Promise.resolve(this.conversions.write(id, target));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  drop(id: number): void {
    this.held--;
    this.conversions.drop(id);
  }

  close(): void {}
}

/** What the pass asks of an import worker. */
export type WorkerRequest =
  | { kind: "init"; patterns: readonly CustomPattern[]; stateDir: string }
  | { kind: "read"; req: number; file: SourceFile; legacy: boolean }
  | { kind: "write"; req: number; id: number; target: WriteTarget }
  | { kind: "drop"; id: number }
  | { kind: "close" };

/** An import worker's answer to a `read` or `write`; an error crosses as its message and code. */
export type WorkerReply =
  | { req: number; ok: true; value: unknown }
  | { req: number; ok: false; error: { message: string; code?: string } };

export function errorReply(req: number, error: unknown): WorkerReply {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  return { req, ok: false, error: typeof code === "string" ? { message, code } : { message } };
}

/** A worker lane stopped: what it held is lost, and the pass goes on in its own thread. */
export class LaneDown extends Error {}

/**
 * The worker's entry. In the executable every module's `import.meta.url` is the bundle's, and
 * an entry listed at build time (`scripts/compile-flags.ts`) is found by its path under `src/`.
 */
function workerEntry(): string {
  const source = new URL("./import-worker.ts", import.meta.url);
  return source.pathname.startsWith("/$bunfs/") ? "./sources/import-worker.ts" : source.href;
}

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class WorkerLane implements ImportLane {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextReq = 1;
  /** Set once the worker failed or exited: what every later call is rejected with. */
  private failure: LaneDown | null = null;
  held = 0;

  constructor(redactor: Redactor, stateDir: string, entry?: string) {
    this.worker = new Worker(entry ?? workerEntry());
    this.worker.onmessage = (event: MessageEvent<WorkerReply>) => this.answer(event.data);
    this.worker.onerror = (event: ErrorEvent) =>
      this.fail(new LaneDown(`import worker failed: ${event.message}`));
    this.worker.addEventListener("close", () => this.fail(new LaneDown("import worker exited")));
    this.post({ kind: "init", patterns: redactor.extra, stateDir });
  }

  /** Counted as held from the request on: what bounds how far the lane reads ahead. */
  read(file: SourceFile, legacy: boolean): Promise<ReadFacts> {
    this.held++;
    return this.ask<ReadFacts>({ kind: "read", req: this.nextReq++, file, legacy }).catch(
      (error: unknown) => {
        this.held--;
        throw error;
      },
    );
  }

  write(id: number, target: WriteTarget): Promise<number> {
    this.held--;
    return this.ask<number>({ kind: "write", req: this.nextReq++, id, target });
  }

  drop(id: number): void {
    this.held--;
    if (!this.failure) this.post({ kind: "drop", id });
  }

  /** The worker ends itself once it has answered everything before this. */
  close(): void {
    if (!this.failure) this.post({ kind: "close" });
    this.failure ??= new LaneDown("import worker closed");
    this.worker.unref();
  }

  private ask<T>(request: WorkerRequest & { req: number }): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(request.req, { resolve: resolve as (value: unknown) => void, reject });
      this.post(request);
    });
  }

  private post(request: WorkerRequest): void {
    this.worker.postMessage(request);
  }

  private answer(reply: WorkerReply): void {
    const waiting = this.waiting.get(reply.req);
    if (!waiting) return;
    this.waiting.delete(reply.req);
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
  }

  get stopped(): LaneDown | null {
    return this.failure;
  }

  private fail(error: LaneDown): void {
    this.failure ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}
