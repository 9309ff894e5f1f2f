/**
 * A strict parser for the XML property lists agentwork writes (plutil is macOS only). It accepts
 * the XML declaration, the plist DOCTYPE, comments and the elements plist, dict, key, string,
 * array, integer, true and false, with the five predefined entities; anything else (an unknown
 * element, a stray character, bad nesting, a dict whose keys and values do not alternate) throws.
 */
export type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

export function parsePlist(text: string): PlistValue {
  let pos = 0;
  const fail = (why: string): never => {
    throw new Error(`plist: ${why} at offset ${pos}: ${JSON.stringify(text.slice(pos, pos + 40))}`);
  };
  const skipMisc = () => {
    for (;;) {
      const ws = /^\s*/.exec(text.slice(pos))?.[0].length ?? 0;
      pos += ws;
      if (text.startsWith("<!--", pos)) {
        const end = text.indexOf("-->", pos + 4);
        if (end < 0 || text.slice(pos + 4, end).includes("--")) fail("bad comment");
        pos = end + 3;
      } else return;
    }
  };
  const expect = (literal: string) => {
    if (!text.startsWith(literal, pos)) fail(`expected ${literal}`);
    pos += literal.length;
  };
  const textUntil = (close: string): string => {
    const end = text.indexOf("<", pos);
    if (end < 0) fail("unterminated text");
    const raw = text.slice(pos, end);
    pos = end;
    expect(close);
    if (/&(?!(amp|lt|gt|quot|apos);)/.test(raw)) fail("unknown entity");
    return raw
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">")
      .replaceAll("&quot;", '"')
      .replaceAll("&apos;", "'")
      .replaceAll("&amp;", "&");
  };
  const value = (): PlistValue => {
    skipMisc();
    const tag = /^<([a-z]+)(\/?)>/.exec(text.slice(pos));
    if (!tag) return fail("expected an element");
    pos += tag[0].length;
    const [, name, selfClosing] = tag;
    if (selfClosing) {
      if (name === "true") return true;
      if (name === "false") return false;
      return fail(`unexpected <${name}/>`);
    }
    switch (name) {
      case "string":
        return textUntil("</string>");
      case "integer": {
        const digits = textUntil("</integer>");
        if (!/^-?\d+$/.test(digits)) fail("bad integer");
        return Number(digits);
      }
      case "array": {
        const items: PlistValue[] = [];
        for (skipMisc(); !text.startsWith("</array>", pos); skipMisc()) items.push(value());
        expect("</array>");
        return items;
      }
      case "dict": {
        const dict: { [key: string]: PlistValue } = {};
        for (skipMisc(); !text.startsWith("</dict>", pos); skipMisc()) {
          expect("<key>");
          const key = textUntil("</key>");
          if (key in dict) fail(`duplicate key ${key}`);
          dict[key] = value();
        }
        expect("</dict>");
        return dict;
      }
      default:
        return fail(`unknown element <${name}>`);
    }
  };
  expect('<?xml version="1.0" encoding="UTF-8"?>');
  skipMisc();
  expect(
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
  );
  skipMisc();
  expect('<plist version="1.0">');
  const root = value();
  skipMisc();
  expect("</plist>");
  skipMisc();
  if (pos !== text.length) fail("content after </plist>");
  return root;
}
