/**
 * The words the bot understands, in Italian and English, as folded keys (lowercase, no accents, no
 * apostrophes: "novità" → "novita", "com'è" → "com", "e"). Both languages are always understood: a
 * tourist may write English to a bot that speaks Italian, and Italians mix in "news" and "info".
 *
 * Every word here was checked against ISTAT's list of the 7,978 comuni: a comune whose whole name is one
 * of these words ("Ora", "Ne") is still found when typed on its own (see question.ts).
 */
import type { Lang } from "../i18n/messages.js";

/** What a message asks for. */
export type Intent =
  /** A place's results (who won, how it went): the city card. */
  | "results"
  /** Turnout, of one place or overall. */
  | "turnout"
  /** The runoffs: all of them, or one place's. */
  | "runoffs"
  /** The latest bulletins, overall or about one place. */
  | "news"
  /** Follow a place, several, everything or only national news. */
  | "follow"
  /** Stop following. */
  | "unfollow"
  /** What this chat follows. */
  | "subscriptions"
  /** Quiet hours: pushes arrive without sound. */
  | "quiet"
  /** The list of what the bot can do. */
  | "help"
  /** Hello: the welcome. */
  | "greeting"
  /** The election at a glance. */
  | "info"
  /** Thanks (and goodbyes): a short courteous answer. */
  | "thanks"
  /** Nothing the bot can answer. */
  | "unknown";

/** The kind of place a message says it means ("provincia di Genova", "regione Liguria"). */
export type PlaceKind = "comune" | "province" | "region";

/** Intents that ask for something; the others are conversation and give way to these. */
export const CONTENT_INTENTS: ReadonlySet<Intent> = new Set([
  "results",
  "turnout",
  "runoffs",
  "news",
  "follow",
  "unfollow",
  "subscriptions",
  "quiet",
]);

/** When a message holds only conversation, which one answers: help before info before thanks before hello. */
export const CONVERSATION_ORDER: readonly Intent[] = ["help", "info", "thanks", "greeting"];

interface TriggerSpec {
  intent: Intent;
  lang: Lang | "both";
  /** Space-separated folded words; one phrase per entry. */
  phrases: string[];
  /** What the phrase means when the message names no place ("come va?" alone is small talk). */
  otherwise?: Intent;
}

/**
 * Words and phrases that say what is asked. The longest phrase wins where several start at one word
 * ("quanti hanno votato" is turnout, "votato" alone is results; "chi va al ballottaggio" is runoffs).
 */
