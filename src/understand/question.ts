/**
 * Plain questions: what a citizen types ("chi ha vinto a genova?", "affluenza parma", "who won in Genoa",
 * "ultime 3 genova", "/città Genova") read as an intent and the place it is about. Pure: no lookup here;
 * the subject comes back as the user wrote it, with other readings (an article kept, the Italian name
 * of an exonym) for the lookup to try.
 */
import type { Lang } from "../i18n/messages.js";
import { italianName } from "./exonyms.js";
import { foldKey, type Token, tokenize, wordDistance } from "./text.js";
import {
  CONTENT_INTENTS,
  CONVERSATION_ORDER,
  FILLER,
  FUZZY_WORDS,
  type Intent,
  LIST_WORDS,
  NAME_EDGE_WORDS,
  NAME_LIKE_CONVERSATION,
  NAME_LIKE_FILLER,
  NUMBER_WORDS,
  PLACE_WORDS,
  type PlaceKind,
  PREPOSITIONS,
  TRIGGERS,
} from "./vocabulary.js";

export type { Intent, PlaceKind };

/** What a message asks. */
export interface Question {
  intent: Intent;
  /**
   * The place asked about, as the user wrote it, without the question around it, the articles and
   * prepositions at its edges, or the kind of place ("chi ha vinto a Genova?" → "Genova",
   * "provincia di Genova" → "Genova"). For follow/unfollow, the whole list as written ("Genova, Parma",
   * "tutti": give it to parseCommandList); for quiet, the window as written ("23-7"). "" when none.
   */
  subject: string;
  /**
   * Other readings of the subject, most literal first, for the lookup to try before the subject itself:
   * with the article the sentence absorbed ("alla Spezia" → "la Spezia", "all'Aquila" → "l'Aquila"),
   * with "città" when it may belong to the name ("città di Castello" → "città di Castello"), and the
   * Italian name of a foreign one ("Genoa" → "Genova"). See resolveSubject.
   */
  alternatives: string[];
  /** A count, for news ("ultime 3 genova" → 3, "/ultime 999" → 999): as written; clamping is the caller's. */
  n?: number;
  /** The kind of place, when the message says it ("provincia di Genova" → "province"). */
  place?: PlaceKind;
  /**
   * True when nothing asked for anything and the text was taken as a place's name ("Genova", "ciao
   * Parma"): the caller may word a miss as "I did not understand" rather than "no such comune".
   */
  implied: boolean;
  /**
   * The language of the words that decided the intent ("who won" → "en"); the client's language when
   * those words are shared or there were none. The interface stays in the client's language; this
   * tells, for example, that an English-speaking visitor is writing to an Italian client.
   */
  said: Lang;
}

const INDEFINITE = new Set(["un", "uno", "una"]);

/** What follows the apostrophe of an English contraction. */
const CONTRACTIONS = new Set(["s", "t", "m", "re", "ve", "ll", "d"]);

/** Longer than any comune's name (the longest have six words): such text is not a bare name. */
const MAX_NAME_WORDS = 8;

type Role =
  | { kind: "trigger"; intent: Intent; lang: Lang | "both"; otherwise?: Intent; group: number }
  | { kind: "place"; place: PlaceKind }
  | { kind: "prep"; article: string }
  | { kind: "filler" }
  | { kind: "number"; value: number }
  | { kind: "name" };

type PhraseRole = Exclude<Role, { kind: "trigger" }> | Omit<Extract<Role, { kind: "trigger" }>, "group">;

interface Phrase {
  words: string[];
  role: PhraseRole;
}

