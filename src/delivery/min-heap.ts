/** A binary min-heap of values by a number (a time): the send budget's and the live cards' timers. */
export class MinHeap<T> {
  private readonly a: { at: number; value: T }[] = [];

  get size(): number {
    return this.a.length;
  }

  /** The entry with the smallest `at`, left in place. */
  peek(): { at: number; value: T } | undefined {
    return this.a[0];
  }

  push(at: number, value: T): void {
    const a = this.a;
    a.push({ at, value });
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (a[p]!.at <= a[i]!.at) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }

  /** Takes out the entry with the smallest `at`. */
  pop(): { at: number; value: T } | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length && last) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]!.at < a[m]!.at) m = l;
        if (r < a.length && a[r]!.at < a[m]!.at) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }

  clear(): void {
    this.a.length = 0;
  }
}
