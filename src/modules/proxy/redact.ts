/** What a redacted secret is replaced with. */
export const REDACTED = "[redacted]";

/** Secrets shorter than this are not redacted (they would match ordinary text everywhere). */
const MIN_SECRET_LENGTH = 4;
// The most characters of raw text one decoded UTF-16 unit can come from (`&#0000065;`; the 12 of
// `%F0%9F%98%80` make two units).
const LONGEST_ESCAPE = 10;

/** Replaces every secret, in any common encoding, with REDACTED. */
export interface Redactor {
  (text: string): string;
  /**
   * The most characters one secret can take in any encoding it is recognised in. Text that is to
   * be cut must be redacted with at least this much read past the cut, so that a secret
   * straddling the cut is recognised whole.
   */
  readonly margin: number;
  /**
   * Redacts `text` (read `margin` characters or more past the cut) and cuts it to at most
   * `maxBytes` of UTF-8: never between the two halves of a character, never inside a secret
   * (one that straddles the cut is left out whole), never inside the REDACTED marker.
   */
  cut(text: string, maxBytes: number): string;
}

const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");

// Escapes that stand for one character: percent-encoded UTF-8 (one code point at a time), JSON's
// `\uXXXX` and two-character escapes, HTML character references. Text is scanned once more with
// these decoded, so that a secret is found whatever mix of them an app (or an encoder) used.
const ESCAPES =
  /%[0-7][0-9a-f]|%[c-d][0-9a-f]%[89ab][0-9a-f]|%e[0-9a-f](?:%[89ab][0-9a-f]){2}|%f[0-4](?:%[89ab][0-9a-f]){3}|\\u[0-9a-f]{4}|\\["\\/bfnrt]|&#[0-9]{1,7};|&#x[0-9a-f]{1,6};|&(?:amp|lt|gt|quot|apos);/gi;
const JSON_SHORT: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const HTML_NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEscape(escape: string): string {
  const first = escape[0];
  if (first === "%") return Buffer.from(escape.replace(/%/g, ""), "hex").toString("utf8");
  if (first === "\\") return escape[1] === "u" || escape[1] === "U" ? String.fromCharCode(parseInt(escape.slice(2), 16)) : JSON_SHORT[escape[1]!.toLowerCase()]!;
  if (escape[1] !== "#") return HTML_NAMED[escape.slice(1, -1).toLowerCase()]!;
  const code = escape[2] === "x" || escape[2] === "X" ? parseInt(escape.slice(3, -1), 16) : parseInt(escape.slice(2, -1), 10);
  return code <= 0x10ffff ? String.fromCodePoint(code) : escape;
}

/**
 * `text` with every escape decoded, and a way back: `units` lists each decoded escape as
 * [decoded start, decoded length, raw start, raw end], in order. Null when there is no escape.
 */
function decodeEscapes(text: string): { decoded: string; units: number[] } | null {
  const parts: string[] = [];
  const units: number[] = [];
  let last = 0;
  let length = 0;
  ESCAPES.lastIndex = 0;
  for (let match = ESCAPES.exec(text); match; match = ESCAPES.exec(text)) {
    const plain = text.slice(last, match.index);
    const decoded = decodeEscape(match[0]);
    parts.push(plain, decoded);
    length += plain.length;
    units.push(length, decoded.length, match.index, match.index + match[0].length);
    length += decoded.length;
    last = match.index + match[0].length;
  }
  if (units.length === 0) return null;
  parts.push(text.slice(last));
  return { decoded: parts.join(""), units };
}

/** Maps a span of the decoded text back to the raw text (escapes are kept whole). */
function rawSpan(units: number[], start: number, end: number): [number, number] {
  // The last escape starting at or before `position`, by binary search over `units`.
  const unitAt = (position: number) => {
    let low = 0;
    let high = units.length / 4 - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (units[middle * 4]! <= position) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  };
  const toRaw = (position: number, edge: "start" | "end"): number => {
    const unit = unitAt(position);
    if (unit === -1) return edge === "start" ? position : position + 1;
    const [decodedStart, decodedLength, rawStart, rawEnd] = units.slice(unit * 4, unit * 4 + 4) as [number, number, number, number];
    if (position < decodedStart + decodedLength) return edge === "start" ? rawStart : rawEnd;
    const raw = rawEnd + (position - decodedStart - decodedLength);
    return edge === "start" ? raw : raw + 1;
  };
  return [toRaw(start, "start"), toRaw(end - 1, "end")];
}

/**
 * The base64 texts that show these bytes wherever they sit in a longer encoded value (e.g. the
 * password of a Basic auth header, `user:password`): for each of the three alignments, the
 * characters that depend on the secret's bytes alone.
 */
function base64Needles(bytes: Buffer): string[] {
  const needles: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    const stable = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
    if (stable.length >= MIN_SECRET_LENGTH) needles.push(stable, stable.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return needles;
}

/**
 * A redactor for a set of secrets. Each is recognised as itself in any letter case (upper-cased
 * keys included); as hex of its UTF-8 (either case); as base64 or base64url, with or without
 * padding, at any byte offset of a longer encoded value; and percent-encoded (either case, `+`
 * for a space), JSON-escaped (`\uXXXX` for any character) or HTML-escaped, in any mix. It costs
 * two scans of a text whatever the number of secrets: one regular expression of every form over
 * the text as it is, and the same over the text with its escapes decoded (only when it has any).
 */
export function makeRedactor(secrets: Iterable<string>): Redactor {
  // Each needle, and whether it is base64 (whose last characters may run into padding).
  const needles = new Map<string, boolean>();
  for (const secret of secrets) {
    if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) continue;
    const bytes = Buffer.from(secret, "utf8");
    needles.set(secret, needles.get(secret) ?? false);
    if (secret.includes(" ")) needles.set(secret.replace(/ /g, "+"), false);
    needles.set(bytes.toString("hex"), false);
    for (const base64 of base64Needles(bytes)) needles.set(base64, true);
  }
  if (needles.size === 0) {
    const cut = (text: string, maxBytes: number) => {
      const kept = cutUtf8(text, maxBytes);
      return kept.slice(0, withoutPartialMarker(text, kept.length));
    };
    return Object.assign((text: string) => text, { margin: 0, cut });
  }
  // Longer needles first, so that a secret containing another is redacted whole. Base64 that ends
  // its encoded value takes its last character or two along (they carry the secret's last bits),
  // with the padding if any.
  const ordered = [...needles].sort((a, b) => b[0].length - a[0].length);
  const tail = "(?:[A-Za-z0-9+/_-]{1,2}(?:=+|(?![A-Za-z0-9+/_-])))?";
  const pattern = new RegExp(ordered.map(([n, base64]) => escapeRegExp(n) + (base64 ? tail : "")).join("|"), "gi");
  const margin = (ordered[0]![0].length + 4) * LONGEST_ESCAPE;

  const spansOf = (text: string): Array<[number, number]> => {
    const spans: Array<[number, number]> = [];
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) spans.push([match.index, match.index + match[0].length]);
    const decoded = decodeEscapes(text);
    if (decoded) {
      pattern.lastIndex = 0;
      for (let match = pattern.exec(decoded.decoded); match; match = pattern.exec(decoded.decoded)) {
        spans.push(rawSpan(decoded.units, match.index, match.index + match[0].length));
      }
    }
    return mergeSpans(spans);
  };
  const redact = (text: string, spans = spansOf(text), until = text.length): string => {
    const parts: string[] = [];
    let last = 0;
    for (const [start, end] of spans) {
      if (start >= until) break;
      parts.push(text.slice(last, start), REDACTED);
      last = end;
    }
    if (last < until) parts.push(text.slice(last, until));
    return parts.join("");
  };
  const cut = (text: string, maxBytes: number): string => {
    const spans = spansOf(text);
    let until = cutUtf8(text, maxBytes).length;
    // A secret straddling the cut is left out whole.
    for (const [start, end] of spans) if (start < until && end > until) until = start;
    const out = redact(text, spans, withoutPartialMarker(text, until));
    if (Buffer.byteLength(out) <= maxBytes) return out;
    // Markers longer than the secrets they replace pushed it over: cut again, not inside a marker.
    const shorter = cutUtf8(out, maxBytes);
    return shorter.slice(0, withoutPartialMarker(out, shorter.length));
  };
  return Object.assign((text: string) => (text.length < MIN_SECRET_LENGTH ? text : redact(text)), { margin, cut });
}

