import { describe, expect, test } from "bun:test";
import type { Clock } from "../../src/core/clock.ts";
import { realTimers, type Timers } from "../../src/core/timers.ts";
import { YIELD_AFTER_MS } from "../../src/sources/import-pass.ts";
import { FakeClock } from "../support/clock.ts";
import { importRig } from "./helpers.ts";

/** Timers that note each turn the importer asks for; a timer armed before the pass notes its run. */
function watched(events: string[]): Timers {
  return {
    ...realTimers,
    setImmediate: (fn) => {
      events.push("turn");
      return setImmediate(fn);
    },
  };
}

/** Every look at it finds another YIELD_AFTER_MS gone: a turn before each transcript. */
function steppingClock(): Clock {
  // From the storage's FakeClock start, which the example HOME's mtimes are set against.
  let t = new FakeClock().now();
  return { now: () => (t += YIELD_AFTER_MS) };
}

describe("a long import pass shares the event loop", () => {
  test("after YIELD_AFTER_MS of work it gives a turn: a timer armed before the pass runs during it", async () => {
    const events: string[] = [];
    const rig = importRig({ clock: steppingClock(), timers: watched(events) });
    realTimers.setTimeout(() => events.push("timer"), 0);
    const report = await rig.importer.run(rig.config);
    events.push("done");
    expect(report.imported.length).toBe(4);
    expect(events.indexOf("timer")).toBeLessThan(events.indexOf("done"));
    expect(events.filter((e) => e === "turn").length).toBeGreaterThanOrEqual(4);
  });

  test("a pass asked for while one runs (in one of its turns) is that pass: nothing imported twice", async () => {
    const events: string[] = [];
    const rig = importRig({ clock: steppingClock(), timers: watched(events) });
    const first = rig.importer.run(rig.config);
    // Asked for in the first pass's first turn, as the socket's `detect` would be.
    const second = new Promise<Awaited<typeof first>>((resolve) => {
      setImmediate(() => resolve(rig.importer.run(rig.config)));
    });
    const [a, b] = await Promise.all([first, second]);
    expect(events).toContain("turn");
    expect(b).toBe(a);
    expect(a.imported.length).toBe(4);
    expect(a.reimported).toEqual([]);
    // A later pass is a new one, and finds everything imported.
    expect((await rig.importer.run(rig.config)).unchanged).toBeGreaterThanOrEqual(4);
  });

  test("a quick pass takes no turn", async () => {
    const events: string[] = [];
    const rig = importRig({ timers: watched(events) });
    realTimers.setTimeout(() => events.push("timer"), 0);
    const report = await rig.importer.run(rig.config);
    events.push("done");
    expect(report.imported.length).toBe(4);
    expect(events).toEqual(["done"]);
  });
});
