/** `{{env.NAME}}`, with optional spaces inside the braces. */
const REFERENCE = /\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * Replaces every `{{env.NAME}}` (spaces allowed inside the braces) with the variable's value,
 * passed through `encode` when given (a URL path takes each value percent-encoded, so that a value
 * holding `/`, `?` or `#` cannot change the path's structure). References to unknown variables
 * stay as written and are listed (once each) in `missing`. Values are inserted literally: a value
 * that itself contains `{{env.X}}` is not expanded again.
 */
export function substituteEnv(
  text: string,
  values: Readonly<Record<string, string>>,
  encode: (value: string) => string = (value) => value,
): { text: string; missing: string[] } {
  const missing: string[] = [];
  const replaced = text.replace(REFERENCE, (reference: string, name: string) => {
    if (Object.prototype.hasOwnProperty.call(values, name)) return encode(values[name]!);
    if (!missing.includes(name)) missing.push(name);
    return reference;
  });
  return { text: replaced, missing };
}
