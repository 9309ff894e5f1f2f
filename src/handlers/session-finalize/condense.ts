import type { SessionEntry } from "./entry.ts";

/** Tools whose calls are read/search noise for a summary: kept as numbers only. */
export const NOISE_TOOLS: ReadonlySet<string> = new Set([
  "read",
  "grep",
  "glob",
  "ls",
  "notebookread",
]);

const CAPS = { dialogue: 12_000, toolInput: 2_000, toolOutput: 1_000, other: 1_000 } as const;

export function cutMarker(chars: number): string {
  return `[… ${chars.toLocaleString("en-US")} chars cut …]`;
}

/** Keeps the head and tail of `text` within `max` chars, marking what was cut from the middle. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = Math.max(0, max - 40);
  const head = Math.ceil(keep * 0.6);
  const tail = keep - head;
  return `${text.slice(0, head)}\n${cutMarker(text.length - keep)}\n${tail > 0 ? text.slice(-tail) : ""}`;
}

export function isNoise(entry: SessionEntry): boolean {
  return entry.role === "tool" && !!entry.toolName && NOISE_TOOLS.has(entry.toolName.toLowerCase());
}

/** One entry as prompt text, numbered by its 1-based index so aha-moment `seq`s can cite it. */
export function renderEntry(entry: SessionEntry): string {
  const n = `#${entry.index}`;
  switch (entry.role) {
    case "user":
      return `[${n} user]\n${capText(entry.content, CAPS.dialogue)}\n`;
    case "assistant":
      return `[${n} assistant]\n${capText(entry.content, CAPS.dialogue)}\n`;
    case "tool": {
      const lines = [`[${n} tool ${entry.toolName ?? "unknown"}]`];
      if (entry.toolInput) lines.push(`input: ${capText(entry.toolInput, CAPS.toolInput)}`);
      if (entry.content) lines.push(capText(entry.content, CAPS.other));
      if (entry.toolOutput) lines.push(`output: ${capText(entry.toolOutput, CAPS.toolOutput)}`);
      return `${lines.join("\n")}\n`;
    }
    case "tool_result":
      return `[${n} tool result${entry.toolName ? ` ${entry.toolName}` : ""}]\n${capText(entry.toolOutput ?? entry.content, CAPS.toolOutput)}\n`;
    default:
      return `[${n} ${entry.role === "system" ? "system" : entry.type || "entry"}]\n${capText(entry.content, CAPS.other)}\n`;
  }
}

/**
 * Condenses a stream of entries into at most `budget` characters: noise calls collapse to one
 * line per run, and when the whole is still too long the middle is cut, keeping the opening
 * (the goal) and the end (the outcome). Memory stays bounded by the budget.
 */
export class TranscriptCondenser {
  private head: string[] = [];
  private headLen = 0;
  private tail: string[] = [];
  private tailLen = 0;
  private tailStart = 0;
  private droppedChars = 0;
  private noiseRun: { first: number; last: number; tools: Set<string> } | null = null;
  /** Characters of rendered text before the budget cut. */
  renderedChars = 0;
  entries = 0;
  noiseCalls = 0;

  constructor(private readonly budget: number) {}

  add(entry: SessionEntry): void {
    this.entries++;
    if (isNoise(entry)) {
      this.noiseCalls++;
      if (!this.noiseRun)
        this.noiseRun = { first: entry.index, last: entry.index, tools: new Set() };
      this.noiseRun.last = entry.index;
      this.noiseRun.tools.add(entry.toolName ?? "?");
      return;
    }
    this.flushNoise();
    this.push(renderEntry(entry));
  }

  private flushNoise(): void {
    const run = this.noiseRun;
    if (!run) return;
    this.noiseRun = null;
    const span = run.first === run.last ? `#${run.first}` : `#${run.first}-#${run.last}`;
    const count = run.last - run.first + 1;
    this.push(`[${span}: ${count} read/search call(s) omitted (${[...run.tools].join(", ")})]\n`);
  }

  private push(piece: string): void {
    this.renderedChars += piece.length;
    const half = Math.floor(this.budget / 2);
    if (this.tail.length === 0 && this.headLen + piece.length <= half) {
      this.head.push(piece);
      this.headLen += piece.length;
      return;
    }
    this.tail.push(piece);
    this.tailLen += piece.length;
    while (this.tailLen > this.budget - this.headLen - 64 && this.tailStart < this.tail.length) {
      const dropped = this.tail[this.tailStart] ?? "";
      this.tail[this.tailStart] = "";
      this.tailStart++;
      this.tailLen -= dropped.length;
      this.droppedChars += dropped.length;
    }
    // Compact the array now and then instead of shifting on every drop.
    if (this.tailStart > 1024) {
      this.tail = this.tail.slice(this.tailStart);
      this.tailStart = 0;
    }
  }

  /** The condensed transcript and how many characters the budget cut from its middle. */
  finish(): { text: string; cutChars: number } {
    this.flushNoise();
    const tail = this.tail.slice(this.tailStart).join("");
    const middle = this.droppedChars > 0 ? `${cutMarker(this.droppedChars)}\n` : "";
    return { text: this.head.join("") + middle + tail, cutChars: this.droppedChars };
  }
}
