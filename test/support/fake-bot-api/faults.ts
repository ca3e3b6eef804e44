/** Failures tests inject: the next n calls (of some methods, or any) answer 5xx or 429, or lose their connection. */

export interface Fault {
  kind: "fail" | "drop" | "tooMany";
  remaining: number;
  status: number;
  description: string;
  retryAfter: number;
  methods?: Set<string>;
}

const STATUS_TEXT: Record<number, string> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** Faults in the order they were added; each call takes the first that applies to its method. */
export class Faults {
  private list: Fault[] = [];

  fail(n: number, status: number, description?: string, methods?: string | string[]): void {
    this.add({
      kind: "fail",
      remaining: n,
      status,
      description: description ?? STATUS_TEXT[status] ?? "Internal Server Error",
      retryAfter: 0,
      methods: methodSet(methods),
    });
  }

  drop(n: number, methods?: string | string[]): void {
    this.add({ kind: "drop", remaining: n, status: 0, description: "", retryAfter: 0, methods: methodSet(methods) });
  }

  tooMany(n: number, retryAfter: number, methods?: string | string[]): void {
    this.add({ kind: "tooMany", remaining: n, status: 429, description: "", retryAfter, methods: methodSet(methods) });
  }

  /** The fault for a call of `method`, counted down; undefined when none applies. */
  take(method: string): Fault | undefined {
    const m = method.toLowerCase();
    for (let k = 0; k < this.list.length; k++) {
      const f = this.list[k];
      if (f === undefined || (f.methods && !f.methods.has(m))) continue;
      f.remaining--;
      if (f.remaining <= 0) this.list.splice(k, 1);
      return f;
    }
    return undefined;
  }

  clear(): void {
    this.list = [];
  }

  private add(f: Fault): void {
    if (f.remaining > 0) this.list.push(f);
  }
}

function methodSet(methods: string | string[] | undefined): Set<string> | undefined {
  if (methods === undefined) return undefined;
  const list = Array.isArray(methods) ? methods : [methods];
  return new Set(list.map((m) => m.toLowerCase()));
}
