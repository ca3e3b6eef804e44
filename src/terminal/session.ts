/**
 * One terminal chat session: who is typing from which chat, the buttons of the last message, and the
 * `:` lines that steer it. Messages from the bot are printed here; typed lines become updates.
 */

import { createInterface } from "node:readline";
import type { Transformer } from "grammy";
import type { InlineKeyboardButton, InlineQueryResult, UserFromGetMe } from "grammy/types";
import { escapeHtml, type Html, trusted } from "../format/html.js";
import type { Runtime } from "../runtime.js";
import { type ShownMessage, terminalApi } from "./fake-api.js";
import { htmlToTerminal } from "./render.js";
import { type Speaker, UpdateFactory } from "./updates.js";

/** The user who starts the session; also in the newsroom, so that /pubblica works. */
/** The bot as getMe describes it in the terminal (no Telegram to ask). */
export const TERMINAL_BOT: UserFromGetMe = {
  id: 7000000001,
  is_bot: true,
  first_name: "Elezioni",
  username: "ElezioniBot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
  can_connect_to_business: false,
  has_main_web_app: false,
} as UserFromGetMe;

export const FIRST_USER = 1001;

export const SESSION_HELP = `Comandi della sessione:
  :chat N        parla dalla chat N (negativa = gruppo, es. :chat -100)
  :utente N      scrivi come l'utente N, dalla sua chat privata (o dal gruppo scelto con :chat)
                 (${FIRST_USER} è della redazione)
  :admin         rendi l'utente corrente amministratore del gruppo corrente
  :lingua it|en  lingua del client Telegram simulato
  :inline testo  modalità inline (@bot testo): i risultati sono numerati, scegline uno per pubblicarlo qui
  :attendi       aspetta che gli invii in coda siano consegnati
  :esci          chiudi (anche Ctrl-D)
Un numero da solo preme il pulsante con quel numero dell'ultimo messaggio (o sceglie il risultato inline).`;

/** What a number typed alone picks: a button of the last message, or a result of the last inline query. */
type Pick =
  | {
      kind: "button";
      text: string;
      data?: string;
      messageId: number;
      inlineMessageId?: string;
      /** The keyboard the button is in, which Telegram sends with the press. */
      keyboard: InlineKeyboardButton[][];
    }
  | { kind: "result"; result: InlineQueryResult };

/** The text an inline result posts, as Telegram HTML; undefined for a result that posts no text. */
function resultHtml(r: InlineQueryResult): Html | undefined {
  const content = (r as { input_message_content?: { message_text?: string; parse_mode?: string } })
    .input_message_content;
  if (content?.message_text === undefined) return undefined;
  // The bot's own HTML, as Telegram would post it.
  return content.parse_mode === "HTML" ? trusted(content.message_text) : escapeHtml(content.message_text);
}

/** An inline result's title and description, as the list above the keyboard shows them. */
function resultLabel(r: InlineQueryResult): string {
  const { title, description } = r as { title?: string; description?: string };
  return [title ?? r.type, description].filter(Boolean).join(" — ");
}

export interface SessionOptions {
  /** Writes one line. */
  out(line: string): void;
  /** ANSI styles, or plain text. */
  color: boolean;
  newsroom: ReadonlySet<number>;
}

export class TerminalSession {
  private chatId = FIRST_USER;
  private userId = FIRST_USER;
  private lang = "it";
  /** A group chosen with `:chat`: `:utente` then speaks there instead of in the user's private chat. */
  private groupChosen = false;
  private picks: Pick[] = [];
  /** Messages posted through inline mode, by their inline_message_id. */
  private readonly posted = new Map<string, ShownMessage>();
  private readonly groupAdmins = new Set<string>();
  private readonly updates = new UpdateFactory({ firstName: "Cittadino", groupTitle: "Gruppo di prova" });
  private runtime: Runtime | undefined;

  constructor(private readonly o: SessionOptions) {}

