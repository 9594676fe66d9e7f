import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** One AES-256 key of the ring, named by its key id (stored in every envelope it seals). */
export interface RingKey {
  kid: string;
  key: Buffer;
}

const KID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * The encryption key ring: the first key seals, every key opens (so old envelopes stay readable
 * after a rotation until `npm run reseal` has moved them to the current key).
 * Spec format: `kid:base64key[,kid:base64key...]`, current key first, each key 32 bytes.
 */
export class KeyRing {
  private readonly byKid: Map<string, RingKey>;

  private constructor(readonly keys: readonly RingKey[]) {
    this.byKid = new Map(keys.map((k) => [k.kid, k]));
  }

  /** Parses a key-ring spec; the error names the problem, never the key material. */
  static parse(spec: string): KeyRing {
    const keys: RingKey[] = [];
    for (const part of spec.split(",").map((p) => p.trim()).filter(Boolean)) {
      const colon = part.indexOf(":");
      const kid = colon === -1 ? "" : part.slice(0, colon);
      if (!KID_PATTERN.test(kid)) throw new Error("each key must be kid:base64, kid of letters, digits, _ or - (1 to 32)");
      const key = Buffer.from(part.slice(colon + 1), "base64");
      if (key.length !== 32) throw new Error(`key ${kid} must be 32 bytes (base64-encoded), got ${key.length}`);
      if (keys.some((k) => k.kid === kid)) throw new Error(`key id ${kid} appears twice`);
      keys.push({ kid, key });
    }
    if (keys.length === 0) throw new Error("must hold at least one key");
    return new KeyRing(keys);
  }

  /** A spec with one fresh random key. */
  static generateSpec(kid = `k${Date.now().toString(36)}`): string {
    return `${kid}:${randomBytes(32).toString("base64")}`;
  }

  /** The key new envelopes are sealed with. */
  get current(): RingKey {
    return this.keys[0]!;
  }

  /** The key with this id, if the ring still holds it. */
  get(kid: string): RingKey | undefined {
    return this.byKid.get(kid);
  }
}

/**
 * The configured key ring; outside production, when none is configured, a dev ring kept in a
 * local file (mode 0600) that is created on first use.
 */
export function loadKeyRing(settings: { encryptionKeys?: string; devEncryptionKeyPath: string }): KeyRing {
  if (settings.encryptionKeys) return KeyRing.parse(settings.encryptionKeys);
  const file = settings.devEncryptionKeyPath;
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, KeyRing.generateSpec("dev") + "\n", { mode: 0o600 });
  }
  return KeyRing.parse(fs.readFileSync(file, "utf8").trim());
}
