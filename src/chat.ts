/**
 * `npm run chat`: the real bot in the terminal, with no token and no network.
 * Type what you would type in Telegram; buttons are listed and pressed by number.
 * Lines starting with ":" steer the session (":aiuto" lists them). Piped input works too.
 */
import { createInterface } from "node:readline";
import type { Update, UserFromGetMe } from "grammy/types";
import { pino } from "pino";
import { ConfigError, environment, loadConfig } from "./config.js";
import { DataPackError } from "./data/pack.js";
import { createRuntime } from "./runtime.js";
import { type ShownMessage, terminalApi } from "./terminal/fake-api.js";
import { htmlToTerminal } from "./terminal/render.js";

const BOT: UserFromGetMe = {
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

const CHAT_HELP = `Comandi della sessione:
  :chat N        parla dalla chat N (negativa = gruppo, es. :chat -100)
  :utente N      scrivi come l'utente N (${"1001"} è della redazione)
  :admin         rendi l'utente corrente amministratore del gruppo corrente
  :lingua it|en  lingua del client Telegram simulato
  :attendi       aspetta che gli invii in coda siano consegnati
  :esci          chiudi (anche Ctrl-D)
Un numero da solo preme il pulsante con quel numero dell'ultimo messaggio.`;

async function main(): Promise<void> {
  const env = environment();
  const config = loadConfig(env, { requireToken: false });
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
  const logger = pino({ level: env.LOG_LEVEL ?? "warn", base: undefined }, pino.destination(2));

  const state = {
    chatId: 1001,
    userId: 1001,
    lang: "it",
    updateId: 0,
    buttons: [] as { text: string; data?: string; messageId: number }[],
  };
  const groupAdmins = new Set<string>();
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[22m` : s);

  const show = (m: ShownMessage) => {
    const own = m.chatId === state.chatId;
    const head = own ? (m.edited ? "🤖 (modificato)" : "🤖") : `📨 → chat ${m.chatId}`;
    out(`${dim(head)}\n${htmlToTerminal(m.html, color)}`);
    if (own) {
      const flat = m.buttons.flat();
      state.buttons = flat.map((b) => ({
        text: b.text,
        data: "callback_data" in b ? b.callback_data : undefined,
        messageId: m.messageId,
      }));
      if (flat.length) out(flat.map((b, i) => `  [${i + 1}] ${b.text}`).join("\n"));
    }
    out("");
  };

  const adminIds = new Set([...config.ADMIN_IDS, 1001]);
  const runtime = await createRuntime({
    token: "0:terminal",
    dataDir: config.DATA_DIR,
    databasePath: ":memory:",
    adminIds,
    sendRate: config.SEND_RATE,
    paidBroadcast: false,
    pollCron: config.BULLETIN_POLL_CRON,
    logger,
    botInfo: BOT,
    // One person typing (or a script piping) is not a flood.
    rateLimit: false,
    transformers: [
      terminalApi({
        show,
        toast: (text) => out(dim(`💬 ${text}\n`)),
        isGroupAdmin: (chat, user) => groupAdmins.has(`${chat}:${user}`),
        botId: BOT.id,
      }),
    ],
  });
  await runtime.bot.init();
  runtime.start();

  const chat = () =>
    state.chatId < 0
      ? { id: state.chatId, type: "supergroup" as const, title: "Gruppo di prova" }
      : { id: state.chatId, type: "private" as const, first_name: "Cittadino" };
  const from = () => ({ id: state.userId, is_bot: false, first_name: "Cittadino", language_code: state.lang });

  const send = async (text: string) => {
    const command = /^\/\S+/.exec(text);
    const update: Update = {
      update_id: ++state.updateId,
      message: {
        message_id: state.updateId,
        date: Math.floor(Date.now() / 1000),
        chat: chat(),
        from: from(),
        text,
        ...(command ? { entities: [{ type: "bot_command" as const, offset: 0, length: command[0].length }] } : {}),
      },
    } as Update;
    await runtime.bot.handleUpdate(update);
  };

  const press = async (n: number) => {
    const b = state.buttons[n - 1];
    if (!b?.data) return out(dim("(nessun pulsante con quel numero)\n"));
    out(dim(`▶ ${b.text}`));
    await runtime.bot.handleUpdate({
      update_id: ++state.updateId,
      callback_query: {
        id: String(state.updateId),
        from: from(),
        chat_instance: "terminal",
        data: b.data,
        message: { message_id: b.messageId, date: Math.floor(Date.now() / 1000), chat: chat(), text: "" },
      },
    } as Update);
  };

  const drain = async () => {
    const deadline = Date.now() + 60_000;
    while ((runtime.store.pendingCount() > 0 || runtime.engine.inFlight > 0) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
  };

  const meta = async (line: string): Promise<boolean> => {
    const [cmd, arg] = line.slice(1).split(/\s+/, 2);
    switch (cmd) {
      case "chat":
        if (!/^-?\d+$/.test(arg ?? "") || Number(arg) === 0) out("uso: :chat N (es. :chat 2, :chat -100)");
        else {
          state.chatId = Number(arg);
          if (state.chatId > 0) state.userId = state.chatId;
          state.buttons = [];
          out(
            dim(
              `(ora scrivi dalla chat ${state.chatId}${state.chatId < 0 ? ", un gruppo" : ""}, come utente ${state.userId})`,
            ),
          );
        }
        break;
      case "utente":
        if (!/^\d+$/.test(arg ?? "")) out("uso: :utente N");
        else {
          state.userId = Number(arg);
          out(dim(`(ora scrivi come utente ${state.userId}${adminIds.has(state.userId) ? ", della redazione" : ""})`));
        }
        break;
      case "admin":
        groupAdmins.add(`${state.chatId}:${state.userId}`);
        out(dim(`(utente ${state.userId} è amministratore della chat ${state.chatId})`));
        break;
      case "lingua":
        state.lang = arg === "en" ? "en" : "it";
        out(dim(`(lingua del client: ${state.lang})`));
        break;
      case "attendi":
        await drain();
        out(dim("(coda degli invii vuota)"));
        break;
      case "esci":
        return false;
      default:
        out(CHAT_HELP);
    }
    out("");
    return true;
  };

  if (process.stdin.isTTY) {
    out(
      `Elezioni Bot — chat nel terminale (${runtime.data.current().election.name}).\nProva /start, /citta Genova, /affluenza. ${dim(":aiuto per i comandi della sessione.")}\n`,
    );
  }
  const rl = createInterface({ input: process.stdin, terminal: process.stdin.isTTY === true, prompt: "> " });
  if (process.stdin.isTTY) rl.prompt();
  for await (const raw of rl) {
    const line = raw.replace(/\r$/, "");
    if (line.trim() === "") {
      if (process.stdin.isTTY) rl.prompt();
      continue;
    }
    if (!process.stdin.isTTY) out(dim(`> ${line}`));
    if (line.startsWith(":")) {
      if (!(await meta(line.trim()))) break;
    } else if (/^\d{1,2}$/.test(line.trim()) && state.buttons.length) await press(Number(line.trim()));
    else await send(line);
    if (process.stdin.isTTY) rl.prompt();
  }
  rl.close();
  await drain();
  await runtime.stop();
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataPackError) console.error(err.message);
  else console.error("Errore inatteso:", err instanceof Error ? err.message : err);
  process.exit(1);
});
