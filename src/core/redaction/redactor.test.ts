import { describe, expect, test } from "bun:test";
import { compileCustom, countMarks, type RedactionCounts, Redactor } from "./redactor.ts";

// Test credentials, assembled so no scanner mistakes this file for a leak.
const AWS = `AKIA${"IOSFODNN7EXAMPLE"}`;
const GITHUB = `ghp_${"a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"}`;
const ANTHROPIC = `sk-ant-api03-${"Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe"}`;
const OPENAI = `sk-proj-${"Ab12Cd34Ef56Gh78Ij90Kl12Mn34"}`;
const SLACK = `xoxb-${"123456789012-1234567890123-AbCdEfGhIjKl"}`;
const KEY_BLOCK = `-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7x\nq8Zr\n-----END RSA PRIVATE KEY-----`;
const DB_URL = "postgres://app:S3cr3tPassw0rd@db.internal:5432/app";
const JWT = `eyJhbGciOiJIUzI1NiJ9.${"eyJzdWIiOiIxMjM0NTY3ODkwIn0"}.${"dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"}`;

function red(text: string, extra = new Redactor()): { out: string; counts: RedactionCounts } {
  const counts: RedactionCounts = {};
  return { out: extra.text(text, counts), counts };
}

describe("Redactor", () => {
  test("the eight credential kinds from the issue are replaced by marks naming the kind", () => {
    const text = [AWS, GITHUB, ANTHROPIC, OPENAI, SLACK, KEY_BLOCK, DB_URL, JWT].join("\n and ");
    const { out, counts } = red(text);
    for (const s of [
      AWS,
      GITHUB,
      ANTHROPIC,
      OPENAI,
      SLACK,
      "MIIEowIBAAKCAQEA7x",
      "S3cr3tPassw0rd",
      JWT,
    ])
      expect(out).not.toContain(s);
    expect(counts).toEqual({
      aws_access_key: 1,
      github_token: 1,
      anthropic_api_key: 1,
      openai_api_key: 1,
      slack_token: 1,
      private_key: 1,
      url_credentials: 1,
      jwt: 1,
    });
    expect(out).toContain("postgres://app:[REDACTED:url_credentials]@db.internal:5432/app");
    expect(out).toContain("[REDACTED:aws_access_key]");
  });

  test("assignments are redacted only when the value looks like a secret", () => {
    const { out, counts } = red(
      "export SERVICE_TOKEN=q8Zr7Xw2Lm9Kp4Vt\nDB_PASSWORD=changeme\nAPI_KEY=$API_KEY\nmax_tokens=4096",
    );
    expect(out).toContain("SERVICE_TOKEN=[REDACTED:secret_assignment]");
    expect(out).toContain("DB_PASSWORD=changeme");
    expect(out).toContain("API_KEY=$API_KEY");
    expect(out).toContain("max_tokens=4096");
    expect(counts).toEqual({ secret_assignment: 1 });
  });

  test("idempotent: redacting twice changes nothing more and counts nothing new", () => {
    const text = `key ${AWS} url ${DB_URL} SERVICE_TOKEN=q8Zr7Xw2Lm9Kp4Vt ${KEY_BLOCK}`;
    const once = red(text).out;
    const twice = red(once);
    expect(twice.out).toBe(once);
    expect(twice.counts).toEqual({});
  });

  test("a JSONL line stays valid JSON, secrets inside string values and under secret-named keys", () => {
    const r = new Redactor();
    const line = JSON.stringify({
      type: "tool",
      tool_output: `cat ~/.ssh/id_rsa\n${KEY_BLOCK}\n"quoted" ${GITHUB}`,
      env: { OPENAI_API_KEY: "Zq8Rr7Xw2Lm9Kp4VtZq8Rr7X", HOME: "/home/dana" },
    });
    const counts: RedactionCounts = {};
    const out = r.line(line, counts);
    const parsed = JSON.parse(out);
    expect(parsed.tool_output).toBe(
      'cat ~/.ssh/id_rsa\n[REDACTED:private_key]\n"quoted" [REDACTED:github_token]',
    );
    expect(parsed.env).toEqual({
      OPENAI_API_KEY: "[REDACTED:secret_assignment]",
      HOME: "/home/dana",
    });
    expect(counts).toEqual({ private_key: 1, github_token: 1, secret_assignment: 1 });
    expect(r.line(out, {})).toBe(out);
  });

  test("a line without secrets is returned as the same string, byte for byte", () => {
    const line = '{"type":"user","content":"Please fix the task-list","usage":{"input_tokens":12}}';
    expect(new Redactor().line(line, {})).toBe(line);
  });

  test("a line that is not JSON is redacted as text", () => {
    const counts: RedactionCounts = {};
    expect(new Redactor().line(`{"broken": "${AWS}`, counts)).toBe(
      '{"broken": "[REDACTED:aws_access_key]',
    );
  });

  test("custom patterns add kinds; bad ones are refused with the reason", () => {
    const r = new Redactor([{ name: "acme_id", pattern: "ACME-[0-9]{6}" }]);
    expect(red("order ACME-123456 done", r).out).toBe("order [REDACTED:acme_id] done");
    expect(() => compileCustom({ name: "Bad Name", pattern: "x" })).toThrow(/name must match/);
    expect(() => compileCustom({ name: "x", pattern: "(" })).toThrow();
    expect(() => compileCustom({ name: "x", pattern: "a*" })).toThrow(/empty string/);
  });

  test("countMarks counts marks by kind", () => {
    const counts: RedactionCounts = {};
    countMarks("[REDACTED:jwt] and [REDACTED:jwt] and [REDACTED:aws_access_key]", counts);
    expect(counts).toEqual({ jwt: 2, aws_access_key: 1 });
  });
});
