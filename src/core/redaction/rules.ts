/**
 * Built-in redaction rules: common credential formats. Each rule's `pattern` is global; when it
 * has named groups `pre`/`post`, only the text between them is replaced (the key name or URL
 * around a secret stays readable). `hint` is a cheap source used to pre-screen whole JSONL lines
 * before any parsing; it must match wherever `pattern` would (a superset). No pattern's value
 * class admits `[`, so a mark (`[REDACTED:kind]`) is never matched again: redaction is
 * idempotent.
 */
export interface RedactionRule {
  /** The kind named in the mark, `[a-z0-9_]+`. */
  kind: string;
  pattern: RegExp;
  hint: string;
  /** Optional extra check on the matched secret (entropy for generic assignments). */
  accept?: (secret: string) => boolean;
}

/** Key names whose values are secrets: `*_KEY`, `*_TOKEN`, `*SECRET*`, `PASSWORD`, ... */
export const SECRET_NAME =
  /(?:api[_-]?key|access[_-]?key|secret[_-]?key|private[_-]?key|_key|_token|^token|auth[_-]?token|secret|password|passwd|pwd|credentials?)$/i;

const ASSIGN_NAME = "[A-Za-z0-9_.-]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|PWD|CREDENTIALS?)";

export function builtinRules(accept: (secret: string) => boolean): RedactionRule[] {
  return [
    {
      kind: "private_key",
      pattern:
        /-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
      hint: "PRIVATE KEY",
    },
    {
      kind: "aws_access_key",
      pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g,
      hint: "A[KSBC][IC]A",
    },
    {
      kind: "aws_secret_key",
      pattern:
        /(?<pre>aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/gi,
      hint: "(?:aws_?secret)",
    },
    { kind: "github_token", pattern: /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g, hint: "gh[pousr]_" },
    { kind: "github_token", pattern: /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g, hint: "github_pat_" },
    {
      kind: "gitlab_token",
      pattern: /\bgl(?:pat|oas|dt|rt|ft|cbt|ptt)-[A-Za-z0-9_-]{15,}/g,
      hint: "gl(?:pat|oas|dt|rt|ft|cbt|ptt)-",
    },
    { kind: "slack_token", pattern: /\bxox[abposre]-[A-Za-z0-9-]{10,}/g, hint: "xox[abposre]-" },
    {
      kind: "slack_webhook",
      pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]+/g,
      hint: "hooks\\.slack\\.com",
    },
    { kind: "anthropic_api_key", pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/g, hint: "sk-ant-" },
    {
      kind: "openai_api_key",
      pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g,
      hint: "\\bsk-",
    },
    { kind: "google_api_key", pattern: /\bAIza[0-9A-Za-z_-]{35}/g, hint: "AIza" },
    {
      kind: "stripe_key",
      pattern: /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/g,
      hint: "k_(?:live|test)_",
    },
    { kind: "npm_token", pattern: /\bnpm_[A-Za-z0-9]{36}\b/g, hint: "npm_" },
    { kind: "pypi_token", pattern: /\bpypi-[A-Za-z0-9_-]{50,}/g, hint: "pypi-" },
    {
      kind: "sendgrid_key",
      pattern: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g,
      hint: "SG\\.",
    },
    {
      kind: "jwt",
      pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
      hint: "eyJ",
    },
    {
      kind: "url_credentials",
      pattern: /(?<pre>\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/"'<>[\]]*:)[^\s@/"'<>[\]]+(?<post>@)/gi,
      hint: ":\\/\\/",
    },
    {
      kind: "auth_header",
      pattern:
        /(?<pre>\bauthorization["']?\s*[:=]\s*["']?(?:bearer|basic|token)\s+)[A-Za-z0-9._~+/=-]{12,}/gi,
      hint: "uthorization",
    },
    {
      kind: "secret_assignment",
      pattern: new RegExp(
        `(?<pre>\\b${ASSIGN_NAME}\\\\?["']?\\s*[:=]\\s*\\\\?["']?)[^\\s"'\`,;[\\]{}()<>\\\\]{8,}`,
        "gi",
      ),
      hint: "(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|PWD|CREDENTIALS?)\\\\?[\"']?\\s*[:=]",
      accept,
    },
  ];
}
