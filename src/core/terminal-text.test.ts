import { describe, expect, test } from "bun:test";
import { safeText } from "./terminal-text.ts";

const ESC = "\x1b";

describe("safeText", () => {
  test("plain text is returned as it is", () => {
    const text = "héllo wörld — 日本 🙂";
    expect(safeText(text)).toBe(text);
    expect(safeText("two\nlines\tand tab", { multiline: true })).toBe("two\nlines\tand tab");
  });

  test("colour, cursor and clear-screen sequences are removed whole", () => {
    expect(safeText(`${ESC}[31mred${ESC}[0m ${ESC}[2J${ESC}[H${ESC}[?25lok`)).toBe("red ok");
  });

  test("window titles and OSC-8 links are removed (BEL and ST terminated)", () => {
    const title = `${ESC}]0;pwned\x07`;
    const link = `${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`;
    expect(safeText(`${title}name ${link}`)).toBe("name click");
  });

  test("other control characters are shown escaped, never raw", () => {
    expect(safeText("a\x07b\x00c\x7fd\x85e")).toBe("a\\x07b\\x00c\\x7fd\\x85e");
    expect(safeText(`${ESC}`)).toBe("");
    expect(safeText("bidi \u202eevil")).toBe("bidi \\u{202e}evil");
  });

  test("an unterminated OSC string loses only its opener, not the text after it", () => {
    expect(safeText(`${ESC}]0;title and the rest`)).toBe("0;title and the rest");
  });

  test("single-line text escapes newlines, tabs and carriage returns", () => {
    expect(safeText("a\nb\tc\rd")).toBe("a\\nb\\tc\\rd");
  });

  test("multi-line text keeps \\n, \\t and CRLF, escapes a bare \\r", () => {
    expect(safeText("a\r\nb\rc\x1b[1m!", { multiline: true })).toBe("a\r\nb\\rc!");
  });

  test("nothing it returns contains a control character outside \\n \\t \\r\\n", () => {
    let all = "";
    for (let code = 0; code < 0xa0; code++) all += `${String.fromCharCode(code)}x`;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the assertion is about them.
    expect(safeText(all)).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the assertion is about them.
    expect(safeText(all, { multiline: true })).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });
});
