import type { IncomingMessage } from "node:http";
import { AppError } from "../errors/app-error";

/** Reads a request body up to `limit` bytes; past it the request fails with 413 and nothing is buffered further. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      reject(Object.assign(new AppError("BAD_REQUEST", `The request body exceeds ${limit} bytes.`), { status: 413 }));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(Object.assign(new AppError("BAD_REQUEST", `The request body exceeds ${limit} bytes.`), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
