/**
 * The command registry: every command the bot answers, defined once. The features match commands
 * through `command(...)`, `/aiuto` and the command menu list them from here, in both languages, and
 * the newsroom guard reads the scope.
 *
 * - Another name for a command (`/city`): add it to that command's `aliases`. The first alias of a
 *   language is the name its menu and `/aiuto` show (`/city` to English clients).
 * - Capitalisation and accents never matter (`/Citta`, `/CITTA`, `/città`): see `fold` below.
 * - A new command: an entry here, and its handler in a feature with `composer.filter(command("id"), …)`.
 */
import type { Filter } from "grammy";
import type { Lang } from "../i18n/index.js";
import type { BotContext } from "./context.js";

/** Who may use a command and sees it listed: everyone, or only the newsroom (ADMIN_IDS). */
export type CommandScope = "everyone" | "newsroom";

/** What `/aiuto` and the menu say about a command, in one language. */
export interface CommandHelp {
  description: string;
  example: string;
}

export interface CommandSpec {
  /** The name menus and `/aiuto` show. Telegram's menu allows 1–32 of `a-z`, `0-9`, `_`. */
  readonly name: string;
  /**
   * Other names that work too, by the language they come from; every client may use any of them.
   * The first of a language other than Italian is the name that language's menu and `/aiuto` show.
   */
  readonly aliases?: Readonly<Partial<Record<Lang, readonly string[]>>>;
  readonly scope: CommandScope;
  /** Listed in `/aiuto` and the menu with these words; a command without them is not listed (`/start`). */
  readonly help?: Readonly<Record<Lang, CommandHelp>>;
  /**
   * The command also takes `!` right after its name (`/pubblica! testo`): it then acts at once,
   * without the preview and its confirmation. `/aiuto` lists that form with these words.
   */
  readonly bang?: Readonly<Record<Lang, string>>;
}

