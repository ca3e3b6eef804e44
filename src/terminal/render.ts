/** Telegram HTML shown in a terminal: bold, italic and code as ANSI styles (or plain when not a TTY). */
import { decodeEntities, type Html } from "../format/html.js";

const STYLE: Record<string, [string, string]> = {
  b: ["\x1b[1m", "\x1b[22m"],
  strong: ["\x1b[1m", "\x1b[22m"],
  i: ["\x1b[3m", "\x1b[23m"],
  em: ["\x1b[3m", "\x1b[23m"],
  u: ["\x1b[4m", "\x1b[24m"],
  code: ["\x1b[36m", "\x1b[39m"],
  pre: ["\x1b[36m", "\x1b[39m"],
};

export function htmlToTerminal(html: Html, color: boolean): string {
  const styled = html.replace(/<(\/?)([a-z-]+)[^>]*>/gi, (_, close: string, tag: string) => {
    const s = STYLE[tag.toLowerCase()];
    return color && s ? s[close ? 1 : 0] : "";
  });
  return decodeEntities(styled);
}
