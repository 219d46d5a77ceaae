/**
 * The server's cache of precomputed structures (scaled features, k sweeps, linkage trees, OPTICS
 * orderings, HDBSCAN hierarchies, fits), least recently used first out, bounded in bytes.
 */

/** What a computation hands to the cache: the value and its size in bytes. */
export interface Sized<T> {
  value: T;
  bytes: number;
}

interface Entry {
  value: unknown;
  bytes: number;
}

/** Sum of the byte lengths of the typed arrays in a value (walks plain objects and arrays, 4 levels deep). */
export function byteSize(value: unknown, depth = 0): number {
  if (value === null || typeof value !== "object") return 8;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (depth > 4) return 0;
  let total = 0;
  if (Array.isArray(value)) {
    for (const v of value) total += typeof v === "object" ? byteSize(v, depth + 1) : 8;
    return total;
  }
  for (const v of Object.values(value)) total += byteSize(v, depth + 1);
  return total;
}

/**
 * A least-recently-used map bounded by the total byte size of its values. `getOrCompute` shares one
 * computation between concurrent callers of the same key (the in-flight promise is handed out) and
 * caches only successes; a value larger than the whole budget is returned but not kept.
 */
export class LruCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<unknown>>();
  private total = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes held. */
  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The value (marked most recently used), or undefined. */
  get<T>(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value as T;
  }

  /** The in-flight computation of a key, if any. */
  inFlight<T>(key: string): Promise<T> | undefined {
    return this.pending.get(key) as Promise<T> | undefined;
  }

  set<T>(key: string, value: T, bytes: number): void {
    this.delete(key);
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { value, bytes });
    this.total += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.total <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.total -= entry.bytes;
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.total -= entry.bytes;
  }

  /**
   * The cached value of `key`, else the running computation of it, else a new one started with
   * `compute`. `hit` says which: "cached", "joined" (another caller's computation) or "computed".
   */
  getOrCompute<T>(
    key: string,
    compute: () => Promise<Sized<T>>,
  ): { promise: Promise<T>; hit: "cached" | "joined" | "computed" } {
    const entry = this.entries.get(key);
    if (entry) return { promise: Promise.resolve(this.get<T>(key) as T), hit: "cached" };
    const running = this.pending.get(key);
    if (running) return { promise: running as Promise<T>, hit: "joined" };
    const promise = compute().then(
      (sized) => {
        this.pending.delete(key);
        this.set(key, sized.value, sized.bytes);
        return sized.value;
      },
      (error: unknown) => {
        this.pending.delete(key);
        throw error;
      },
    );
    this.pending.set(key, promise);
    return { promise, hit: "computed" };
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }
}