/** Every command, in the order `/aiuto` and the menu list them. */
export const COMMANDS = {
  start: { name: "start", scope: "everyone" },
  citta: {
    name: "citta",
    aliases: { en: ["city"] },
    scope: "everyone",
    help: {
      it: { description: "Risultati di un comune", example: "/citta Genova" },
      en: { description: "Results of a comune", example: "/city Genova" },
    },
  },
  affluenza: {
    name: "affluenza",
    aliases: { en: ["turnout"] },
    scope: "everyone",
    help: {
      it: { description: "Affluenza alle 12, 19 e 23", example: "/affluenza" },
      en: { description: "Turnout at 12, 19 and 23", example: "/turnout" },
    },
  },
  grafico: {
    name: "grafico",
    aliases: { en: ["chart"] },
    scope: "everyone",
    help: {
      it: {
        description: "Grafico dei risultati o dell'affluenza",
        example: "/grafico Genova oppure /grafico affluenza",
      },
      en: { description: "Chart of the results or the turnout", example: "/chart Genova or /chart turnout" },
    },
  },
  seggi: {
    name: "seggi",
    aliases: { en: ["seats"] },
    scope: "everyone",
    help: {
      it: { description: "I seggi del consiglio comunale, secondo la legge", example: "/seggi Genova" },
      en: { description: "The city council's seats, under the law", example: "/seats Genova" },
    },
  },
  ballottaggi: {
    name: "ballottaggi",
    aliases: { en: ["runoffs"] },
    scope: "everyone",
    help: {
      it: { description: "Tutti i ballottaggi", example: "/ballottaggi" },
      en: { description: "All runoffs", example: "/runoffs" },
    },
  },
  ultime: {
    name: "ultime",
    aliases: { en: ["news"] },
    scope: "everyone",
    help: {
      it: { description: "Ultimi aggiornamenti", example: "/ultime 5" },
      en: { description: "Latest updates", example: "/news 5" },
    },
  },
  info: {
    name: "info",
    scope: "everyone",
    help: {
      it: { description: "L'elezione in breve", example: "/info" },
      en: { description: "The election at a glance", example: "/info" },
    },
  },
  iscriviti: {
    name: "iscriviti",
    aliases: { en: ["subscribe"] },
    scope: "everyone",
    help: {
      it: {
        description: "Ricevi gli aggiornamenti",
        example: "/iscriviti (tutti) oppure /iscriviti Genova, Parma oppure /iscriviti nazionali",
      },
      en: {
        description: "Get the updates",
        example: "/subscribe (all) or /subscribe Genova, Parma or /subscribe national",
      },
    },
  },
  disiscriviti: {
    name: "disiscriviti",
    aliases: { en: ["unsubscribe"] },
    scope: "everyone",
    help: {
      it: { description: "Non ricevere più aggiornamenti", example: "/disiscriviti oppure /disiscriviti Parma" },
      en: { description: "Stop the updates", example: "/unsubscribe or /unsubscribe Parma" },
    },
  },
  iscrizioni: {
    name: "iscrizioni",
    aliases: { en: ["subscriptions"] },
    scope: "everyone",
    help: {
      it: { description: "Le tue iscrizioni", example: "/iscrizioni" },
      en: { description: "Your subscriptions", example: "/subscriptions" },
    },
  },
  silenzioso: {
    name: "silenzioso",
    aliases: { en: ["quiet"] },
    scope: "everyone",
    help: {
      it: { description: "Aggiornamenti senza suono di notte", example: "/silenzioso 23-7 oppure /silenzioso off" },
      en: { description: "Updates without sound at night", example: "/quiet 23-7 or /quiet off" },
    },
  },
  aiuto: {
    name: "aiuto",
    aliases: { en: ["help"] },
    scope: "everyone",
    help: {
      it: { description: "Elenco dei comandi", example: "/aiuto" },
      en: { description: "List of commands", example: "/help" },
    },
  },
  pubblica: {
    name: "pubblica",
    aliases: { en: ["publish"] },
    scope: "newsroom",
    help: {
      it: {
        description: "Pubblica un aggiornamento, dopo l'anteprima (redazione)",
        example: "/pubblica Affluenza alle 19: 42,35% #Genova",
      },
      en: {
        description: "Publish an update, after a preview (newsroom)",
        example: "/publish Turnout at 7 pm: 42.35% #Genova",
      },
    },
    bang: { it: "pubblica subito, senza anteprima", en: "publish at once, without a preview" },
  },
  rettifica: {
    name: "rettifica",
    aliases: { en: ["correct"] },
    scope: "newsroom",
    help: {
      it: {
        description: "Correggi un aggiornamento già inviato, in ogni chat (redazione)",
        example: "/rettifica 57 Affluenza alle 19: 42,53% #Genova",
      },
      en: {
        description: "Correct an update already sent, in every chat (newsroom)",
        example: "/correct 57 Turnout at 7 pm: 42.53% #Genova",
      },
    },
    bang: { it: "corregge subito, senza anteprima", en: "correct at once, without a preview" },
  },
  ritira: {
    name: "ritira",
    aliases: { en: ["withdraw"] },
    scope: "newsroom",
    help: {
      it: { description: "Ritira un aggiornamento: lo cancella da ogni chat (redazione)", example: "/ritira 57" },
      en: { description: "Withdraw an update: delete it from every chat (newsroom)", example: "/withdraw 57" },
    },
    bang: { it: "ritira subito, senza anteprima", en: "withdraw at once, without a preview" },
  },
  stato: {
    name: "stato",
    aliases: { en: ["status"] },
    scope: "newsroom",
    help: {
      it: { description: "Stato degli invii (redazione)", example: "/stato" },
      en: { description: "Delivery status (newsroom)", example: "/status" },
    },
  },
  sblocca: {
    name: "sblocca",
    aliases: { en: ["release"] },
    scope: "newsroom",
    help: {
      it: {
        description: "Sblocca i bollettini automatici di un comune in verifica (redazione)",
        example: "/sblocca Vicenza",
      },
      en: { description: "Release a held comune's automatic updates (newsroom)", example: "/release Vicenza" },
    },
  },
  desk: {
    name: "desk",
    aliases: { it: ["redazione"] },
    scope: "newsroom",
    help: {
      it: { description: "Il desk della serata sul web: link di accesso (redazione)", example: "/desk" },
      en: { description: "The night's desk on the web: a login link (newsroom)", example: "/desk" },
    },
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandId = keyof typeof COMMANDS;

const ids = Object.keys(COMMANDS) as CommandId[];
const spec = (id: CommandId): CommandSpec => COMMANDS[id];

/**
 * How a typed name is compared with the registry's names: without capitalisation (phones capitalise
 * the first letter: `/Citta`) or accents (`/città`, the natural spelling, is `/citta`).
 */
const fold = (name: string): string => name.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

/** The name and every alias of a command. */
export function namesOf(id: CommandId): string[] {
  const { name, aliases = {} } = spec(id);
  return [name, ...Object.values(aliases).flat()];
}

/**
 * The name a language's menu and `/aiuto` show: the registry's (Italian) name, or for another
 * language its first alias in that language (`/city` for English clients).
 */
export function nameIn(c: CommandSpec, lang: Lang): string {
  return lang === "it" ? c.name : (c.aliases?.[lang]?.[0] ?? c.name);
}

/** A command `/aiuto` and the menu list. */
export type ListedCommand = CommandSpec & { readonly help: Readonly<Record<Lang, CommandHelp>> };

/** Commands of a scope that `/aiuto` and the menu list, in registry order. */
export function listed(scope: CommandScope): ListedCommand[] {
  return ids.map(spec).filter((c): c is ListedCommand => c.scope === scope && c.help !== undefined);
}

/** Ids of the commands in a scope. */
export function inScope(scope: CommandScope): CommandId[] {
  return ids.filter((id) => spec(id).scope === scope);
}

// A name (or alias) used twice would silently go to whichever feature is installed first.
const owner = new Map<string, CommandId>();
for (const id of ids) {
  for (const name of namesOf(id)) {
    const taken = owner.get(fold(name));
    // The same command may list a name its fold already covers (an accented spelling, say).
    if (taken && taken !== id) throw new Error(`command name "${name}" is used by both ${taken} and ${id}`);
    owner.set(fold(name), id);
  }
}

/**
 * `/name`, `/name@bot`, then the rest. Read from the text, not from Telegram's bot_command entity:
 * Telegram marks commands of a-z, 0-9 and _ only, so `/città` arrives with none. As in Telegram, a
 * name followed by a letter, digit, `_`, `/`, `<` or `>` is not a command.
 */
const COMMAND = /^\/([\p{L}\p{M}\p{N}_]{1,64})(!)?(?:@([A-Za-z0-9_]{3,32}))?(!)?(?=$|[^\p{L}\p{M}\p{N}_/<>])/u;

/** A command read from a message's text: its name, whom it addresses (`/name@bot`), and the text after it. */
export interface ParsedCommand {
  name: string;
  target?: string;
  /** Written with `!` right after the name (`/pubblica!`, `/pubblica@bot!`): act without asking. */
  bang?: true;
  rest: string;
}

/** Reads the command a text starts with; undefined when it does not start with one. */
export function parseCommand(text: string): ParsedCommand | undefined {
  if (text.charCodeAt(0) !== 47 /* / */) return undefined;
  const m = COMMAND.exec(text);
  if (!m) return undefined;
  return {
    name: m[1]!,
    ...(m[3] !== undefined ? { target: m[3] } : {}),
    ...(m[2] !== undefined || m[4] !== undefined ? { bang: true as const } : {}),
    rest: text.slice(m[0].length).trimStart(),
  };
}

/**
 * A command message, as the handlers of `command(...)` see it: `match` is the text after the
 * command, `bang` whether it was written with `!` (only for commands whose registry entry has `bang`).
 */
export type CommandContext = Filter<BotContext, "message:text"> & { match: string; bang: boolean };

/**
 * A filter for `composer.filter(command("citta"), handler)`: matches the command by its name or any
 * alias, also when addressed as `/citta@thisbot` (not `/citta@anotherbot`), and sets `ctx.match` to
 * the text after it, like grammY's `composer.command`.
 */
export function command(...which: CommandId[]): (ctx: BotContext) => ctx is CommandContext {
  const names = new Set(which.flatMap(namesOf).map(fold));
  return (ctx): ctx is CommandContext => {
    const text = ctx.message?.text;
    const c = text === undefined ? undefined : parseCommand(text);
    if (!c || !names.has(fold(c.name))) return false;
    if (c.target !== undefined && c.target.toLowerCase() !== ctx.me.username.toLowerCase()) return false;
    ctx.match = c.rest;
    (ctx as CommandContext).bang = c.bang === true && spec(owner.get(fold(c.name))!).bang !== undefined;
    return true;
  };
}
