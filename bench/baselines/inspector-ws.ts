/**
 * Heap of another Node process, read from outside through its inspector (Chrome DevTools
 * Protocol over a WebSocket): a full GC first, then the used heap. The measured process needs no
 * code of its own for this, only `--inspect=127.0.0.1:0`, so the service exposes nothing new.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import WebSocket from "ws";

/** Waits for the "Debugger listening on ws://…" line a child prints on stderr. */
export function inspectorUrlOf(child: ChildProcess, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`no inspector URL: ${text.slice(-500)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /Debugger listening on (ws:\/\/\S+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        child.stderr!.off("data", onData);
        resolve(match[1]!);
      }
    };
    child.stderr!.on("data", onData);
  });
}

/** A connection to a process's inspector. */
export class HeapProbe {
  private next = 0;
  private readonly waiting = new Map<number, (result: Record<string, unknown>) => void>();
  private chunks: string[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as { id?: number; method?: string; result?: Record<string, unknown>; params?: { chunk?: string } };
      if (message.method === "HeapProfiler.addHeapSnapshotChunk") this.chunks.push(message.params?.chunk ?? "");
      if (message.id !== undefined) this.waiting.get(message.id)?.(message.result ?? {});
    });
  }

  static async connect(url: string): Promise<HeapProbe> {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    return new HeapProbe(socket);
  }

  private call(method: string): Promise<Record<string, unknown>> {
    const id = ++this.next;
    return new Promise((resolve) => {
      this.waiting.set(id, (result) => {
        this.waiting.delete(id);
        resolve(result);
      });
      this.socket.send(JSON.stringify({ id, method }));
    });
  }

  /** Bytes of heap in use after full garbage collections (twice, so weak references settle). */
  async heapUsed(): Promise<number> {
    await this.call("HeapProfiler.collectGarbage");
    await new Promise((resolve) => setTimeout(resolve, 50));
    await this.call("HeapProfiler.collectGarbage");
    const usage = await this.call("Runtime.getHeapUsage");
    return Number(usage.usedSize);
  }

  /** Writes a heap snapshot (open it in Chrome DevTools, or compare two by constructor). */
  async snapshot(file: string): Promise<void> {
    this.chunks = [];
    await this.call("HeapProfiler.takeHeapSnapshot");
    fs.writeFileSync(file, this.chunks.join(""));
    this.chunks = [];
  }

  close(): void {
    this.socket.close();
  }
}
