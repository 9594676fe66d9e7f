/**
 * Unit tests of the key ring and the sealer (no service, no database): key-ring parsing, the
 * AES-256-GCM envelope format, tamper and context binding, key rotation and keyed fingerprints.
 */
import { randomBytes } from "node:crypto";
import { KeyRing } from "../src/crypto/key-ring";
import { SealError, Sealer, type SealContext } from "../src/crypto/sealer";

const keyB64 = (fill?: number) => (fill === undefined ? randomBytes(32) : Buffer.alloc(32, fill)).toString("base64");
const OLD_KEY = keyB64();
const NEW_KEY = keyB64();
const oldRing = KeyRing.parse(`old:${OLD_KEY}`);
const rotatedRing = KeyRing.parse(`new:${NEW_KEY},old:${OLD_KEY}`);
const newOnlyRing = KeyRing.parse(`new:${NEW_KEY}`);

const CONTEXT: SealContext = { workspaceId: "ws-1", table: "account_secrets", rowId: "acct-1", field: "api_key" };
const SECRET = `SG.unit-${randomBytes(12).toString("hex")}`;

const ENVELOPE = /^cas1\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]+)$/;

/** The error a thunk throws (failing the test when it throws nothing). */
function errorOf(thunk: () => unknown): Error {
  try {
    thunk();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error, none was thrown");
}

/** Replaces one base64url part of an envelope (index 2 nonce, 3 ciphertext, 4 tag) with `change(bytes)`. */
function withPart(envelope: string, index: 2 | 3 | 4, change: (bytes: Buffer) => Buffer): string {
  const parts = envelope.split(".");
  parts[index] = change(Buffer.from(parts[index]!, "base64url")).toString("base64url");
  return parts.join(".");
}

describe("KeyRing.parse", () => {
  const SECOND = keyB64();

  it("parses a ring, current key first, each key 32 bytes, found by kid", () => {
    const ring = KeyRing.parse(` k2:${SECOND} , k1:${OLD_KEY} `);
    expect(ring.keys.map((k) => k.kid)).toEqual(["k2", "k1"]);
    expect(ring.current.kid).toBe("k2");
    expect(ring.current.key.equals(Buffer.from(SECOND, "base64"))).toBe(true);
    expect(ring.get("k1")?.key.equals(Buffer.from(OLD_KEY, "base64"))).toBe(true);
    expect(ring.get("k3")).toBeUndefined();
  });

  it("accepts a generated spec", () => {
    const spec = KeyRing.generateSpec("gen_1");
    const ring = KeyRing.parse(spec);
    expect(ring.current.kid).toBe("gen_1");
    expect(ring.current.key).toHaveLength(32);
  });

  const short = randomBytes(16).toString("base64");
  const long = randomBytes(48).toString("base64");
  it.each([
    ["a kid with forbidden characters", `bad.kid:${SECOND}`, /kid of letters, digits, _ or -/, SECOND],
    ["a kid longer than 32 characters", `${"k".repeat(33)}:${SECOND}`, /kid of letters, digits, _ or -/, SECOND],
    ["an empty kid", `:${SECOND}`, /kid of letters, digits, _ or -/, SECOND],
    ["a key without a kid", SECOND, /each key must be kid:base64/, SECOND],
    ["a 16-byte key", `short:${short}`, /key short must be 32 bytes .*got 16/, short],
    ["a 48-byte key", `long:${long}`, /key long must be 32 bytes .*got 48/, long],
    ["an empty key", "nokey:", /key nokey must be 32 bytes .*got 0/, ""],
    ["a duplicate kid", `dup:${SECOND},other:${OLD_KEY},dup:${keyB64()}`, /key id dup appears twice/, SECOND],
    ["an empty spec", "", /must hold at least one key/, ""],
    ["a spec of separators only", " , ,, ", /must hold at least one key/, ""],
  ])("refuses %s, naming the problem and never the key material", (_label, spec, message, material) => {
    const error = errorOf(() => KeyRing.parse(spec));
    expect(error.message).toMatch(message);
    // No key of the spec, nor any 8-character run of one, appears in the message.
    const keys = spec.split(",").map((p) => p.slice(p.indexOf(":") + 1).trim()).filter((k) => k.length >= 8);
    if (material) expect(keys).toContain(material);
    for (const key of keys) {
      for (let i = 0; i + 8 <= key.length; i += 4) expect(error.message).not.toContain(key.slice(i, i + 8));
      expect(error.message).not.toContain(Buffer.from(key, "base64").toString("hex").slice(0, 16));
    }
  });
});

describe("Sealer: envelopes", () => {
  const sealer = new Sealer(oldRing);

  it.each([
    ["an API key", SECRET],
    ["unicode", "clé-秘密-🔑"],
    ["an empty string", ""],
    ["a long value", randomBytes(3000).toString("base64")],
  ])("seals and opens %s", (_label, plaintext) => {
    const envelope = sealer.seal(plaintext, CONTEXT);
    expect(sealer.open(envelope, CONTEXT)).toBe(plaintext);
    if (plaintext) expect(envelope).not.toContain(plaintext);
  });

  it("writes cas1.<kid>.<nonce>.<ciphertext>.<tag>: base64url, 12-byte nonce, ciphertext as long as the plaintext, 16-byte tag", () => {
    const envelope = sealer.seal(SECRET, CONTEXT);
    const match = ENVELOPE.exec(envelope);
    expect(match).not.toBeNull();
    const [, kid, nonce, ciphertext, tag] = match!;
    expect(kid).toBe("old");
    expect(Buffer.from(nonce!, "base64url")).toHaveLength(12);
    expect(Buffer.from(ciphertext!, "base64url")).toHaveLength(Buffer.byteLength(SECRET, "utf8"));
    expect(Buffer.from(tag!, "base64url")).toHaveLength(16);
    expect(Sealer.isSealed(envelope)).toBe(true);
    expect(Sealer.isSealed(SECRET)).toBe(false);
    expect(sealer.kidOf(envelope)).toBe("old");
    expect(sealer.currentKid).toBe("old");
    for (const encoding of ["base64", "base64url", "hex"] as const) {
      expect(envelope).not.toContain(Buffer.from(SECRET, "utf8").toString(encoding).slice(0, 12));
    }
  });

  it("gives a different envelope (nonce and ciphertext) each time the same plaintext is sealed", () => {
    const envelopes = Array.from({ length: 20 }, () => sealer.seal(SECRET, CONTEXT));
    expect(new Set(envelopes).size).toBe(20);
    expect(new Set(envelopes.map((e) => e.split(".")[2])).size).toBe(20);
    expect(new Set(envelopes.map((e) => e.split(".")[3])).size).toBe(20);
    for (const envelope of envelopes) expect(sealer.open(envelope, CONTEXT)).toBe(SECRET);
  });

  it("refuses to seal a value that is already sealed", () => {
    const envelope = sealer.seal(SECRET, CONTEXT);
    expect(() => sealer.seal(envelope, CONTEXT)).toThrow(/already sealed/);
    expect(() => sealer.seal(envelope, { ...CONTEXT, rowId: "acct-2" })).toThrow(/already sealed/);
  });

  it.each([
    ["nonce", 2],
    ["ciphertext", 3],
    ["tag", 4],
  ] as const)("refuses an envelope with any byte of its %s flipped (decoded, flipped, re-encoded)", (_label, index) => {
    const envelope = sealer.seal(SECRET, CONTEXT);
    const length = Buffer.from(envelope.split(".")[index]!, "base64url").length;
    expect(length).toBeGreaterThan(0);
    for (let i = 0; i < length; i++) {
      for (const bit of [0x01, 0x80]) {
        const tampered = withPart(envelope, index, (bytes) => {
          const copy = Buffer.from(bytes);
          copy[i] = copy[i]! ^ bit;
          return copy;
        });
        expect(tampered).not.toBe(envelope);
        expect(() => sealer.open(tampered, CONTEXT)).toThrow(SealError);
      }
    }
    // The untouched envelope still opens: the failures above are the flips' doing.
    expect(sealer.open(envelope, CONTEXT)).toBe(SECRET);
  });

  it("refuses a truncated tag, even the correct tag's first 12 bytes (GCM would otherwise accept it)", () => {
    const envelope = sealer.seal(SECRET, CONTEXT);
    for (const size of [12, 15, 4, 0]) {
      const truncated = withPart(envelope, 4, (tag) => tag.subarray(0, size));
      expect(() => sealer.open(truncated, CONTEXT)).toThrow(SealError);
      expect(errorOf(() => sealer.open(truncated, CONTEXT))).toMatchObject({ code: "CREDENTIALS_UNREADABLE", reason: expect.stringMatching(/malformed nonce or tag/) });
    }
    const longer = withPart(envelope, 4, (tag) => Buffer.concat([tag, Buffer.from([0])]));
    expect(() => sealer.open(longer, CONTEXT)).toThrow(SealError);
    const shortNonce = withPart(envelope, 2, (nonce) => nonce.subarray(0, 8));
    expect(() => sealer.open(shortNonce, CONTEXT)).toThrow(SealError);
  });

  it.each(["not an envelope", "cas1.old.a.b", "cas1.old.a.b.c.d", "cas2.old.AAAA.AAAA.AAAA", ""])("refuses the malformed envelope %j", (text) => {
    expect(() => sealer.open(text, CONTEXT)).toThrow(SealError);
  });

  it.each([
    ["workspaceId", { workspaceId: "ws-2" }],
    ["table", { table: "accounts" }],
    ["rowId", { rowId: "acct-2" }],
    ["field", { field: "api_secret" }],
  ] as const)("does not open in another context (other %s)", (_label, change) => {
    const envelope = sealer.seal(SECRET, CONTEXT);
    expect(() => sealer.open(envelope, { ...CONTEXT, ...change })).toThrow(SealError);
    expect(errorOf(() => sealer.open(envelope, { ...CONTEXT, ...change }))).toMatchObject({ code: "CREDENTIALS_UNREADABLE", reason: expect.stringMatching(/authentication failed/) });
    expect(sealer.open(envelope, CONTEXT)).toBe(SECRET);
  });

  it("binds the context unambiguously (a separator moved between fields is another context)", () => {
    const a: SealContext = { ...CONTEXT, rowId: "acct|1", field: "key" };
    const b: SealContext = { ...CONTEXT, rowId: "acct", field: "1|key" };
    const envelope = sealer.seal(SECRET, a);
    expect(() => sealer.open(envelope, b)).toThrow(SealError);
    expect(sealer.open(envelope, a)).toBe(SECRET);
  });

  it("does not open an envelope whose kid the ring lacks, nor one relabelled with another kid", () => {
    const envelope = sealer.seal(SECRET, CONTEXT);
    const other = new Sealer(KeyRing.parse(`other:${keyB64()}`));
    expect(() => other.open(envelope, CONTEXT)).toThrow(SealError);
    expect(errorOf(() => other.open(envelope, CONTEXT))).toMatchObject({ code: "CREDENTIALS_UNREADABLE", kid: "old", reason: "its key is not in the key ring" });
    // Same kid name, different key material: authentication fails.
    const impostor = new Sealer(KeyRing.parse(`old:${keyB64()}`));
    expect(errorOf(() => impostor.open(envelope, CONTEXT))).toMatchObject({ code: "CREDENTIALS_UNREADABLE", reason: expect.stringMatching(/authentication failed/) });
    // Relabelled to a kid the rotated ring holds: the kid is bound too.
    const relabelled = envelope.replace(/^cas1\.old\./, "cas1.new.");
    expect(() => new Sealer(rotatedRing).open(relabelled, CONTEXT)).toThrow(SealError);
  });

  it("SealError messages never carry the plaintext or the key", () => {
    const envelope = sealer.seal(SECRET, CONTEXT);
    const errors = [
      errorOf(() => sealer.open(envelope, { ...CONTEXT, field: "x" })),
      errorOf(() => new Sealer(newOnlyRing).open(envelope, CONTEXT)),
      errorOf(() => sealer.open(withPart(envelope, 4, (t) => t.subarray(0, 12)), CONTEXT)),
    ] as SealError[];
    for (const error of errors) {
      // The client's message is generic; the operator's detail says why and under which key.
      expect(error.message).toMatch(/^The stored credentials could not be opened/);
      expect(error.detail).toMatch(/^sealed value cannot be opened: .+ \(key old\)$/);
      for (const text of [error.message, error.detail]) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain(OLD_KEY);
      }
    }
  });
});