/** Where to cut `text` at `until` without keeping the start of a REDACTED marker (one redacted earlier included). */
function withoutPartialMarker(text: string, until: number): number {
  for (let back = 1; back < REDACTED.length && back <= until; back++) {
    if (text.startsWith(REDACTED, until - back)) return until - back;
  }
  return until;
}

/** Sorted, overlapping or touching spans merged. */
function mergeSpans(spans: Array<[number, number]>): Array<[number, number]> {
  if (spans.length < 2) return spans;
  spans.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [spans[0]!];
  for (const span of spans.slice(1)) {
    const last = merged[merged.length - 1]!;
    if (span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push(span);
  }
  return merged;
}

/** The longest start of `text` that is at most `maxBytes` of UTF-8, without splitting a character. */
export function cutUtf8(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes) return text;
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString("utf8");
}

/**
 * Applies a redactor to every string (keys included) inside a JSON-like value, and returns the
 * redacted copy. Iterative, so that a value nested 100,000 levels deep does not exhaust the stack.
 */
export function redactDeep<T>(value: T, redact: (text: string) => string): T {
  const pending: Array<[source: object, target: Record<string, unknown> | unknown[]]> = [];
  const copy = (item: unknown): unknown => {
    if (typeof item === "string") return redact(item);
    if (item === null || typeof item !== "object") return item;
    const target: Record<string, unknown> | unknown[] = Array.isArray(item) ? [] : {};
    pending.push([item, target]);
    return target;
  };
  const result = copy(value);
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [source, target] = next;
    if (Array.isArray(source)) {
      for (const item of source) (target as unknown[]).push(copy(item));
    } else {
      for (const [key, item] of Object.entries(source)) {
        // defineProperty: a key named "__proto__" stays a key.
        Object.defineProperty(target, redact(key), { value: copy(item), enumerable: true, writable: true, configurable: true });
      }
    }
  }
  return result as T;
}
