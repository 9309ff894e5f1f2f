import { describe, expect, test } from "bun:test";
import { type RedactionCounts, Redactor } from "./redactor.ts";
import { builtinRules } from "./rules.ts";

// Test credentials, assembled so no scanner mistakes this file for a leak.
const B62 = "q8Zr7Xw2Lm9Kp4VtA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6";
const SAMPLES = [
  `-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----`,
  "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA",
  ...["AKIA", "ASIA", "ABIA", "ACCA"].map((p) => `${p}IOSFODNN7EXAMPLE`),
  `aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"`,
  `AWS_SECRET_KEY: ${"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}`,
  ...["p", "o", "u", "s", "r"].map((c) => `gh${c}_${B62.slice(0, 36)}`),
  `github_pat_${B62.slice(0, 30)}`,
  ...["pat", "oas", "dt", "rt", "ft", "cbt", "ptt"].map((p) => `gl${p}-${B62.slice(0, 20)}`),
  ...["a", "b", "p", "o", "s", "r", "e"].map((c) => `xox${c}-1234567890-${B62.slice(0, 12)}`),
  "https://hooks.slack.com/services/T0000/B0000/XXXXXXXX",
  `sk-ant-api03-${B62.slice(0, 30)}`,
  `sk-proj-${B62.slice(0, 28)}`,
  `sk-${B62.slice(0, 24)}`,
  `AIza${B62.slice(0, 35)}`,
  `sk_live_${B62.slice(0, 24)}`,
  `rk_test_${B62.slice(0, 24)}`,
  `npm_${B62.slice(0, 36)}`,
  `pypi-${B62}Qx`,
  `SG.${B62.slice(0, 20)}.${B62.slice(20, 40)}`,
  `eyJhbGciOiJIUzI1NiJ9.${"eyJzdWIiOiIxMjM0NTY3ODkwIn0"}.${"dozjgNryP4J3jVmNHl0w5N_XgL0n3I9P"}`,
  "postgres://app:S3cr3tPassw0rd@db.internal:5432/app",
  "Authorization: Bearer q8Zr7Xw2Lm9Kp4Vt",
  `authorization="token ${B62.slice(0, 20)}"`,
  "export SERVICE_TOKEN=q8Zr7Xw2Lm9Kp4Vt",
  `client_secret = "${B62.slice(0, 20)}"`,
  `db.password: '${B62.slice(3, 19)}'`,
  `my-credentials:${B62.slice(5, 25)}`,
  `PWD=${B62.slice(7, 21)}`,
  `passwd=${B62.slice(9, 23)}`,
  `API_KEY\\"=\\"${B62.slice(0, 16)}`,
];

const WORDS = ["API_KEY", "token", "Secret", "PASSWORD", "x.passwd", "pwd", "credentials"];
const SEPARATORS = [
  "=",
  ":",
  " = ",
  '"=',
  "'='",
  '\\"="',
  "\t:",
  "\n=",
  "\u000b=",
  "\u00a0:",
  "=\u2028",
];
const PIECES = [
  ...SAMPLES,
  ...WORDS,
  ...SEPARATORS,
  "aws_secret",
  "authorization",
  "Bearer ",
  "https://",
  "user:",
  "@",
  "/",
  B62.slice(0, 20),
  "AKIA",
  "sk-",
  "eyJ",
  "[REDACTED:jwt]",
  "é",
  "\\",
  '"',
  "\n",
  "\t",
  "\u001b",
];

/** Every way the tests write a text: as is, as JSON.stringify writes it, with `\u` escapes. */
function lines(text: string): string[] {
  const spelled = [...text]
    .map((c) =>
      /[A-Za-z]/.test(c)
        ? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
        : JSON.stringify(c).slice(1, -1),
    )
    .join("");
  return [JSON.stringify({ text }), `{"text":"${spelled}"}`];
}

function variants(sample: string): string[] {
  const cases = [sample, sample.toLowerCase(), sample.toUpperCase()];
  // After a character JSON.stringify escapes, a word boundary is a letter or digit as written.
  return cases.flatMap((c) => [
    c,
    `see ${c}, then`,
    ...["\n", "\t", "\b", "\u001b"].map((e) => e + c),
  ]);
}