  /** The in-process Bot API for the runtime: it prints what the bot sends and knows the session's group admins. */
  api(botId: number): Transformer {
    return terminalApi({
      show: (m) => this.show(m),
      toast: (text) => this.o.out(this.dim(`💬 ${text}\n`)),
      deleted: (chat, message) => this.o.out(this.dim(`🗑 → chat ${chat}: messaggio ${message} cancellato\n`)),
      isGroupAdmin: (chat, user) => this.groupAdmins.has(`${chat}:${user}`),
      inlineResults: (results) => this.showResults(results),
      inlineMessage: (id) => this.posted.get(id),
      botId,
    });
  }

  /** The runtime whose bot answers the session (created with `api`). */
  connect(runtime: Runtime): void {
    this.runtime = runtime;
  }

  /**
   * Reads lines until the end of the input or `:esci`, each handled as typed. Piped input is echoed,
   * so that the transcript reads like a conversation.
   */
  async readLines(input: NodeJS.ReadableStream, tty: boolean): Promise<void> {
    const rl = createInterface({ input, terminal: tty, prompt: "> " });
    if (tty) rl.prompt();
    for await (const raw of rl) {
      const line = raw.replace(/\r$/, "");
      if (line.trim() !== "") {
        if (!tty) this.o.out(this.dim(`> ${line}`));
        if (!(await this.line(line))) break;
      }
      if (tty) rl.prompt();
    }
    rl.close();
  }

  /** Handles one typed line: a `:` command, a button number, or a message. False when the session should end. */
  async line(text: string): Promise<boolean> {
    const trimmed = text.trim();
    if (text.startsWith(":")) return this.steer(trimmed);
    if (/^\d{1,2}$/.test(trimmed) && this.picks.length) await this.pick(Number(trimmed));
    else await this.bot().bot.handleUpdate(this.updates.message(text, this.speaker()));
    // What the line set off (a push, its report) is shown before the next prompt, as far as it goes
    // out within a couple of seconds; anything later still prints when it arrives.
    await this.drain(2000);
    return true;
  }

