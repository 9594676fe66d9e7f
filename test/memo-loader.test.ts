import { MemoLoader } from "../src/db/memo-loader";

// A loader over a real in-memory table, counting its batches.
function tableLoader(table: Map<string, string>) {
  const batches: string[][] = [];
  const loader = new MemoLoader<string, string | null>(async (keys) => {
    batches.push([...keys]);
    return keys.map((k) => table.get(k) ?? null);
  });
  return { loader, batches };
}

describe("MemoLoader", () => {
  it("answers peek only for keys already loaded, with what load answered", async () => {
    const { loader, batches } = tableLoader(new Map([["a", "A"]]));
    expect(loader.peek("a")).toBeUndefined();
    await Promise.all([loader.load("a"), loader.load("b")]);
    expect(batches).toEqual([["a", "b"]]);
    expect(loader.peek("a")).toBe("A");
    expect(loader.peek("b")).toBeNull();
    expect(loader.peekThen("a", (v) => `${v}!`)).toBe("A!");
    await expect(loader.peekThen("c", (v) => v)).resolves.toBeNull();
    expect(batches).toHaveLength(2);
  });

  it("forgets cleared keys and follows primes, like the DataLoader cache", async () => {
    const table = new Map([["a", "A"]]);
    const { loader } = tableLoader(table);
    await loader.load("a");
    table.set("a", "A2");
    loader.clear("a");
    expect(loader.peek("a")).toBeUndefined();
    expect(await loader.load("a")).toBe("A2");
    loader.prime("a", "ignored");
    expect(loader.peek("a")).toBe("A2");
    loader.prime("z", "Z");
    expect(loader.peek("z")).toBe("Z");
    expect(await loader.load("z")).toBe("Z");
    loader.clearAll();
    expect(loader.peek("a")).toBeUndefined();
  });
});
