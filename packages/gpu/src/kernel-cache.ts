// A small LRU of compiled kernel sets keyed by shape signature; evicted sets are destroyed (their wasm
// memory and worker pools, GPUJS.md G11), so memory stays bounded however many shapes pass through.

export interface Destroyable {
  destroy(): void;
}

export class LruCache<V extends Destroyable> {
  private readonly entries = new Map<string, V>();

  constructor(readonly capacity: number) {}

  get(key: string): V | undefined {
    const v = this.entries.get(key);
    if (v !== undefined) {
      this.entries.delete(key);   // re-insert: Map order is recency order
      this.entries.set(key, v);
    }
    return v;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) {
      const [oldest, v] = this.entries.entries().next().value as [string, V];
      this.entries.delete(oldest);
      v.destroy();
    }
  }

  delete(key: string): void {
    const v = this.entries.get(key);
    if (v !== undefined) {
      this.entries.delete(key);
      v.destroy();
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    for (const v of this.entries.values()) v.destroy();
    this.entries.clear();
  }
}
