import { badInput } from "../errors/app-error";

/**
 * What a text input holds, which decides the characters it may contain:
 * - `name`: one line shown to other people (nicknames, workflow, step, workspace and token names,
 *   descriptions): no control character at all.
 * - `text`: free text that may span lines (a reason, step code): tab, line feed and carriage
 *   return are allowed, nothing else from the control ranges.
 * Both refuse bidirectional controls and the invisible formatting characters listed below.
 */
export type TextKind = "name" | "text";

/** The usual length bound of a name. */
export const NAME_MAX = 120;

// Invisible characters that reorder or hide text, so that what a reader sees is not what was
// stored (Trojan Source, spoofed names): bidi embeddings, overrides and isolates (U+202A–U+202E,
// U+2066–U+2069) and marks (U+061C, U+200E, U+200F); zero-width space, word joiner, invisible
// operators and deprecated format characters (U+200B, U+2060–U+2064, U+206A–U+206F); the byte
// order mark; soft hyphen, combining grapheme joiner, Hangul fillers, Mongolian vowel separator,
// Khmer invisible vowels, interlinear annotation; line and paragraph separators (U+2028/U+2029);
// noncharacters. Zero-width joiner and non-joiner (U+200C/U+200D) and variation selectors stay:
// emoji sequences and several scripts need them.
const INVISIBLE =
  "\\u00ad\\u034f\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180e\\u200b\\u200e\\u200f\\u2028-\\u202e\\u2060-\\u206f\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb\\ufffe\\uffff";
// Tag characters (U+E0000–U+E007F) hide ASCII text; the one legitimate use, emoji flag sequences
// (U+1F3F4 followed by tags, ended by U+E007F), is allowed.
const TAG = "\\udb40[\\udc00-\\udc7f]";
const FLAG_SEQUENCE = "\\ud83c\\udff4(?:\\udb40[\\udc20-\\udc7e])+\\udb40\\udc7f";
// Halves of a surrogate pair without the other half: not text, and not storable as UTF-8.
const LONE_SURROGATE = "[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]";

function forbiddenPattern(controls: string): RegExp {
  return new RegExp(`(${FLAG_SEQUENCE})|[${controls}${INVISIBLE}]|${TAG}|${LONE_SURROGATE}`, "g");
}

const FORBIDDEN: Record<TextKind, RegExp> = {
  name: forbiddenPattern("\\u0000-\\u001f\\u007f-\\u009f"),
  text: forbiddenPattern("\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f"),
};

/** A character a text may not contain: where, which, and what kind of character it is. */
export interface ForbiddenCharacter {
  index: number;
  codePoint: string;
  kind: "control" | "bidirectional" | "invisible" | "surrogate";
}

/** The first character of `text` that a text of this kind may not contain, or null. */
export function findForbiddenCharacter(text: string, kind: TextKind): ForbiddenCharacter | null {
  const pattern = FORBIDDEN[kind];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match[1]) continue; // an emoji flag sequence
    const code = match[0].length === 2 ? match[0].codePointAt(0)! : match[0].charCodeAt(0);
    const bidi = (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0x061c || code === 0x200e || code === 0x200f;
    return {
      index: match.index,
      codePoint: `U+${code.toString(16).toUpperCase().padStart(4, "0")}`,
      kind: code < 0xa0 ? "control" : bidi ? "bidirectional" : code >= 0xd800 && code <= 0xdfff ? "surrogate" : "invisible",
    };
  }
  return null;
}

const DESCRIBED: Record<ForbiddenCharacter["kind"], string> = {
  control: "a control character",
  bidirectional: "a bidirectional text control",
  invisible: "an invisible formatting character",
  surrogate: "half of a surrogate pair (not text)",
};

/** Refuses (BAD_USER_INPUT naming `field`) a text holding a character its kind forbids. */
export function checkText(text: string, field: string, kind: TextKind): void {
  const found = findForbiddenCharacter(text, kind);
  if (found) {
    throw badInput(`${field} contains ${DESCRIBED[found.kind]} (${found.codePoint} at position ${found.index}), which is not allowed.`, field);
  }
}

/**
 * A name as stored: trimmed, 1 to `max` characters, and free of control, bidirectional and
 * invisible formatting characters (BAD_USER_INPUT naming `field` otherwise).
 */
export function cleanName(name: string | null | undefined, field: string, max = NAME_MAX): string {
  const trimmed = typeof name === "string" ? name.trim() : "";
  if (!trimmed) throw badInput(`${field} must not be empty.`, field);
  if (trimmed.length > max) throw badInput(`${field} must be at most ${max} characters.`, field);
  checkText(trimmed, field, "name");
  return trimmed;
}

/** An optional free text as stored: trimmed, at most `max` characters, null when empty. */
export function cleanOptionalText(text: string | null | undefined, field: string, max: number, kind: TextKind = "text"): string | null {
  const trimmed = text?.trim() ?? "";
  if (trimmed.length > max) throw badInput(`${field} must be at most ${max} characters.`, field);
  checkText(trimmed, field, kind);
  return trimmed || null;
}
