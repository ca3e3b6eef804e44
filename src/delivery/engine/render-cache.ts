/** Every recipient of a bulletin in a language gets the same text: it is rendered once, not once per chat. */
import type { Html } from "../../format/html.js";
import type { Delivery } from "../../store/store.js";

/** How long a rendered bulletin is reused for its other recipients (its header shows the time). */
const RENDER_REUSE_MS = 1000;

export class RenderCache {
  private readonly rendered = new Map<string, { text: Html; at: number }>();

  constructor(
    private readonly renderer: (d: Delivery) => Html | undefined | Promise<Html | undefined>,
    private readonly clock: () => number,
  ) {}

  /** The delivery's text at its bulletin's `version`; undefined if its bulletin is gone. */
  render(d: Delivery, version: number): Html | undefined | Promise<Html | undefined> {
    const key = `${d.seq}:${d.lang}:${version}`;
    const now = this.clock();
    const hit = this.rendered.get(key);
    if (hit && now - hit.at < RENDER_REUSE_MS) return hit.text;
    const text = this.renderer(d);
    return text instanceof Promise ? text.then((t) => this.keep(key, t, now)) : this.keep(key, text, now);
  }

  private keep(key: string, text: Html | undefined, now: number): Html | undefined {
    if (text === undefined) {
      this.rendered.delete(key);
      return undefined;
    }
    if (this.rendered.size >= 64) this.rendered.clear();
    this.rendered.set(key, { text, at: now });
    return text;
  }
}
