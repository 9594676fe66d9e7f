import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { AppError } from "../errors/app-error";
import type { KeyRing, RingKey } from "./key-ring";

/** Where a sealed value lives: the envelope only opens in the same workspace, table, row and field. */
export interface SealContext {
  workspaceId: string;
  table: string;
  rowId: string;
  field: string;
}

const VERSION = "cas1";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const FINGERPRINT_VERSION = "fp1";

/**
 * A value that could not be opened: tampered, moved to another row/field, or sealed under a key
 * the ring lost. Clients see CREDENTIALS_UNREADABLE with a generic message; the key id and the
 * reason are for the logs (`kid`, `reason`), and nothing is changed because of it.
 */
export class SealError extends AppError {
  constructor(
    readonly reason: string,
    readonly kid: string | null = null,
  ) {
    super("CREDENTIALS_UNREADABLE");
    this.name = "SealError";
  }

  /** For operators (logs, the re-seal report): why, and under which key. */
  get detail(): string {
    return `sealed value cannot be opened: ${this.reason}${this.kid ? ` (key ${this.kid})` : ""}`;
  }
}

function aad(context: SealContext, kid: string): Buffer {
  // Length-prefixed so that no two contexts serialize alike ("a|b" + "c" vs "a" + "b|c").
  const parts = [VERSION, kid, context.workspaceId, context.table, context.rowId, context.field];
  return Buffer.from(parts.map((p) => `${p.length}:${p}`).join("|"), "utf8");
}

/**
 * AES-256-GCM envelopes: `cas1.<kid>.<nonce>.<ciphertext>.<tag>` (base64url), a random 96-bit
 * nonce per seal, full 128-bit tags required on open, and the workspace, table, row and field
 * bound in as additional authenticated data. Also computes keyed fingerprints of secrets
 * (HMAC-SHA-256 under a key derived from a ring key) so that two secrets can be compared without
 * storing either.
 */
export class Sealer {
  constructor(private readonly ring: KeyRing) {}

  /** Whether a value is an envelope of this format. */
  static isSealed(value: string): boolean {
    return value.startsWith(`${VERSION}.`);
  }

  /** Seals a plaintext under the current key. Refuses to seal an envelope twice. */
  seal(plaintext: string, context: SealContext): string {
    if (Sealer.isSealed(plaintext)) throw new Error("Refusing to seal a value that is already sealed.");
    const { kid, key } = this.ring.current;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(context, kid));
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, kid, nonce.toString("base64url"), ciphertext.toString("base64url"), tag.toString("base64url")].join(".");
  }

  /** Opens an envelope sealed for exactly this context. */
  open(envelope: string, context: SealContext): string {
    const parts = envelope.split(".");
    if (parts.length !== 5 || parts[0] !== VERSION) throw new SealError("not an envelope");
    const [, kid, nonceText, ciphertextText, tagText] = parts as [string, string, string, string, string];
    const ringKey = this.ring.get(kid);
    if (!ringKey) throw new SealError("its key is not in the key ring", kid);
    const nonce = Buffer.from(nonceText, "base64url");
    const tag = Buffer.from(tagText, "base64url");
    // GCM accepts truncated tags unless told otherwise; a short tag is a forgery aid, so refuse it.
    if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES) throw new SealError("malformed nonce or tag", kid);
    try {
      const decipher = createDecipheriv("aes-256-gcm", ringKey.key, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad(context, kid));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(ciphertextText, "base64url")), decipher.final()]).toString("utf8");
    } catch {
      throw new SealError("authentication failed (altered, or sealed for another row or field)", kid);
    }
  }

  /** The key id an envelope was sealed with. */
  kidOf(envelope: string): string {
    return envelope.split(".")[1] ?? "";
  }

  /** The key id new envelopes get. */
  get currentKid(): string {
    return this.ring.current.kid;
  }

  /** A keyed fingerprint of a secret (`fp1.<kid>.<hex>`), under the current key. */
  fingerprint(secret: string): string {
    return this.fingerprintWith(this.ring.current, secret);
  }

  /** Whether `secret` has this fingerprint (constant-time; under whichever ring key made it). */
  fingerprintMatches(stored: string, secret: string): boolean {
    const [version, kid] = stored.split(".");
    const ringKey = version === FINGERPRINT_VERSION && kid ? this.ring.get(kid) : undefined;
    if (!ringKey) return false;
    const expected = Buffer.from(stored, "utf8");
    const actual = Buffer.from(this.fingerprintWith(ringKey, secret), "utf8");
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  private fingerprintWith(ringKey: RingKey, secret: string): string {
    // A separate key for fingerprints, derived from the ring key, so that no key is used both to
    // encrypt and to MAC.
    const macKey = createHmac("sha256", ringKey.key).update("connected-accounts/fingerprint/v1").digest();
    const mac = createHmac("sha256", macKey).update(secret, "utf8").digest("hex");
    return `${FINGERPRINT_VERSION}.${ringKey.kid}.${mac}`;
  }
}