describe("Sealer: key rotation", () => {
  const before = new Sealer(oldRing);
  const after = new Sealer(rotatedRing);
  const newOnly = new Sealer(newOnlyRing);

  it("with a new current key, still opens old envelopes and seals new ones under the new kid", () => {
    const oldEnvelope = before.seal(SECRET, CONTEXT);
    expect(after.open(oldEnvelope, CONTEXT)).toBe(SECRET);
    expect(after.currentKid).toBe("new");
    const newEnvelope = after.seal(SECRET, CONTEXT);
    expect(newEnvelope.startsWith("cas1.new.")).toBe(true);
    expect(after.kidOf(newEnvelope)).toBe("new");
    expect(after.open(newEnvelope, CONTEXT)).toBe(SECRET);
    // The old ring does not know the new key; the new-only ring no longer knows the old one.
    expect(errorOf(() => before.open(newEnvelope, CONTEXT))).toMatchObject({ code: "CREDENTIALS_UNREADABLE", kid: "new", reason: "its key is not in the key ring" });
    expect(newOnly.open(newEnvelope, CONTEXT)).toBe(SECRET);
    expect(errorOf(() => newOnly.open(oldEnvelope, CONTEXT))).toMatchObject({ code: "CREDENTIALS_UNREADABLE", kid: "old", reason: "its key is not in the key ring" });
  });
});

