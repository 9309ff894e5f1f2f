import { expect, test } from "bun:test";
import { projectFilter } from "./project-filter.ts";
import { importedSessionName } from "./session-name.ts";

test("source_projects: no globs take all; includes pick; an exclude wins; unknown only without includes", () => {
  expect(projectFilter([])("/anything")).toBe(true);
  const f = projectFilter(["/home/u/src/**", "!/home/u/src/secret*"]);
  expect(f("/home/u/src/app")).toBe(true);
  expect(f("/home/u/src/app/sub")).toBe(true);
  expect(f("/home/u/src/secret-work")).toBe(false);
  expect(f("/tmp/x")).toBe(false);
  expect(f(null)).toBe(false);
  expect(projectFilter(["!/tmp/**"])(null)).toBe(true);
});

test("session names: UTC start to the minute, user, agent, 8 id characters; longer on a clash", () => {
  const base = {
    startedAtMs: Date.UTC(2026, 2, 14, 8, 15, 59),
    user: "dana",
    kind: "codex" as const,
    path: "/x",
  };
  expect(importedSessionName({ ...base, sessionId: "0199a1b2-c3d4" })).toBe(
    "2026-03-14T08-15-dana-codex-0199a1b2",
  );
  expect(importedSessionName({ ...base, sessionId: "0199a1b2-c3d4", extra: 1 })).toBe(
    "2026-03-14T08-15-dana-codex-0199a1b2c3d4",
  );
  expect(importedSessionName({ ...base, sessionId: null })).toMatch(
    /^2026-03-14T08-15-dana-codex-[0-9a-f]{8}$/,
  );
});
