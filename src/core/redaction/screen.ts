import type { RedactionRule } from "./rules.ts";

/**
 * The pre-screen: every line of every transcript passes through it, and almost none holds a
 * secret, so it decides what redaction costs. The rules' hints are joined into one regular
 * expression per `screen` group, not one alternation of everything: JavaScriptCore's regex JIT
 * skips ahead fast only when every alternative starts with a character from one small set (the
 * built-in hints start at a rare character: `_`, `-`, `.`, `J`, `I` after a lookbehind; or at the
 * `:`/`=` of an assignment), and one alternation of both kinds, or a case-insensitive one, scans
 * several times slower (bench/results/sources.md). Custom rules (`redact_patterns`) keep a screen
 * of their own.
 */
export class Screen {
  private readonly screens: RegExp[];

  constructor(rules: readonly RedactionRule[]) {
    const groups = new Map<string, string[]>();
    const custom: RegExp[] = [];
    for (const rule of rules) {
      // Each custom hint alone: joined, numbered backreferences would shift and repeated group
      // names would not compile.
      if (!rule.screen) {
        custom.push(new RegExp(rule.hint, rule.pattern.flags.replace("g", "")));
        continue;
      }
      const hints = groups.get(rule.screen) ?? [];
      if (!hints.includes(rule.hint)) hints.push(rule.hint);
      groups.set(rule.screen, hints);
    }
    this.screens = [...[...groups.values()].map((h) => new RegExp(h.join("|"))), ...custom];
  }

  /** False means no rule can match anywhere in `text`. */
  mayContain(text: string): boolean {
    for (const screen of this.screens) if (screen.test(text)) return true;
    return false;
  }
}
