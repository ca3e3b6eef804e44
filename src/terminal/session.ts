/**
 * One terminal chat session: who is typing from which chat, the buttons of the last message, and the
 * `:` lines that steer it. Messages from the bot are printed here; typed lines become updates.
 */
import type { Transformer } from "grammy";
import type { Runtime } from "../runtime.js";
import { type ShownMessage, terminalApi } from "./fake-api.js";
import { htmlToTerminal } from "./render.js";
import { type Speaker, UpdateFactory } from "./updates.js";

/** The user who starts the session; also in the newsroom, so that /pubblica works. */
export const FIRST_USER = 1001;

export const SESSION_HELP = `Comandi della sessione:
  :chat N        parla dalla chat N (negativa = gruppo, es. :chat -100)
  :utente N      scrivi come l'utente N (${FIRST_USER} è della redazione)
  :admin         rendi l'utente corrente amministratore del gruppo corrente
  :lingua it|en  lingua del client Telegram simulato
  :attendi       aspetta che gli invii in coda siano consegnati
  :esci          chiudi (anche Ctrl-D)
Un numero da solo preme il pulsante con quel numero dell'ultimo messaggio.`;

interface Button {
  text: string;
  data?: string;
  messageId: number;
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
  private buttons: Button[] = [];
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
      botId,
    });
  }

  /** The runtime whose bot answers the session (created with `api`). */
  connect(runtime: Runtime): void {
    this.runtime = runtime;
  }

  /** Handles one typed line: a `:` command, a button number, or a message. False when the session should end. */
  async line(text: string): Promise<boolean> {
    const trimmed = text.trim();
    if (text.startsWith(":")) return this.steer(trimmed);
    if (/^\d{1,2}$/.test(trimmed) && this.buttons.length) await this.press(Number(trimmed));
    else await this.bot().bot.handleUpdate(this.updates.message(text, this.speaker()));
    return true;
  }

  /** Waits (a minute at most) until queued pushes are delivered. */
  async drain(): Promise<void> {
    const { store, engine } = this.bot();
    const deadline = Date.now() + 60_000;
    while ((store.pendingCount() > 0 || engine.inFlight > 0) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
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
    const head = own
      ? m.edited
        ? "🤖 (modificato)"
        : "🤖"
      : `📨 → chat ${m.chatId}${m.edited ? ` (modificato il messaggio ${m.messageId})` : ""}`;
    this.o.out(`${this.dim(head)}\n${htmlToTerminal(m.html, this.o.color)}`);
    if (own) {
      const flat = m.buttons.flat();
      this.buttons = flat.map((b) => ({
        text: b.text,
        data: "callback_data" in b ? b.callback_data : undefined,
        messageId: m.messageId,
      }));
      if (flat.length) this.o.out(flat.map((b, i) => `  [${i + 1}] ${b.text}`).join("\n"));
    }
    this.o.out("");
  }

  private async press(n: number): Promise<void> {
    const b = this.buttons[n - 1];
    if (!b?.data) return this.o.out(this.dim("(nessun pulsante con quel numero)\n"));
    this.o.out(this.dim(`▶ ${b.text}`));
    await this.bot().bot.handleUpdate(this.updates.callback(b.data, this.speaker(), b.messageId));
  }

  /** The `:` lines. */
  private async steer(line: string): Promise<boolean> {
    const { out } = this.o;
    const [cmd, arg] = line.slice(1).split(/\s+/, 2);
    switch (cmd) {
      case "chat":
        if (!/^-?\d+$/.test(arg ?? "") || Number(arg) === 0) out("uso: :chat N (es. :chat 2, :chat -100)");
        else {
          this.chatId = Number(arg);
          if (this.chatId > 0) this.userId = this.chatId;
          this.buttons = [];
          const group = this.chatId < 0 ? ", un gruppo" : "";
          out(this.dim(`(ora scrivi dalla chat ${this.chatId}${group}, come utente ${this.userId})`));
        }
        break;
      case "utente":
        if (!/^\d+$/.test(arg ?? "")) out("uso: :utente N");
        else {
          this.userId = Number(arg);
          const newsroom = this.o.newsroom.has(this.userId) ? ", della redazione" : "";
          out(this.dim(`(ora scrivi come utente ${this.userId}${newsroom})`));
        }
        break;
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