export const TRIGGERS: readonly TriggerSpec[] = [
  {
    intent: "results",
    lang: "it",
    phrases: [
      "risultati",
      "risultato",
      "esito",
      "esiti",
      "vinto",
      "vince",
      "vincera",
      "vincendo",
      "vincitore",
      "vincitrice",
      "vincitori",
      "eletto",
      "eletta",
      "sindaco",
      "sindaca",
      "candidati",
      "candidato",
      "candidata",
      "citta",
      "scrutinio",
      "scrutini",
      "spoglio",
      "voti",
      "votato",
      "percentuali",
      "classifica",
      "come e andata",
      "com e andata",
      "come andata",
      "come e finita",
      "com e finita",
      "come finita",
      "in testa",
      "chi e avanti",
      "quanti voti",
    ],
  },
  {
    intent: "results",
    lang: "it",
    phrases: ["come va", "come vanno", "come sta andando", "come stanno andando"],
    otherwise: "greeting",
  },
  {
    intent: "results",
    lang: "en",
    phrases: ["how is it going", "how s it going", "hows it going", "how are things"],
    otherwise: "greeting",
  },
  {
    intent: "results",
    lang: "en",
    phrases: [
      "results",
      "result",
      "outcome",
      "won",
      "win",
      "wins",
      "winning",
      "winner",
      "winners",
      "mayor",
      "elected",
      "candidates",
      "candidate",
      "city",
      "votes",
      "leading",
      "how did it go",
      "how did",
      "how many votes",
    ],
  },
  {
    intent: "turnout",
    lang: "it",
    phrases: [
      "affluenza",
      "affluenze",
      "partecipazione",
      "votanti",
      "elettori",
      "quanti hanno votato",
      "quante hanno votato",
      "in quanti",
      "quante persone",
      "quanta gente",
      "quanti sono andati",
      "andati a votare",
      "andata a votare",
      "andato a votare",
      "andate a votare",
    ],
  },
  {
    intent: "turnout",
    lang: "en",
    phrases: [
      "turnout",
      "voter turnout",
      "participation",
      "how many voted",
      "how many people",
      "how many went",
      "went to vote",
    ],
  },
  {
    intent: "runoffs",
    lang: "it",
    phrases: ["ballottaggi", "ballottaggio", "secondo turno", "chi va al ballottaggio"],
  },
  { intent: "runoffs", lang: "en", phrases: ["runoff", "runoffs", "run off", "run offs", "second round"] },
  {
    intent: "news",
    lang: "it",
    phrases: [
      "ultime",
      "ultima",
      "ultimi",
      "novita",
      "notizie",
      "notizia",
      "aggiornamenti",
      "aggiornamento",
      "bollettini",
      "bollettino",
      "comunicati",
      "cosa c e di nuovo",
      "che c e di nuovo",
      "c e qualcosa di nuovo",
    ],
  },
  { intent: "news", lang: "both", phrases: ["news"] },
  {
    intent: "news",
    lang: "en",
    phrases: ["latest", "last", "updates", "update", "what s new", "whats new", "anything new"],
  },
  {
    intent: "follow",
    lang: "it",
    phrases: [
      "segui",
      "seguire",
      "seguimi",
      "iscriviti",
      "iscrivimi",
      "iscrivermi",
      "iscrivi",
      "iscrivere",
      "abbonami",
      "avvisami",
      "notificami",
      "tienimi aggiornato",
      "tienimi aggiornata",
    ],
  },
  {
    intent: "follow",
    lang: "en",
    phrases: ["follow", "subscribe", "notify me", "keep me posted", "keep me updated"],
  },
  {
    intent: "unfollow",
    lang: "it",
    phrases: [
      "disiscriviti",
      "disiscrivimi",
      "disiscrivermi",
      "disiscrivi",
      "disiscrivere",
      "cancellami",
      "non seguire",
      "smetti di seguire",
      "smettila di seguire",
      "non voglio piu",
      "basta notifiche",
      "togli",
      "rimuovi",
    ],
  },
  {
    intent: "unfollow",
    lang: "en",
    phrases: ["unfollow", "unsubscribe", "stop following", "stop", "remove"],
  },
  {
    intent: "subscriptions",
    lang: "it",
    phrases: ["iscrizioni", "cosa seguo", "che seguo", "cosa sto seguendo"],
  },
  {
    intent: "subscriptions",
    lang: "en",
    phrases: ["subscriptions", "what do i follow", "what am i following"],
  },
  {
    intent: "quiet",
    lang: "it",
    phrases: ["silenzioso", "silenziosa", "silenzio", "non disturbare", "senza suono"],
  },
  { intent: "quiet", lang: "en", phrases: ["quiet", "quiet hours", "do not disturb", "mute"] },
  {
    intent: "help",
    lang: "it",
    phrases: [
      "aiuto",
      "comandi",
      "istruzioni",
      "cosa sai fare",
      "che sai fare",
      "cosa puoi fare",
      "che puoi fare",
      "cosa fai",
      "che fai",
      "come funziona",
      "come funzioni",
      "chi sei",
    ],
  },
  { intent: "help", lang: "both", phrases: ["help", "menu"] },
  {
    intent: "help",
    lang: "en",
    phrases: ["commands", "what can you do", "how does it work", "how does this work", "who are you"],
  },
  {
    intent: "greeting",
    lang: "it",
    phrases: [
      "ciao",
      "salve",
      "buongiorno",
      "buonasera",
      "buonpomeriggio",
      "buondi",
      "ehi",
      "buona sera",
      "buon giorno",
      "buon pomeriggio",
      "come stai",
      "come state",
    ],
  },
  {
    intent: "greeting",
    lang: "en",
    phrases: ["hi", "hello", "hey", "hiya", "good morning", "good evening", "good afternoon", "how are you"],
  },
  { intent: "greeting", lang: "both", phrases: ["start"] },
  {
    intent: "info",
    lang: "it",
    phrases: [
      "informazioni",
      "quando si vota",
      "quando sono le elezioni",
      "quando si e votato",
      "seggi",
      "orari",
      "quanti comuni",
      "quali comuni",
    ],
  },
  { intent: "info", lang: "both", phrases: ["info"] },
  {
    intent: "info",
    lang: "en",
    phrases: [
      "about",
      "when is the election",
      "when was the election",
      "polls",
      "polling stations",
      "how many comuni",
      "how many towns",
      "how many municipalities",
    ],
  },
  {
    intent: "thanks",
    lang: "it",
    phrases: ["grazie", "grazie mille", "ti ringrazio", "buonanotte", "arrivederci", "a presto"],
  },
  {
    intent: "thanks",
    lang: "en",
    phrases: ["thanks", "thank you", "thx", "ty", "cheers", "bye", "goodbye", "good night"],
  },
];

