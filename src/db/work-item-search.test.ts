import { expect, test } from "bun:test";
import { openTestStorage } from "../../test/support/storage.ts";
import { itemTypes, searchItems } from "./work-item-search.ts";

test("filters by state, type and literal text, newest first, in pages with a total", () => {
  const storage = openTestStorage();
  for (let i = 0; i < 25; i++) {
    storage.clock.advance(1000);
    storage.queue.enqueue({
      type: i % 5 === 0 ? "other" : "session-finalize",
      payload: { name: `s_${i}%` },
    });
  }
  const first = searchItems(storage, { offset: 0, limit: 10 });
  expect(first.total).toBe(25);
  expect(first.items).toHaveLength(10);
  expect(first.items[0]?.payload).toEqual({ name: "s_24%" });
  const last = searchItems(storage, { offset: 20, limit: 10 });
  expect(last.items.map((i) => (i.payload as { name: string }).name)).toEqual([
    "s_4%",
    "s_3%",
    "s_2%",
    "s_1%",
    "s_0%",
  ]);
  expect(searchItems(storage, { type: "other", offset: 0, limit: 50 }).total).toBe(5);
  // % and _ are matched literally, not as LIKE wildcards.
  expect(searchItems(storage, { text: "s_1%", offset: 0, limit: 50 }).total).toBe(1);
  expect(searchItems(storage, { text: "x%", offset: 0, limit: 50 }).total).toBe(0);
  expect(searchItems(storage, { state: "done", offset: 0, limit: 50 }).total).toBe(0);
  expect(itemTypes(storage)).toEqual(["other", "session-finalize"]);
  storage.close();
});