/** Phrases by their first word, longest first, so that the longest phrase at a position wins. */
const PHRASES: ReadonlyMap<string, Phrase[]> = (() => {
  const all: Phrase[] = [
    ...TRIGGERS.flatMap((t) =>
      t.phrases.map((p) => ({
        words: p.split(" "),
        role: { kind: "trigger" as const, intent: t.intent, lang: t.lang, otherwise: t.otherwise },
      })),
    ),
    ...PLACE_WORDS.map((p) => ({ words: p.phrase.split(" "), role: { kind: "place" as const, place: p.place } })),
    { words: ["per", "favore"], role: { kind: "filler" } },
  ];
  const map = new Map<string, Phrase[]>();
  for (const p of all) {
    const list = map.get(p.words[0]!) ?? [];
    list.push(p);
    map.set(p.words[0]!, list);
  }
  for (const list of map.values()) list.sort((a, b) => b.words.length - a.words.length);
  return map;
})();

/** One-word triggers long enough to recognise misspelt ("risulati", "ballotaggi", "afluenza"). */
const FUZZY_TRIGGERS = TRIGGERS.flatMap((t) =>
  t.phrases
    .filter((p) => FUZZY_WORDS.has(p))
    .map((word) => ({ word, role: { kind: "trigger" as const, intent: t.intent, lang: t.lang } })),
);

/**
 * A misspelt trigger (see FUZZY_WORDS): one edit away, two for words of ten letters or more when the
 * typed word has at least eight. Short words must be exact: "segni" is a comune, not "segui".
 */
function fuzzyTrigger(key: string): PhraseRole | undefined {
  if (key.length < 6) return undefined;
  let best: { d: number; role: PhraseRole } | undefined;
  for (const f of FUZZY_TRIGGERS) {
    const max = f.word.length >= 10 && key.length >= 8 ? 2 : 1;
    const d = wordDistance(key, f.word, max);
    if (d <= max && (!best || d < best.d)) best = { d, role: f.role };
  }
  return best?.role;
}

function wordRole(t: Token): PhraseRole {
  if (t.numeric) return { kind: "number", value: countOf(t.key) };
  const article = PREPOSITIONS.get(t.key);
  if (article !== undefined) return { kind: "prep", article };
  if (FILLER.has(t.key)) return { kind: "filler" };
  return fuzzyTrigger(t.key) ?? { kind: "name" };
}

/** Digits as a count; absurdly long ones saturate instead of losing precision. */
function countOf(digits: string): number {
  return digits.length > 9 ? 999_999_999 : Number(digits);
}

function classify(tokens: readonly Token[]): Role[] {
  const roles: Role[] = [];
  let group = 0;
  for (let i = 0; i < tokens.length; ) {
    const hit = PHRASES.get(tokens[i]!.key)?.find((p) => p.words.every((w, k) => tokens[i + k]?.key === w));
    const role = hit?.role ?? wordRole(tokens[i]!);
    const span = hit ? hit.words.length : 1;
    for (let k = 0; k < span; k++) roles.push(role.kind === "trigger" ? { ...role, group } : role);
    group++;
    i += span;
  }
  return roles;
}

const CONJUNCTIONS = new Set(["e", "ed", "and"]);

/** A preposition without an article ("a", "di", "in", "at"): after "e" it starts another place. */
function isSimplePrep(role: Role | undefined, token: Token | undefined): boolean {
  return role?.kind === "prep" && role.article === "" && !INDEFINITE.has(token!.key);
}

/** Punctuation that ends one thought: a name never runs across it. "S. Giovanni" keeps its dot. */
function breaksBetween(text: string, a: Token, b: Token): boolean {
  const gap = text.slice(a.end, b.start);
  if (/[?!;,:\n]/.test(gap)) return true;
  return gap.includes(".") && a.key.length > 1;
}

const SLASH = /^\s*\/([^\s@/]+)(@\S*)?/u;

/**
 * Reads a message as an intent and the place it is about.
 *
 * Italian and English are both understood whatever `lang` (the client's language) is; `lang` only
 * fills `said` when the message's words belong to both languages or to none. A leading slash command
 * counts like its word ("/ultime 999", "/città@ElezioniBot Genova"); so does the word without the slash
 * ("citta genova", "affluenza"). Case, accents, apostrophes, punctuation and emoji do not matter.
 */