/**
 * Articles and prepositions, simple and articulated. At the edges of a name they are dropped ("a Genova",
 * "del comune di Parma"); inside one they stay ("San Giovanni in Fiore"). The value is the article an
 * articulated preposition holds ("alla" → "la"), so "alla Spezia" can also be read "la Spezia"; "" for
 * a preposition without one. Articles map to themselves.
 */
export const PREPOSITIONS: ReadonlyMap<string, string> = new Map([
  // Italian prepositions and elisions
  ...["a", "ad", "di", "d", "da", "in", "su", "per", "con", "tra", "fra", "verso", "presso"].map(
    (w) => [w, ""] as const,
  ),
  // Italian articles
  ...["il", "lo", "la", "l", "i", "gli", "le"].map((w) => [w, w] as const),
  ...["un", "uno", "una"].map((w) => [w, ""] as const),
  // articulated prepositions: a, da, di, in, su with the article; "con" only as col/coi, since "colle"
  // and "collo" are also words of names ("Colle di Val d'Elsa")
  ...["a", "da", "de", "ne", "su"]
    .flatMap((base) => [
      [`${base}l`, "il"] as const,
      [`${base}llo`, "lo"] as const,
      [`${base}lla`, "la"] as const,
      [`${base}ll`, "l"] as const,
      [`${base}i`, "i"] as const,
      [`${base}gli`, "gli"] as const,
      [`${base}lle`, "le"] as const,
    ])
    .filter(([word]) => word !== "dello"), // Dello is a comune (Brescia); "dello" rarely stands before a name
  ["col", "il"],
  ["coi", "i"],
  // English
  ...["at", "of", "for", "on", "to", "from", "near", "into", "about", "the", "an"].map((w) => [w, ""] as const),
]);

/**
 * Words around a question that carry no place: question words, verbs of asking, time words, politeness,
 * and the general vocabulary of elections. Dropped at the edges of a name, kept inside one.
 */
export const FILLER: ReadonlySet<string> = new Set([
  // Italian question words and verbs
  ..."chi che cosa cos come com quale quali qual quanto quanti quante quanta dove dov quando perche".split(" "),
  ..."e ed o oppure ha hanno han ho hai abbiamo avete sono sei siamo era erano stato stata stati state".split(" "),
  ..."sta stanno va vanno andando andata andato andati andate andra andranno fatto fatta preso presa".split(" "),
  ..."ottenuto votare mi ti ci si vi me te mio mia miei mie piu".split(" "),
  ..."dimmi dammi dicci mostrami fammi fai vedere sapere conoscere voglio vorrei volevo posso puoi".split(" "),
  ..."potresti sai favore piacere ok okay allora quindi ma scusa scusami senti ehm beh boh dici dire".split(" "),
  ..."succede successo stai si no annulla niente nulla chiudono aprono chiude apre ore".split(" "),
  // time, certainty and the vocabulary of elections
  ..."oggi stasera stanotte ieri domani adesso ora ancora gia finora ultimo nuovo nuovi ufficiale".split(" "),
  ..."ufficiali definitivo definitivi definitiva definitive parziale parziali dati elezione elezioni".split(" "),
  ..."comunali amministrative voto votazione votazioni tutti tutto tutte solo only all capoluogo".split(" "),
  // English
  ..."who what whats which how where when why is are was were be been did does do has have had".split(" "),
  ..."it its i me my you your can could would will please pls plz tell show give get let know".split(" "),
  ..."want need like and or today tonight now yet so far still election elections local".split(" "),
  ..."municipal vote voting there here any see check find look up got go going happened happening".split(" "),
  ..."with voted voter voters mine".split(" "),
  // verbs of voting around a question ("quanti comuni votano?"): never a comune's name (Volano)
  ..."vota votano votera voteranno votava votavano vote votes".split(" "),
]);

