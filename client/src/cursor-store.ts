/**
 * Where `accountEvents` keeps the cursor of the last event it handed out, so that the next
 * subscription (after a reconnect, a reload, or the next visit) resumes right after it. `load`
 * may be asynchronous (IndexedDB, a server); `save` is called after every event and not awaited.
 */
export interface CursorStore {
  load(key: string): number | null | Promise<number | null>;
  save(key: string, cursor: number): void | Promise<void>;
}

/** A store that lives as long as the page (or process): nothing survives a reload. */
export function memoryCursorStore(): CursorStore {
  const cursors = new Map<string, number>();
  return {
    load: (key) => cursors.get(key) ?? null,
    save: (key, cursor) => void cursors.set(key, cursor),
  };
}

/**
 * The default store: `localStorage` (per origin, survives reloads). Where there is no
 * `localStorage` (Node, a sandboxed frame, storage disabled), it keeps cursors in memory.
 */
export function localStorageCursorStore(): CursorStore {
  const fallback = memoryCursorStore();
  const storage = (): Storage | null => {
    try {
      return typeof localStorage === "undefined" ? null : localStorage;
    } catch {
      return null; // reading `localStorage` itself throws when storage is disabled
    }
  };
  return {
    load(key) {
      const store = storage();
      if (!store) return fallback.load(key);
      const raw = store.getItem(key);
      const cursor = raw === null ? NaN : Number(raw);
      return Number.isSafeInteger(cursor) && cursor >= 0 ? cursor : null;
    },
    save(key, cursor) {
      const store = storage();
      try {
        if (store) return store.setItem(key, String(cursor));
      } catch {
        // quota or privacy mode: fall through to memory
      }
      return fallback.save(key, cursor);
    },
  };
}