  /** Waits (a minute at most, or `ms`) until queued pushes are delivered and their reports sent. */
  async drain(ms = 60_000): Promise<void> {
    const { store, engine } = this.bot();
    const deadline = Date.now() + ms;
    while (((await store.pendingCount()) > 0 || engine.inFlight > 0) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    if (Date.now() < deadline) await engine.reported();
  }

  dim(s: string): string {
    return this.o.color ? `\x1b[2m${s}\x1b[22m` : s;
  }

  private bot(): Runtime {
    if (!this.runtime) throw new Error("the session has no runtime: call connect() first");
    return this.runtime;
  }

  private speaker(): Speaker {
    return { userId: this.userId, chatId: this.chatId, lang: this.lang };
  }

  private show(m: ShownMessage): void {
    const own = m.chatId === this.chatId;
    if (m.inlineMessageId) this.posted.set(m.inlineMessageId, m);
    const via = `👤 via @${this.bot().bot.botInfo.username}`;
    const head = m.inlineMessageId
      ? `${via}${m.edited ? " (modificato)" : ""}`
      : own
        ? m.edited
          ? "🤖 (modificato)"
          : "🤖"
        : `📨 → chat ${m.chatId}${m.edited ? ` (modificato il messaggio ${m.messageId})` : ""}`;
    this.o.out(`${this.dim(head)}\n${htmlToTerminal(m.html, this.o.color)}`);
    if (own) this.offerButtons(m.buttons.flat(), m);
    this.o.out("");
  }

  private offerButtons(flat: InlineKeyboardButton[], m: ShownMessage): void {
    this.picks = flat.map((b) => ({
      kind: "button" as const,
      text: b.text,
      data: "callback_data" in b ? b.callback_data : undefined,
      messageId: m.messageId,
      ...(m.inlineMessageId ? { inlineMessageId: m.inlineMessageId } : {}),
      keyboard: m.buttons,
    }));
    if (flat.length) this.o.out(flat.map((b, i) => `  [${i + 1}] ${b.text}`).join("\n"));
  }

  /** The bot's answer to an inline query: the results, numbered, to choose from as Telegram's list does. */
  private showResults(results: InlineQueryResult[]): void {
    this.picks = results.map((result) => ({ kind: "result" as const, result }));
    if (!results.length) this.o.out(this.dim("(nessun risultato)"));
    else this.o.out(results.map((r, i) => `  [${i + 1}] ${resultLabel(r)}`).join("\n"));
    this.o.out("");
  }

  private async pick(n: number): Promise<void> {
    const p = this.picks[n - 1];
    if (p?.kind === "result") return this.post(p.result);
    if (!p?.data) return this.o.out(this.dim("(nessun pulsante con quel numero)\n"));
    this.o.out(this.dim(`▶ ${p.text}`));
    const update = p.inlineMessageId
      ? this.updates.inlineCallback(p.data, this.speaker(), p.inlineMessageId)
      : this.updates.callback(p.data, this.speaker(), p.messageId, { inline_keyboard: p.keyboard });
    await this.bot().bot.handleUpdate(update);
  }

  /**
   * Posts a chosen inline result in the current chat, as Telegram does: a message from the user
   * "via @bot", which the bot receives too.
   */
  private async post(result: InlineQueryResult): Promise<void> {
    const html = resultHtml(result);
    if (html === undefined) return this.o.out(this.dim("(questo risultato non pubblica un testo)\n"));
    const markup = (result as { reply_markup?: { inline_keyboard?: InlineKeyboardButton[][] } }).reply_markup;
    this.show({
      chatId: this.chatId,
      messageId: 0,
      html,
      buttons: markup?.inline_keyboard ?? [],
      inlineMessageId: `inline-${this.posted.size + 1}`,
    });
    const runtime = this.bot();
    await runtime.bot.handleUpdate(
      this.updates.message(htmlToTerminal(html, false), this.speaker(), { viaBot: runtime.bot.botInfo }),
    );
  }

  /** The `:` lines. */
  private async steer(line: string): Promise<boolean> {
    const { out } = this.o;
    const body = line.slice(1).trim();
    const cmd = body.split(/\s/, 1)[0];
    const rest = body.slice(cmd?.length ?? 0).trim();
    const arg = rest.split(/\s+/, 1)[0];
    switch (cmd) {
      case "chat":
        if (!/^-?\d+$/.test(arg ?? "") || Number(arg) === 0) out("uso: :chat N (es. :chat 2, :chat -100)");
        else {
          this.chatId = Number(arg);
          this.groupChosen = this.chatId < 0;
          if (this.chatId > 0) this.userId = this.chatId;
          this.picks = [];
          const group = this.chatId < 0 ? ", un gruppo" : "";
          out(this.dim(`(ora scrivi dalla chat ${this.chatId}${group}, come utente ${this.userId})`));
        }
        break;
      case "utente":
        if (!/^\d+$/.test(arg ?? "") || Number(arg) === 0) out("uso: :utente N");
        else {
          this.userId = Number(arg);
          // A private chat is one user's: another user speaks from theirs. A group chosen with :chat stays.
          if (!this.groupChosen) {
            this.chatId = this.userId;
            this.picks = [];
          }
          const newsroom = this.o.newsroom.has(this.userId) ? ", della redazione" : "";
          const where = this.groupChosen ? `nel gruppo ${this.chatId}` : "dalla sua chat privata";
          out(this.dim(`(ora scrivi come utente ${this.userId}${newsroom}, ${where})`));
        }
        break;
      case "inline":
        out(this.dim(`🔎 @${this.bot().bot.botInfo.username} ${rest}`));
        await this.bot().bot.handleUpdate(this.updates.inlineQuery(rest, this.speaker()));
        return true;
      case "admin":
        this.groupAdmins.add(`${this.chatId}:${this.userId}`);
        out(this.dim(`(utente ${this.userId} è amministratore della chat ${this.chatId})`));
        break;
      case "lingua":
        this.lang = arg === "en" ? "en" : "it";
        out(this.dim(`(lingua del client: ${this.lang})`));
        break;
      case "attendi":
        await this.drain();
        out(this.dim("(coda degli invii vuota)"));
        break;
      case "esci":
        return false;
      default:
        out(SESSION_HELP);
    }
    out("");
    return true;
  }
}
