import { expect, test } from "bun:test";
import { didYouMean, editDistance } from "./suggest.ts";

const keys = ["max_concurrent", "max_attempts", "model", "enabled"];

test("near misses get a suggestion", () => {
  expect(didYouMean("max_concurent", keys)).toBe("did you mean `max_concurrent`?");
  expect(didYouMean("max-concurrent", keys)).toBe("did you mean `max_concurrent`?");
  expect(didYouMean("enabeld", keys)).toBe("did you mean `enabled`?");
});

test("far-off names get none", () => {
  expect(didYouMean("colour_scheme", keys)).toBe("");
  expect(didYouMean("x", keys)).toBe("");
});

test("editDistance", () => {
  expect(editDistance("kitten", "sitting")).toBe(3);
  expect(editDistance("", "abc")).toBe(3);
  expect(editDistance("same", "same")).toBe(0);
});