export function parseQuestion(text: string, lang: Lang): Question {
  let tokens = tokenize(text);
  let command: PhraseRole | undefined;
  const slash = SLASH.exec(text);
  if (slash) {
    const key = foldKey(slash[1]!);
    const hit = PHRASES.get(key)?.find((p) => p.words.length === 1);
    command = hit?.role ?? fuzzyTrigger(key) ?? { kind: "name" };
    const end = slash[0].length;
    tokens = tokens.filter((t) => t.start >= end);
    if (command.kind !== "trigger") {
      return { intent: "unknown", subject: "", alternatives: [], implied: false, said: lang };
    }
  }
  // "@ElezioniBot chi ha vinto?": a mention names the bot or a person, never a place.
  tokens = tokens.filter((t) => text[t.start - 1] !== "@");
  const roles = classify(tokens);
  tokens.forEach((t, i) => {
    // "who's", "what's", "don't": the end of an English contraction says nothing ("S. Giovanni" stays).
    if (tokens[i - 1]?.elided && CONTRACTIONS.has(t.key) && roles[i]!.kind === "name") roles[i] = { kind: "filler" };
  });
  if (command || roles.some((r) => r.kind === "trigger" && CONTENT_INTENTS.has(r.intent))) {
    // "risultati Salve": after a question, a greeting that is also a comune's name is the comune.
    tokens.forEach((t, i) => {
      if (NAME_LIKE_CONVERSATION.has(t.key) && roles[i]!.kind === "trigger") roles[i] = { kind: "name" };
    });
  }
  tokens.forEach((t, i) => {
    const before = roles[i - 1];
    if (NAME_LIKE_FILLER.has(t.key) && isSimplePrep(before, tokens[i - 1])) roles[i] = { kind: "name" };
  });
  const isName = (i: number) => roles[i]!.kind === "name";
  const hasName = roles.some((r) => r.kind === "name");

  // The intent: the slash command's, else the first thing asked for, else a bare name, else conversation.
  let decided: Extract<Role, { kind: "trigger" }> | undefined =
    command?.kind === "trigger" ? { ...command, group: -1 } : undefined;
  let implied = false;
  if (!decided) {
    decided = roles.find(
      (r): r is Extract<Role, { kind: "trigger" }> =>
        r.kind === "trigger" && CONTENT_INTENTS.has(r.intent) && !(r.otherwise && !hasName),
    );
  }
  if (!decided && hasName) implied = true;
  let intent: Intent = decided?.intent ?? (implied ? "results" : "unknown");
  if (!decided && !implied) {
    const spoken = roles.filter((r): r is Extract<Role, { kind: "trigger" }> => r.kind === "trigger");
    const conversation = spoken.map((r) => ({ ...r, intent: r.otherwise ?? r.intent }));
    for (const c of CONVERSATION_ORDER) {
      decided = conversation.find((r) => r.intent === c);
      if (decided) {
        intent = c;
        break;
      }
    }
  }
  const said: Lang = decided && decided.lang !== "both" ? decided.lang : lang;
  const place = roles.find((r): r is Extract<Role, { kind: "place" }> => r.kind === "place")?.place;
  const base = { intent, implied, said, alternatives: [] as string[], ...(place ? { place } : {}) };

  if (intent === "quiet") {
    const after = tokens.slice(lastIndexOf(roles, decided) + 1);
    return { ...base, subject: after.length ? text.slice(after[0]!.start, after.at(-1)!.end) : "" };
  }
  if (intent === "follow" || intent === "unfollow") {
    return { ...base, subject: listSubject(text, tokens, roles, decided) };
  }

  // A count for news: digits anywhere, or a number word right beside the word that asked.
  let n: number | undefined;
  if (intent === "news") {
    for (let i = 0; i < tokens.length && n === undefined; i++) {
      const r = roles[i]!;
      const word = NUMBER_WORDS.get(tokens[i]!.key);
      const besideTrigger = roles[i - 1]?.kind === "trigger" || roles[i + 1]?.kind === "trigger";
      if (r.kind === "number") n = r.value;
      else if (word !== undefined && besideTrigger && (r.kind === "name" || r.kind === "filler")) {
        n = word;
        roles[i] = { kind: "number", value: word };
      }
    }
  }

  // The place: a run of words holding a name, between the words that asked and the punctuation.
  // "e a", "and in" start another place ("a Palermo e a Genova"): the first is answered.
  const runs: number[][] = [];
  let current: number[] = [];
  for (let i = 0; i <= tokens.length; i++) {
    const ends =
      i === tokens.length ||
      roles[i]!.kind === "trigger" ||
      (i > 0 && current.length > 0 && breaksBetween(text, tokens[i - 1]!, tokens[i]!)) ||
      (CONJUNCTIONS.has(tokens[i]!.key) && isSimplePrep(roles[i + 1], tokens[i + 1]));
    if (ends) {
      if (current.some(isName)) runs.push(current);
      current = [];
    }
    if (i < tokens.length && roles[i]!.kind !== "trigger") current.push(i);
  }
  // Of several runs, the one a preposition introduces ("mi dici chi ha vinto a Parma": "a Parma"), then
  // the one right after the words that asked, then the first.
  const afterDecided = lastIndexOf(roles, decided) + 1;
  const score = (r: number[]) => {
    const firstName = r.find(isName)!;
    const introduced = r.some((i) => i < firstName && roles[i]!.kind === "prep");
    return (introduced ? 2 : 0) + (decided && r[0] === afterDecided ? 1 : 0);
  };
  let whole: number[] = [];
  for (const r of runs) if (!whole.length || score(r) > score(whole)) whole = r;
  let run = whole.slice();
  while (run.length && !isName(run[0]!)) run.shift();
  while (run.length && !isName(run.at(-1)!)) run.pop();
  // Names that begin or end with a word that is filler elsewhere ("Castel di Ieri", "Fai della
  // Paganella", "Cavasso Nuovo"): the run grown over such words, through prepositions, is also a reading.
  let grown = run.slice();
  const inWhole = (i: number) => whole.includes(i);
  const grow = (from: number, step: 1 | -1): number | undefined => {
    for (let i = from + step; inWhole(i); i += step) {
      if (NAME_EDGE_WORDS.has(tokens[i]!.key)) return i;
      if (roles[i]!.kind !== "prep") return undefined;
    }
    return undefined;
  };
  for (let i = grow(grown.at(-1) ?? -2, 1); i !== undefined; i = grow(i, 1)) grown.push(i);
  for (let i = grow(grown[0] ?? -2, -1); i !== undefined; i = grow(i, -1)) grown.unshift(i);

  if (!run.length && !decided && tokens.length === 1 && NAME_LIKE_FILLER.has(tokens[0]!.key)) {
    // A comune whose name is also a common word ("Ora"), typed on its own.
    run = [0];
    grown = [0];
    intent = "results";
    implied = true;
  }
  if (implied && run.length > MAX_NAME_WORDS) {
    return { ...base, intent: "unknown", implied: false, subject: "" };
  }
  if (!run.length) return { ...base, intent, implied, subject: "", ...(n !== undefined ? { n } : {}) };

  const span = (from: number, to: number) => text.slice(tokens[from]!.start, tokens[to]!.end);
  const subject = span(run[0]!, run.at(-1)!);
  const literal = grown[0] !== run[0] || grown.at(-1) !== run.at(-1) ? [span(grown[0]!, grown.at(-1)!)] : [];
  return {
    ...base,
    intent,
    implied,
    subject,
    alternatives: [...literal, ...alternativesOf(text, tokens, roles, run[0]!, tokens[run.at(-1)!]!.end, subject)],
    ...(n !== undefined ? { n } : {}),
  };
}

