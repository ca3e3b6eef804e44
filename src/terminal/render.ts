/** Telegram HTML shown in a terminal: bold, italic and code as ANSI styles (or plain when not a TTY). */

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot);/gi, (_, e: string) => {
    if (e[0] === "#")
      return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return NAMED[e.toLowerCase()] ?? _;
  });
}

const STYLE: Record<string, [string, string]> = {
  b: ["\x1b[1m", "\x1b[22m"],
  strong: ["\x1b[1m", "\x1b[22m"],
  i: ["\x1b[3m", "\x1b[23m"],
  em: ["\x1b[3m", "\x1b[23m"],
  u: ["\x1b[4m", "\x1b[24m"],
  code: ["\x1b[36m", "\x1b[39m"],
  pre: ["\x1b[36m", "\x1b[39m"],
};

export function htmlToTerminal(html: string, color: boolean): string {
  const styled = html.replace(/<(\/?)([a-z-]+)[^>]*>/gi, (_, close: string, tag: string) => {
    const s = STYLE[tag.toLowerCase()];
    return color && s ? s[close ? 1 : 0] : "";
  });
  return decodeEntities(styled);
}