describe("Sealer: fingerprints", () => {
  const before = new Sealer(oldRing);
  const after = new Sealer(rotatedRing);
  const newOnly = new Sealer(newOnlyRing);

  it("match the same secret and no other", () => {
    const stored = before.fingerprint(SECRET);
    expect(stored).toMatch(/^fp1\.old\.[0-9a-f]{64}$/);
    expect(before.fingerprint(SECRET)).toBe(stored);
    expect(before.fingerprintMatches(stored, SECRET)).toBe(true);
    expect(before.fingerprintMatches(stored, `${SECRET}x`)).toBe(false);
    expect(before.fingerprintMatches(stored, SECRET.slice(0, -1))).toBe(false);
    expect(before.fingerprintMatches(stored, "")).toBe(false);
    expect(before.fingerprint("other")).not.toBe(stored);
  });

  it("are keyed: another key gives another fingerprint of the same secret", () => {
    expect(after.fingerprint(SECRET).split(".")[2]).not.toBe(before.fingerprint(SECRET).split(".")[2]);
    const sameKidOtherKey = new Sealer(KeyRing.parse(`old:${keyB64()}`));
    expect(sameKidOtherKey.fingerprintMatches(before.fingerprint(SECRET), SECRET)).toBe(false);
  });

  it("made under an old key still match after a rotation while the ring keeps that key, and fail once it is dropped", () => {
    const stored = before.fingerprint(SECRET);
    expect(after.fingerprintMatches(stored, SECRET)).toBe(true);
    expect(after.fingerprintMatches(stored, "SG.other")).toBe(false);
    expect(after.fingerprint(SECRET)).toMatch(/^fp1\.new\./);
    expect(newOnly.fingerprintMatches(stored, SECRET)).toBe(false);
    expect(newOnly.fingerprintMatches(after.fingerprint(SECRET), SECRET)).toBe(true);
  });

  it("refuse malformed or tampered fingerprints", () => {
    const stored = before.fingerprint(SECRET);
    const hex = stored.split(".")[2]!;
    const flipped = `fp1.old.${(hex[0] === "0" ? "1" : "0") + hex.slice(1)}`;
    for (const bad of [flipped, `fp2.old.${hex}`, `fp1.old.${hex.slice(0, 32)}`, `fp1..${hex}`, "fp1", "", hex]) {
      expect(before.fingerprintMatches(bad, SECRET)).toBe(false);
    }
  });

  it("never contain the secret, in clear or encoded", () => {
    for (const secret of [SECRET, "short", "x".repeat(200)]) {
      const fingerprint = before.fingerprint(secret);
      expect(fingerprint).not.toContain(secret);
      for (const encoding of ["hex", "base64", "base64url"] as const) {
        expect(fingerprint).not.toContain(Buffer.from(secret, "utf8").toString(encoding));
      }
    }
  });
});