/** Words that name the kind of place ("provincia di Genova"): dropped from the name, kept as a hint. */
export const PLACE_WORDS: readonly { phrase: string; place: PlaceKind }[] = [
  { phrase: "citta metropolitana", place: "province" },
  { phrase: "metropolitan city", place: "province" },
  { phrase: "comune", place: "comune" },
  { phrase: "comuni", place: "comune" },
  { phrase: "municipio", place: "comune" },
  { phrase: "municipality", place: "comune" },
  { phrase: "town", place: "comune" },
  { phrase: "provincia", place: "province" },
  { phrase: "prov", place: "province" },
  { phrase: "province", place: "province" },
  { phrase: "regione", place: "region" },
  { phrase: "region", place: "region" },
];

/** Counts written as words, for "ultime tre notizie" and "last five updates". */
export const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ...[
    "uno",
    "due",
    "tre",
    "quattro",
    "cinque",
    "sei",
    "sette",
    "otto",
    "nove",
    "dieci",
    "undici",
    "dodici",
    "tredici",
    "quattordici",
    "quindici",
    "sedici",
    "diciassette",
    "diciotto",
    "diciannove",
    "venti",
  ].map((w, i) => [w, i + 1] as const),
  ...[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
  ].map((w, i) => [w, i + 1] as const),
]);

/**
 * Words of a follow list that are not places ("tutti", "solo nazionali", "solo esiti"): kept in the
 * subject of follow/unfollow for parseCommandList to read.
 */
export const LIST_WORDS: ReadonlySet<string> = new Set(
  "tutti tutto tutte all everything nazionali nazionale national solo soltanto only esiti esito outcomes outcome".split(
    " ",
  ),
);

/**
 * Comuni whose whole name is one of the filler words above. Typed on their own, or right after a
 * preposition ("chi ha vinto a Ora?", "novità su Ultimo"), they are the comune; elsewhere they stay
 * filler ("risultati genova ora", "l'ultimo aggiornamento").
 */
export const NAME_LIKE_FILLER: ReadonlySet<string> = new Set(["ora", "ultimo"]);

/**
 * Filler words that begin or end comuni's names ("Castel di Ieri", "Cella Dati", "Fai della Paganella",
 * "Cavasso Nuovo" and six other "… Nuovo"): a name grown over them is also tried.
 */
export const NAME_EDGE_WORDS: ReadonlySet<string> = new Set(["ieri", "dati", "fai", "nuovo"]);

/**
 * Comuni whose name is a greeting ("Salve"): alone it greets; after a question ("risultati Salve") it is
 * the comune.
 */
export const NAME_LIKE_CONVERSATION: ReadonlySet<string> = new Set(["salve"]);

/**
 * The trigger words worth recognising misspelt: long, typed often, and far from any comune's name
 * ("vincendo" is not here: "Vincenzo" is one edit away).
 */
export const FUZZY_WORDS: ReadonlySet<string> = new Set([
  "risultati",
  "risultato",
  "affluenza",
  "partecipazione",
  "ballottaggi",
  "ballottaggio",
  "aggiornamenti",
  "aggiornamento",
  "notizie",
  "iscriviti",
  "iscrivimi",
  "disiscriviti",
  "disiscrivimi",
  "iscrizioni",
  "silenzioso",
  "informazioni",
  "results",
  "turnout",
  "runoffs",
  "subscribe",
  "unsubscribe",
  "subscriptions",
]);
