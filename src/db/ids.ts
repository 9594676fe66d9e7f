import { randomFillSync } from "node:crypto";

let lastMs = 0;
let counter = 0;

// Randomness drawn 4 KiB at a time: one call into the CSPRNG per 256 ids instead of one per id
// (ids are made on hot paths, e.g. one audit entry per credential read).
const POOL = Buffer.alloc(4096);
let poolOffset = POOL.length;

/** Two random bytes as a number, from the same pool. */
function random2(): number {
  if (poolOffset + 2 > POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  const value = POOL.readUInt16BE(poolOffset);
  poolOffset += 2;
  return value;
}

function random16(): Buffer {
  if (poolOffset + 16 > POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  const bytes = POOL.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  return bytes;
}

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, a 12-bit counter, then randomness. Ids sort
 * by creation time, so "newest first" is ORDER BY id DESC and a cursor is just the last id, on
 * both databases. Within one millisecond the counter keeps ids of this process strictly
 * increasing (RFC 9562 §6.2, method 1), so two rows created back to back never swap places.
 */
export function newId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = random2() & 0x1ff; // start low so the counter has room to grow (from the pool: a new millisecond is the common case)
  } else if (counter < 0xfff) {
    counter += 1;
  } else {
    lastMs += 1;
    counter = 0;
  }
  // Ids for explicit past times (imports) keep their time and take fresh randomness.
  const ms = now < lastMs - 1 ? now : lastMs;
  const seq = now < lastMs - 1 ? random2() & 0xfff : counter;
  // A view into the pool, overwritten below and consumed before anything else draws from it.
  const bytes = random16();
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (seq >> 8);
  bytes[7] = seq & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