function isTriggerOf(r: Role, decided: Extract<Role, { kind: "trigger" }> | undefined): boolean {
  return r.kind === "trigger" && decided !== undefined && r.group === decided.group;
}

/** Where the deciding phrase ends; -1 when a slash command decided (it is not among the tokens). */
function lastIndexOf(roles: readonly Role[], decided: Extract<Role, { kind: "trigger" }> | undefined): number {
  let last = -1;
  roles.forEach((r, i) => {
    if (isTriggerOf(r, decided)) last = i;
  });
  return last;
}

/**
 * The list after "segui"/"iscrivimi"/"unfollow": everything up to the end, without the articles,
 * prepositions and politeness at its edges, but keeping the words of lists ("tutti", "solo", "esiti").
 * When nothing follows the command word, what precedes it ("Genova e Parma, iscrivimi").
 */
function listSubject(
  text: string,
  tokens: readonly Token[],
  roles: readonly Role[],
  decided: Extract<Role, { kind: "trigger" }> | undefined,
): string {
  const keep = (i: number) =>
    roles[i]!.kind === "name" || roles[i]!.kind === "number" || LIST_WORDS.has(tokens[i]!.key);
  const last = lastIndexOf(roles, decided);
  const pick = (from: number, to: number): string => {
    let a = from;
    let b = to;
    while (a <= b && !keep(a)) a++;
    while (b >= a && !keep(b)) b--;
    return a <= b ? text.slice(tokens[a]!.start, tokens[b]!.end) : "";
  };
  const after = pick(last + 1, tokens.length - 1);
  if (after || decided?.group === -1) return after;
  const firstOfTrigger = roles.findIndex((r) => isTriggerOf(r, decided));
  return firstOfTrigger > 0 ? pick(0, firstOfTrigger - 1) : "";
}

