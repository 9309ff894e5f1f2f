/**
 * Export (session.md + session.html) of a generated ~100 MB raw.jsonl, against a bare loop that
 * reads the lines and JSON.parses each one. Each run is a fresh process under /usr/bin/time, so
 * peak RSS is its own; medians of several runs. Usage: bun bench/export.bench.ts [MB] [runs]
 * Data goes to a temp dir; results to stdout as markdown.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { machine, timed } from "./detect.bench.ts";

export function generate(path: string, targetBytes: number): number {
  const fd = openSync(path, "w");
  const header = {
    type: "header",
    metadata: {
      version: "1.0",
      created_at: "2026-03-14T08:15:00Z",
      agent_id: "OxBig",
      agent_type: "claude-code",
      username: "dana",
    },
  };
  writeSync(fd, `${JSON.stringify(header)}\n`);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the transcript quotes JavaScript source.
  const code = 'function f(a, b) {\n  return a < b && b > 0 ? `${a}` : "<none>";\n}\n';
  let bytes = 0;
  let n = 0;
  while (bytes < targetBytes) {
    const k = n % 5;
    const line =
      k === 0
        ? {
            type: "user",
            content: `Please fix step ${n}: the <div> renders "wrong" & breaks.`,
            timestamp: "2026-03-14T08:15:04Z",
          }
        : k === 1
          ? {
              type: "assistant",
              content: `Looking at it.\n\`\`\`ts\n${code.repeat(20)}\`\`\`\nDone with ${n}.`,
              timestamp: "2026-03-14T08:15:05Z",
            }
          : k === 2
            ? {
                type: "tool",
                tool_name: "Read",
                tool_input: JSON.stringify({ file_path: `/home/dana/src/f${n}.ts` }),
                tool_output: code.repeat(300),
              }
            : k === 3
              ? {
                  type: "tool",
                  tool_name: "Edit",
                  tool_input: JSON.stringify({
                    file_path: `/home/dana/src/f${n % 50}.ts`,
                    old_string: code,
                    new_string: code.repeat(2),
                  }),
                  tool_output: "1 replacement",
                }
              : {
                  type: "tool",
                  tool_name: "Bash",
                  tool_input: JSON.stringify({ command: "bun test" }),
                  tool_output: "ok\n".repeat(2000),
                };
    const text = `${JSON.stringify(line)}\n`;
    writeSync(fd, text);
    bytes += Buffer.byteLength(text);
    n++;
  }
  closeSync(fd);
  return n;
}

/** The baseline every JSONL benchmark divides by: read the file line by line and parse each. */
export async function bareReadParse(path: string): Promise<number> {
  const { createReadStream } = await import("node:fs");
  const { createInterface } = await import("node:readline");
  let count = 0;
  for await (const line of createInterface({
    input: createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    if (line) {
      JSON.parse(line);
      count++;
    }
  }
  return count;
}

async function child(mode: string, dir: string): Promise<void> {
  const t0 = performance.now();
  if (mode === "bare") {
    const count = await bareReadParse(join(dir, "raw.jsonl"));
    console.log(JSON.stringify({ ms: performance.now() - t0, count }));
  } else {
    const { exportSession } = await import("../src/handlers/session-finalize/export.ts");
    const { silentLogger } = await import("../src/core/logger.ts");
    const { systemClock } = await import("../src/core/clock.ts");
    const r = await exportSession(dir, { clock: systemClock, logger: silentLogger() });
    console.log(JSON.stringify({ ms: performance.now() - t0, count: r.stats.entries }));
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function main(): Promise<void> {
  if (process.argv[2] === "--child")
    return child(process.argv[3] as string, process.argv[4] as string);
  const mb = Number(process.argv[2] ?? 100);
  const runs = Number(process.argv[3] ?? 5);
  const root = mkdtempSync(join(tmpdir(), "agentwork-bench-export-"));
  try {
    const dir = join(root, "2026-03-14T08-15-dana-OxBig");
    mkdirSync(dir);
    const entries = generate(join(dir, "raw.jsonl"), mb * 1024 * 1024);
    const size = statSync(join(dir, "raw.jsonl")).size;
    const res: Record<string, { ms: number[]; rss: number[] }> = {
      bare: { ms: [], rss: [] },
      export: { ms: [], rss: [] },
    };
    for (let r = 0; r < runs; r++) {
      for (const mode of ["bare", "export"] as const) {
        const out = timed([process.execPath, import.meta.path, "--child", mode, dir]);
        res[mode]?.ms.push((JSON.parse(out.stdout) as { ms: number }).ms);
        res[mode]?.rss.push(out.maxRssKb);
      }
    }
    const html = statSync(join(dir, "session.html")).size;
    const md = statSync(join(dir, "session.md")).size;
    const b = res.bare as { ms: number[]; rss: number[] };
    const e = res.export as { ms: number[]; rss: number[] };
    console.log(`# Export benchmark\n\nMachine: ${machine()}\n`);
    console.log(
      `Input: raw.jsonl of ${(size / 2 ** 20).toFixed(1)} MiB, ${entries} entries (dialogue, Read/Edit/Bash calls with large outputs). Output: session.html ${(html / 2 ** 20).toFixed(1)} MiB, session.md ${(md / 2 ** 20).toFixed(1)} MiB. ${runs} runs each, alternating, medians; page cache warm.\n`,
    );
    console.log(
      "Bare loop: `readline` over `createReadStream`, `JSON.parse` per line, nothing kept.\n",
    );
    console.log("| measure | bare loop | exportSession | ratio |\n|---|---|---|---|");
    console.log(
      `| time (ms) | ${median(b.ms).toFixed(0)} | ${median(e.ms).toFixed(0)} | ${(median(e.ms) / median(b.ms)).toFixed(2)}x |`,
    );
    console.log(
      `| peak RSS of the process (MB) | ${(median(b.rss) / 1024).toFixed(1)} | ${(median(e.rss) / 1024).toFixed(1)} | ${(median(e.rss) / median(b.rss)).toFixed(2)}x |`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.main) await main();