const redactor = new Redactor();
const rules = builtinRules(() => true).map((r) => ({
  kind: r.kind,
  pattern: new RegExp(r.pattern.source, r.pattern.flags.replace("g", "")),
}));

/** What the screen must never miss: a text some rule matches, and the same text inside a line. */
function expectScreened(text: string): void {
  const matched = rules.filter((r) => r.pattern.test(text)).map((r) => r.kind);
  if (matched.length > 0)
    expect({ text, screened: redactor.mayContain(text) }).toEqual({ text, screened: true });
  const want = redactor.text(text, {});
  for (const line of lines(text)) {
    const counts: RedactionCounts = {};
    expect(JSON.parse(redactor.line(line, counts)).text).toBe(want);
  }
  expect(JSON.parse(redactor.jsonLine({ text }, {})).text).toBe(want);
}

/** Deterministic (xorshift), so a failure names the same string on every run. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe("the pre-screen", () => {
  test("every built-in rule has a sample here, and every sample is a secret", () => {
    for (const rule of rules)
      expect({ kind: rule.kind, sampled: SAMPLES.some((s) => rule.pattern.test(s)) }).toEqual({
        kind: rule.kind,
        sampled: true,
      });
    for (const s of SAMPLES) expect(redactor.text(s, {})).not.toBe(s);
  });

  test("catches every sample in any case, in text, in a JSON line and spelled with \\u escapes", () => {
    for (const sample of SAMPLES) for (const v of variants(sample)) expectScreened(v);
  });

  test("catches name-separator-value with any quotes, backslashes and white space between", () => {
    for (const word of WORDS)
      for (const sep of SEPARATORS)
        for (const v of variants(`${word}${sep}${B62.slice(2, 22)}`)) expectScreened(v);
  });

  test("random texts made of secrets, names, separators and noise: nothing slips through", () => {
    const next = random(20261202);
    for (let i = 0; i < 3000; i++) {
      let text = "";
      const n = 1 + Math.floor(next() * 6);
      for (let k = 0; k < n; k++) {
        const piece = PIECES[Math.floor(next() * PIECES.length)] ?? "";
        text += next() < 0.5 ? piece : piece.toLowerCase();
      }
      expectScreened(text);
    }
  });

  test("ordinary transcript text is screened out (no parse, no rule runs)", () => {
    for (const text of [
      '{"type":"user","content":"Please fix the task-list","usage":{"input_tokens":12}}',
      "export function add(a: number, b: number): number {\n  return a + b;\n}",
      "See https://example.com/docs/setup and max_tokens: 4096",
      '{"type":"tool","tool_name":"Read","tool_input":"{\\"file_path\\":\\"/home/dana/src/f1.ts\\"}"}',
    ])
      expect({ text, screened: redactor.mayContain(text) }).toEqual({ text, screened: false });
  });

  test("custom patterns are screened by their own expression, group names and all", () => {
    const r = new Redactor([
      { name: "acme_id", pattern: "(?<pre>id )ACME-[0-9]{6}" },
      { name: "acme_key", pattern: "(?<pre>key )ACMEK-([0-9])\\2{5}" },
    ]);
    const counts: RedactionCounts = {};
    expect(r.text("id ACME-123456 and key ACMEK-777777", counts)).toBe(
      "id [REDACTED:acme_id] and key [REDACTED:acme_key]",
    );
    expect(r.mayContain("ACMEK-123456")).toBe(false);
  });

  test("custom patterns see values as they are, not as JSON escapes them", () => {
    const r = new Redactor([{ name: "acme_id", pattern: "ACME\\s+ID-[0-9]{4}" }]);
    const counts: RedactionCounts = {};
    expect(
      JSON.parse(r.jsonLine({ text: `ACME\nID-1234 and AKIA${"IOSFODNN7EXAMPLE"}` }, counts)),
    ).toEqual({
      text: "[REDACTED:acme_id] and [REDACTED:aws_access_key]",
    });
    expect(counts).toEqual({ acme_id: 1, aws_access_key: 1 });
    expect(r.line(JSON.stringify({ text: "ACME\tID-1234" }), {})).toBe(
      '{"text":"[REDACTED:acme_id]"}',
    );
  });
});
