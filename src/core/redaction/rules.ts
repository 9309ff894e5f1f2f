/**
 * Built-in redaction rules: common credential formats. Each rule's `pattern` is global; when it
 * has named groups `pre`/`post`, only the text between them is replaced (the key name or URL
 * around a secret stays readable). No pattern's value class admits `[`, so a mark
 * (`[REDACTED:kind]`) is never matched again: redaction is idempotent.
 */
export interface RedactionRule {
  /** The kind named in the mark, `[a-z0-9_]+`. */
  kind: string;
  pattern: RegExp;
  /**
   * The pre-screen (`screen.ts`): a regular expression source, compiled without the `i` flag,
   * that matches wherever `pattern` would (a superset), both in a text and in that text as
   * JSON.stringify writes it (`\n`, `\"`, `\\` escapes; `\/` too). Lines holding `\u`
   * escapes, which can spell any character, are not screened as written (`Redactor.line`).
   */
  hint: string;
  /** The combined pre-screen the hint joins (built-in rules); a custom rule is screened alone. */
  screen?: "token" | "assignment";
  /** Optional extra check on the matched secret (entropy for generic assignments). */
  accept?: (secret: string) => boolean;
}

/** Key names whose values are secrets: `*_KEY`, `*_TOKEN`, `*SECRET*`, `PASSWORD`, ... */
export const SECRET_NAME =
  /(?:api[_-]?key|access[_-]?key|secret[_-]?key|private[_-]?key|_key|_token|^token|auth[_-]?token|secret|password|passwd|pwd|credentials?)$/i;

const ASSIGN_NAME = "[A-Za-z0-9_.-]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|PWD|CREDENTIALS?)";

/** `key` → `[kK][eE][yY]`: case-insensitive without the `i` flag, which the JIT scans slower. */
function anyCase(word: string): string {
  return [...word].map((c) => `[${c}${c.toUpperCase()}]`).join("");
}

/**
 * One hint for the three case-insensitive `name: value` rules (secret_assignment, aws_secret_key,
 * auth_header; every SECRET_NAME key of a JSON object too): a `:` or `=` after a name ending in
 * one of these words, with quotes, backslashes and white space (raw, or escaped as JSON.stringify
 * writes it: `\n`, `\t`, `\r`, `\f`, `\u000b`) between. It anchors on the separator and its
 * neighbour (the word's last letter or a skipped character), then looks back for the word.
 */
const SECRET_WORDS = [
  "key",
  "token",
  "secret",
  "password",
  "passwd",
  "pwd",
  "credential",
  "credentials",
  "authorization",
].map(anyCase);
const ASSIGNMENT_HINT = String.raw`[yYnNtTdDlLsSrfb"'\s\\][:=](?<=(?:${SECRET_WORDS.join("|")})(?:\\[ntrf]|\\u000b|["'\s\\])*[:=])`;

/**
 * `\b` before a token, also where JSON writes the character before it as an escape (`\n`,
 * `\u001b`): the boundary's other side is then a letter or digit of the escape.
 */
const B = String.raw`(?:\b|\\[bfnrt]|\\u[0-9a-fA-F]{4})`;

export function builtinRules(accept: (secret: string) => boolean): RedactionRule[] {
  return [
    {
      kind: "private_key",
      pattern:
        /-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
      hint: "(?<=PRI)VATE KEY",
      screen: "token",
    },
    {
      kind: "aws_access_key",
      pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g,
      hint: `(?<=${B}A[KSB])IA|(?<=${B}AC)CA`,
      screen: "token",
    },
    {
      kind: "aws_secret_key",
      pattern:
        /(?<pre>aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/gi,
      hint: ASSIGNMENT_HINT,
      screen: "assignment",
    },
    {
      kind: "github_token",
      pattern: /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g,
      hint: `(?<=${B}gh[pousr])_`,
      screen: "token",
    },
    {
      kind: "github_token",
      pattern: /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g,
      hint: `(?<=${B}github)_pat_`,
      screen: "token",
    },
    {
      kind: "gitlab_token",
      pattern: /\bgl(?:pat|oas|dt|rt|ft|cbt|ptt)-[A-Za-z0-9_-]{15,}/g,
      hint: `(?<=${B}gl(?:pat|oas|dt|rt|ft|cbt|ptt))-`,
      screen: "token",
    },
    {
      kind: "slack_token",
      pattern: /\bxox[abposre]-[A-Za-z0-9-]{10,}/g,
      hint: `(?<=${B}xox[abposre])-`,
      screen: "token",
    },
    {
      kind: "slack_webhook",
      pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]+/g,
      hint: "(?<=hooks)\\.slack\\.com",
      screen: "token",
    },
    {
      kind: "anthropic_api_key",
      pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/g,
      hint: `(?<=${B}sk)-`,
      screen: "token",
    },
    {
      kind: "openai_api_key",
      pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g,
      hint: `(?<=${B}sk)-`,
      screen: "token",
    },
    {
      kind: "google_api_key",
      pattern: /\bAIza[0-9A-Za-z_-]{35}/g,
      hint: `(?<=${B}AI)za`,
      screen: "token",
    },
    {
      kind: "stripe_key",
      pattern: /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/g,
      hint: `(?<=${B}[rs]k)_(?:live|test)_`,
      screen: "token",
    },
    {
      kind: "npm_token",
      pattern: /\bnpm_[A-Za-z0-9]{36}\b/g,
      hint: `(?<=${B}npm)_`,
      screen: "token",
    },
    {
      kind: "pypi_token",
      pattern: /\bpypi-[A-Za-z0-9_-]{50,}/g,
      hint: `(?<=${B}pypi)-`,
      screen: "token",
    },
    {
      kind: "sendgrid_key",
      pattern: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g,
      hint: String.raw`(?<=${B}SG)\.`,
      screen: "token",
    },
    {
      kind: "jwt",
      pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
      hint: `(?<=${B}ey)J`,
      screen: "token",
    },
    {
      kind: "url_credentials",
      pattern: /(?<pre>\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/"'<>[\]]*:)[^\s@/"'<>[\]]+(?<post>@)/gi,
      // The whole shape but the case: `://` (or `:\/\/`), user, `:`, password, `@`.
      hint: String.raw`[a-zA-Z0-9+.-]:(?:\/\/|\\\/\\\/)[^\s:@/"'<>[\]]*:[^\s@/"'<>[\]]+@`,
      screen: "assignment",
    },
    {
      kind: "auth_header",
      pattern:
        /(?<pre>\bauthorization["']?\s*[:=]\s*["']?(?:bearer|basic|token)\s+)[A-Za-z0-9._~+/=-]{12,}/gi,
      hint: ASSIGNMENT_HINT,
      screen: "assignment",
    },
    {
      kind: "secret_assignment",
      pattern: new RegExp(
        `(?<pre>\\b${ASSIGN_NAME}\\\\?["']?\\s*[:=]\\s*\\\\?["']?)[^\\s"'\`,;[\\]{}()<>\\\\]{8,}`,
        "gi",
      ),
      hint: ASSIGNMENT_HINT,
      screen: "assignment",
      accept,
    },
  ];
}
