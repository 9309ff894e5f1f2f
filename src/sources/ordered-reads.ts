import { nextTurn, type Timers } from "../core/timers.ts";
import type { ReadFacts } from "./conversions.ts";
import { type ImportLane, LaneDown } from "./import-lanes.ts";
import type { SourceFile } from "./imported-session.ts";

/**
 * Reads a lane runs ahead of the decisions, which are taken in order: a worker is not idle while
 * this thread reads, nor this thread while a worker does. One each: more held sessions raised
 * the peak RSS and not the speed (bench/results/sources.md).
 */
const READ_AHEAD = 1;

export interface ToRead {
  file: SourceFile;
  /** The file's row is from before `content-hash.ts`: its old hash is computed too. */
  legacy: boolean;
}

interface LaneRead {
  lane: ImportLane;
  facts: Promise<ReadFacts>;
  settled: boolean;
}

/**
 * A pass's reads spread over its lanes and taken back in the files' order (`take`), so the pass
 * names, skips and reports the same whichever lane read a file. The first lane is the pass's
 * own thread: it reads the file whose turn it is, or one ahead while a worker reads that one.
 */
export class OrderedReads {
  private readonly reads: LaneRead[] = [];
  private readonly inline: ImportLane;
  private readonly workers: ImportLane[];

  constructor(
    private readonly files: readonly ToRead[],
    lanes: readonly ImportLane[],
    private readonly timers: Timers,
    /** Told when a worker lane stops; its reads are done again in this thread. */
    private readonly onLaneDown: (error: LaneDown) => void,
  ) {
    const [inline, ...workers] = lanes;
    if (!inline) throw new Error("a pass needs its own lane");
    this.inline = inline;
    this.workers = workers;
  }

  /** File `k`'s read, once all before it were taken; rejects with why it could not be read. */
  async take(k: number): Promise<{ lane: ImportLane; facts: ReadFacts }> {
    this.feedWorkers();
    if (this.reads.length === k) this.start(this.inline);
    const read = this.reads[k] as LaneRead;
    while (
      read.lane !== this.inline &&
      !read.settled &&
      this.reads.length < this.files.length &&
      this.inline.held < READ_AHEAD
    ) {
      this.start(this.inline);
      // Lets the worker's answer in before deciding whether to read another one here.
      await nextTurn(this.timers);
    }
    try {
      return { lane: read.lane, facts: await read.facts };
    } catch (error) {
      if (!(error instanceof LaneDown)) throw error;
      this.onLaneDown(error);
      const { file, legacy } = this.files[k] as ToRead;
      return { lane: this.inline, facts: await this.inline.read(file, legacy) };
    }
  }

  private feedWorkers(): void {
    for (const lane of this.workers)
      while (!lane.stopped && lane.held < READ_AHEAD && this.reads.length < this.files.length)
        this.start(lane);
  }

  private start(lane: ImportLane): void {
    const { file, legacy } = this.files[this.reads.length] as ToRead;
    const read: LaneRead = { lane, facts: lane.read(file, legacy), settled: false };
    const settle = () => {
      read.settled = true;
    };
    // Also keeps a failed read from being an unhandled rejection until its turn.
    read.facts.then(settle, settle);
    this.reads.push(read);
  }
}
