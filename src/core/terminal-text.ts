/** biome-ignore-all lint/suspicious/noControlCharactersInRegex: this module exists to match them. */
/**
 * Text from transcripts, session names and error messages can carry terminal control sequences:
 * `cat session.md` or a `queue` table would then clear the screen, set the window title, plant
 * OSC-8 links or recolour the terminal. Every writer of such text to a file a person cats (session.md,
 * summary.md), to a commit message, a log line or a CLI table passes it through `safeText`.
 * session.html escapes HTML separately (and keeps doing so).
 *
 * ANSI sequences (CSI `ESC [ ... final`, OSC `ESC ] ... BEL|ST`, DCS/APC/PM/SOS strings and
 * two-byte escapes) are removed whole, so a coloured tool output reads as its plain text. Any other
 * control character (C0, DEL, C1, bidi overrides) is written visibly as `\xNN` / `\u{NNNN}`.
 * Multi-line text keeps `\n` and `\t` (and `\r` only before `\n`); single-line text (names, table
 * cells, log lines) escapes those too.
 */

const SEQUENCE =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]{0,4096}(?:\x07|\x1b\\|\x9c)|\x1b[ -/]*[0-~]?/g;

const CONTROL_MULTILINE =
  /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/g;
const CONTROL_SINGLE_LINE = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

// A cheap pre-check: most text has nothing to escape and is returned as it is.
const ANY = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;
const ANY_SINGLE_LINE = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export interface SafeTextOptions {
  /** Keep newlines and tabs (transcript text, summaries); default false (names, cells, logs). */
  multiline?: boolean;
}

function visible(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (code === 0x0a) return "\\n";
  if (code === 0x0d) return "\\r";
  if (code === 0x09) return "\\t";
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u{${code.toString(16).padStart(4, "0")}}`;
}

/** `text` with terminal control sequences removed and other control characters shown escaped. */
export function safeText(text: string, options: SafeTextOptions = {}): string {
  const multiline = options.multiline === true;
  if (!(multiline ? ANY : ANY_SINGLE_LINE).test(text)) return text;
  return text
    .replace(SEQUENCE, "")
    .replace(multiline ? CONTROL_MULTILINE : CONTROL_SINGLE_LINE, visible);
}