/** Readings of the subject that keep what the sentence around it may have taken from the name. */
function alternativesOf(
  text: string,
  tokens: readonly Token[],
  roles: readonly Role[],
  start: number,
  end: number,
  subject: string,
): string[] {
  const out: string[] = [];
  const prev = tokens[start - 1];
  const prevRole = roles[start - 1];
  const adjacent = prev && text.slice(prev.end, tokens[start]!.start).trim() === "";
  // "città di Castello", "città della Pieve", "Città Sant'Angelo": "città" may be the name's first word.
  const first = tokens[start]!.key;
  const citta =
    tokens[start - 1]?.key === "citta" && first === "sant"
      ? start - 1
      : tokens[start - 2]?.key === "citta" && ["di", "della", "del", "dell"].includes(tokens[start - 1]!.key)
        ? start - 2
        : undefined;
  if (citta !== undefined) out.push(text.slice(tokens[citta]!.start, end));
  if (prev && prevRole?.kind === "prep" && prevRole.article && adjacent) {
    if (prevRole.article === prev.key) out.push(text.slice(prev.start, end));
    else out.push(`${prevRole.article}${prevRole.article === "l" ? "'" : " "}${subject}`);
  }
  const italian = italianName(subject);
  if (italian) out.push(italian);
  const seen = new Set([foldKey(subject)]);
  return out.filter((s) => {
    const k = foldKey(s);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * How good a lookup's answer is: an exact match, a near one (a typo forgiven), or nothing (at most
 * suggestions).
 */
export type MatchQuality = "exact" | "near" | "none";

/**
 * Resolves a question's subject with a lookup. Every reading is tried, most literal first (the
 * alternatives, then the subject): the first exact match wins, so "alla Spezia" finds La Spezia and
 * "Genoa" finds Genova; else the first near match ("alla Speza"); else the subject's own answer, with
 * its suggestions. Stops at the first exact match.
 */
export function resolveSubject<R>(
  q: Pick<Question, "subject" | "alternatives">,
  lookup: (name: string) => R,
  quality: (result: R) => MatchQuality,
): R {
  let near: R | undefined;
  let own: R | undefined;
  for (const reading of [...q.alternatives, q.subject]) {
    const result = lookup(reading);
    const grade = quality(result);
    if (grade === "exact") return result;
    if (grade === "near" && near === undefined) near = result;
    if (reading === q.subject) own = result;
  }
  return near ?? own!;
}
