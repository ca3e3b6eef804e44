import { beforeAll, describe, expect, it } from "vitest";
import type { ComuneResults, Provenance } from "../src/data/model.js";
import { type DataPack, loadDataPack } from "../src/data/pack.js";
import type { KnownComune, ResultComune } from "../src/data/places.js";
import { escapeHtml, html, packMessages, TELEGRAM_TEXT_LIMIT } from "../src/format/html.js";
import { type Lang, messages } from "../src/i18n/index.js";
import {
  BULLETIN_BLOCK_MAX,
  bulletinBlock,
  bulletinTitle,
  latestView,
  renderBulletin,
} from "../src/views/bulletins.js";
import { cityCard, cityTurnoutView, comuneAnswer, outcomeLines } from "../src/views/city.js";
import { provenanceLine, shortSource, type ViewContext, withComuneNames } from "../src/views/common.js";
import { infoView } from "../src/views/info.js";
import { runoffsOf, runoffsView } from "../src/views/runoffs.js";
import { AREA_BUTTONS_MAX, inlineSummary, searchReply } from "../src/views/search.js";
import { turnoutTimeline, turnoutView } from "../src/views/turnout.js";
import { htmlToPlain } from "./support/fake-bot-api/index.js";

let pack: DataPack;
beforeAll(async () => {
  pack = await loadDataPack("data");
});

/** The morning after the first round, in Rome. */
const NOW = new Date("2017-06-12T12:00:00+02:00");
/** The night of the runoff, just after the polls closed. */
const RUNOFF_NIGHT = new Date("2017-06-25T23:30:00+02:00");
/** The day after the runoff. */
const AFTER = new Date("2017-06-26T12:00:00+02:00");
const view = (lang: Lang = "it", now = NOW, p: DataPack = pack): ViewContext => ({ pack: p, t: messages(lang), now });
const comune = (name: string): ResultComune => pack.comuni.find((c) => c.name === name)!;
const known = (name: string): KnownComune => pack.known.find((c) => c.name === name)!;

/** Parses like Telegram (throws on malformed HTML) and checks the length limit. */
function plain(html: string): string {
  const text = htmlToPlain(html);
  expect(text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
  expect(text.trim().length).toBeGreaterThan(0);
  return text;
}

/** A view made of blocks, as the bot sends it: packed into messages, each parsed. */
function plainBlocks(blocks: string[]): string {
  const parts = packMessages(blocks);
  expect(parts.length).toBeGreaterThan(0);
  return parts.map(plain).join("\n\n");
}

/** Every view the bot can send, for one language and one day. */
function allViews(lang: Lang, now: Date): [string, string[]][] {
  const v = view(lang, now);
  const newestFirst = [...pack.bulletins].reverse();
  return [
    ...pack.comuni.map((c): [string, string[]] => [`city ${c.name}`, [cityCard(c, v)]]),
    ...pack.comuni.map((c): [string, string[]] => [`turnout ${c.name}`, [cityTurnoutView(c, v)]]),
    ["no results", [comuneAnswer(known("Pavia"), v)]],
    ["turnout", [turnoutView(v)]],
    ["runoffs", runoffsView(v)],
    ["info", [infoView(v)]],
    ["latest", latestView(newestFirst, v.t, now, pack.election.timezone)],
    ["latest (empty)", latestView([], v.t, now)],
  ];
}

describe("city card before the runoff (Italian)", () => {
  it("Genova: every candidate by share with votes and coalition, the runoff on Sunday 25 June, the source", () => {
    const text = plain(cityCard(comune("Genova"), view()));
    expect(text).toContain("Genova (GE) · Liguria · capoluogo");
    expect(text).toContain("Primo turno, domenica 11 giugno 2017");
    expect(text).toMatch(/1\. Marco Bucci — 38,8% {2}▓+░+ · 88\.781 voti/);
    expect(text).toMatch(/2\. Gianni \(Giovanni\) Crivello — 33,39% {2}▓+░+ · 76\.407 voti/);
    expect(text).toMatch(/3\. Luca Pirondini — 18,07%/);
    expect(text).toMatch(/9\. Stefano Arrighi — 0,39%/);
    expect(text).toContain("centrodestra: Lega Nord, FdI-AN, Forza Italia, Vince Genova, Direzione Italia");
    expect(text).toContain("Ballottaggio domenica 25 giugno: Marco Bucci contro Gianni (Giovanni) Crivello");
    expect(text).toContain("Nessuno ha superato il 50% dei voti in un comune sopra i 15.000 abitanti.");
    expect(text).toContain("Affluenza: 48,39% (tornata precedente 55,57%)");
    expect(text).toMatch(/📄 Fonte: [^\n]+ · dati definitivi$/);
    expect(text).not.toContain("Eletto");
    expect(text).not.toContain("55,24%");
  });

  it("Palermo: elected at the first round under Sicily's 40% law, 46,28% final, Ferrandelli second", () => {
    const text = plain(cityCard(comune("Palermo"), view()));
    expect(text).toContain("Eletto sindaco al primo turno: Leoluca Orlando");
    expect(text).toContain(
      "In Sicilia la legge regionale del 2016 elegge al primo turno chi raggiunge il 40% dei voti nei comuni sopra i 15.000 abitanti.",
    );
    expect(text).toMatch(/1\. Leoluca Orlando — 46,28% .* · 125\.913 voti/);
    expect(text).toMatch(/2\. Fabrizio Ferrandelli — 31,19%/);
    expect(text).toMatch(/3\. Ugo Forello — 16,27%/);
    expect(text).not.toContain("n.d.");
    expect(text).not.toContain("46,08%");
    expect(text).not.toContain("Ballottaggio");
  });

  it("Cuneo: elected by majority though the sources give no population", () => {
    const text = plain(cityCard(comune("Cuneo"), view()));
    expect(text).toContain("Eletto sindaco al primo turno: Federico Borgna");
    expect(text).toContain("Ha superato il 50% dei voti.");
  });

  it("Gorizia: to the runoff under Friuli-Venezia Giulia's own law, 22 votes short", () => {
    const text = plain(cityCard(comune("Gorizia"), view()));
    expect(text).toContain("Ballottaggio domenica 25 giugno: Rodolfo Ziberna contro Roberto Collini");
    expect(text).toContain(
      "In Friuli-Venezia Giulia si vota con la legge regionale n. 19 del 5 dicembre 2013: nei comuni sopra i 15.000 abitanti serve più del 50% dei voti, e nessuno l'ha superato.",
    );
    expect(text).toContain("Rodolfo Ziberna ha mancato la maggioranza assoluta per 22 voti.");
  });

  it("Asti: the recount's votes with the shares they give; Cerruti second, six votes ahead of Motta", () => {
    const text = plain(cityCard(comune("Asti"), view()));
    expect(text).toMatch(/1\. Maurizio Rasero — 47,63% .* · 15\.868 voti/);
    expect(text).toMatch(/2\. Massimo Cerruti — 15,3% .* · 5\.099 voti/);
    expect(text).toMatch(/3\. Angela Motta — 15,29% .* · 5\.093 voti/);
    expect(text).toContain("Ballottaggio domenica 25 giugno: Maurizio Rasero contro Massimo Cerruti");
    expect(text).toContain("(6 voti di differenza)");
  });

  it("Catanzaro: 39,72% is not enough outside Sicily", () => {
    const text = plain(cityCard(comune("Catanzaro"), view()));
    expect(text).toContain("39,72%");
    expect(text).toContain("Ballottaggio domenica 25 giugno: Sergio Abramo contro Vincenzo Antonio Ciconte");
  });

  it("outcome lines escape what they show", () => {
    const base = comune("Genova");
    const results: ComuneResults = {
      ...base.results,
      name: "Prova <&>",
      firstRound: {
        ...base.results.firstRound,
        outcome: undefined,
        candidates: [
          { name: "A & <B>", percent: 60, lists: [] },
          { name: "C", percent: 40, lists: [] },
        ],
      },
      runoff: undefined,
    };
    const c: ResultComune = { ...base, name: "Prova <&>", results };
    const lines = outcomeLines(c, view());
    expect(() => htmlToPlain(lines.join("\n"))).not.toThrow();
    expect(htmlToPlain(lines.join("\n"))).toContain("A & <B>");
    expect(plain(cityCard(c, view()))).toContain("Prova <&>");
  });
});

describe("city card from the runoff's day (Italian)", () => {
  it("Genova: the runoff first, with who was elected, then the first round", () => {
    const text = plain(cityCard(comune("Genova"), view("it", AFTER)));
    const runoff = text.indexOf("Ballottaggio, domenica 25 giugno 2017");
    const first = text.indexOf("Primo turno, domenica 11 giugno 2017");
    expect(runoff).toBeGreaterThan(-1);
    expect(first).toBeGreaterThan(runoff);
    expect(text).toMatch(/1\. Marco Bucci — 55,24%/);
    expect(text).toMatch(/2\. Gianni \(Giovanni\) Crivello — 44,76%/);
    expect(text).toContain("Eletto sindaco al ballottaggio: Marco Bucci");
    expect(text).toContain("Al ballottaggio: Marco Bucci e Gianni (Giovanni) Crivello");
    expect(text.match(/📄 Fonte:/g)).toHaveLength(2);
  });

  it("on the runoff's night the runoff is already shown", () => {
    expect(plain(cityCard(comune("Genova"), view("it", RUNOFF_NIGHT)))).toContain("Eletto sindaco al ballottaggio");
  });

  it("Trapani: the runoff's only candidate, the quorum missed, no mayor; why Fazio was not there", () => {
    const text = plain(cityCard(comune("Trapani"), view("it", AFTER)));
    // A sole candidate's percentage is no share of a contest: the votes, and the turnout against the quorum.
    expect(text).toContain("1. Pietro (Piero) Savona — unico candidato: 14.536 voti");
    expect(text).toContain("🗳 affluenza 26,75%, sotto il minimo del 50%");
    expect(text).not.toContain("91,51%");
    expect(text).toContain("Nessun sindaco eletto");
    expect(text).toContain(
      "in Sicilia la legge regionale del 2016 chiede un'affluenza minima, che non è stata raggiunta",
    );
    expect(text).toContain("ha votato il 26,75% degli elettori, meno del 50%");
    expect(text).toContain("Affluenza: 26,75%");
    expect(text).toContain("Girolamo Fazio, primo al primo turno, è stato escluso dal ballottaggio");
    expect(text).not.toContain("Eletto sindaco al ballottaggio");
  });

  it("Cuneo, decided at the first round, is the same card after the runoff", () => {
    expect(cityCard(comune("Cuneo"), view("it", AFTER))).toBe(cityCard(comune("Cuneo"), view()));
  });

  it("a comune sent to the runoff whose runoff is not in the data says so once its day has come", () => {
    const g = comune("Genova");
    const withoutRunoff: ResultComune = { ...g, results: { ...g.results, runoff: undefined } };
    const text = plain(cityCard(withoutRunoff, view("it", AFTER)));
    expect(text).toContain("Ballottaggio domenica 25 giugno: Marco Bucci contro Gianni (Giovanni) Crivello");
    expect(text).toContain("Il risultato del ballottaggio non è ancora nei dati.");
  });
});

describe("a comune without results", () => {
  it("says so honestly, with its province and region", () => {
    const text = plain(comuneAnswer(known("Pavia"), view()));
    expect(text).toBe(
      "🏛 Pavia (PV) · Lombardia\nPer Pavia non ho risultati in questi dati.\n" +
        "ℹ️ Nota: i risultati caricati sono quelli dei 25 capoluoghi, su 1.004 comuni al voto.",
    );
  });

  it("'non ha votato' only when the pack declares its list of comuni voting complete", () => {
    const complete: DataPack = { ...pack, election: { ...pack.election, votingListComplete: true } };
    expect(plain(comuneAnswer(known("Pavia"), view("it", NOW, complete)))).toContain(
      "Pavia non ha votato in queste elezioni.",
    );
    const voting = { ...known("Pavia"), voting: true };
    expect(plain(comuneAnswer(voting, view("it", NOW, complete)))).toContain(
      "Pavia è tra i comuni al voto: i risultati non ci sono ancora.",
    );
  });

  it("the same for /affluenza", () => {
    expect(plain(cityTurnoutView(known("Pavia"), view()))).toContain("Per Pavia non ho risultati in questi dati.");
  });
});

describe("provenance in one short line", () => {
  const v = () => view();
  it("final figures: the source and 'dati definitivi'", () => {
    const p: Provenance = { source: "Ministero dell'Interno", urls: [], status: "final" };
    expect(htmlToPlain(provenanceLine(p, v()))).toBe("📄 Fonte: Ministero dell'Interno · dati definitivi");
  });

  it("partial figures: the sections counted and the time of the update", () => {
    const p: Provenance = {
      source: "Ministero dell'Interno",
      urls: [],
      status: "partial",
      at: "2017-06-11T23:30:00+02:00",
    };
    expect(htmlToPlain(provenanceLine(p, v(), { counted: 40, total: 90 }))).toBe(
      "📄 Fonte: Ministero dell'Interno · dati parziali: 40 sezioni su 90 · aggiornati alle 11/06 23:30",
    );
    expect(htmlToPlain(provenanceLine({ ...p, at: undefined }, v()))).toBe(
      "📄 Fonte: Ministero dell'Interno · dati parziali",
    );
  });

  it("a long list of publishers is shortened", () => {
    const t = messages("it");
    expect(shortSource("uno.it, due.it", t)).toBe("uno.it, due.it");
    const long = "mag.corriereal.info, ilpiccolo.net, ilsecoloxix.it, money.it, lapulceonline.it, cise.luiss.it";
    expect(shortSource(long, t)).toBe("mag.corriereal.info, ilpiccolo.net e altre 4");
    expect(shortSource(long, messages("en"))).toBe("mag.corriereal.info, ilpiccolo.net and 4 others");
    expect(htmlToPlain(provenanceLine({ source: "<b>x</b>", urls: [], status: "final" }, v()))).toContain("<b>x</b>");
  });
});

describe("turnout (Italian)", () => {
  it("/affluenza: 19,36% at 12, 42,35% at 19, 60,07% final against 66,85%, over 849 comuni, from the Ministry", () => {
    const text = plain(turnoutView(view()));
    const lines = text.split("\n");
    const line = (at: string) => lines.findIndex((l) => l.startsWith(at));
    const [i12, i19, i23] = [line("12:00"), line("19:00"), line("23:00")];
    expect(i12).toBeGreaterThan(-1);
    expect(i19).toBeGreaterThan(i12);
    expect(i23).toBeGreaterThan(i19);
    expect(lines[i12]).toContain("19,36%");
    expect(lines[i19]).toContain("42,35%");
    expect(lines[i23]).toContain("60,07% — definitivo");
    expect(lines[i23 + 1]).toContain("tornata precedente 66,85% (−6,78 punti)");
    expect(text.match(/849 comuni seguiti dal Ministero/g)).toHaveLength(1);
    expect(text).toContain("📄 Fonte: Ministero dell'Interno · dati definitivi");
    expect(text).toContain("dalle 07:00 alle 23:00");
    expect(text).not.toContain("61,5%");
    expect(text).not.toContain("Ballottaggio");
  });

  it("from the runoff's day, the runoff's readings too, against the same comuni's first round", () => {
    const text = plain(turnoutView(view("it", AFTER)));
    const runoff = text.slice(text.indexOf("Ballottaggio, domenica 25 giugno 2017"));
    expect(runoff).toMatch(/12:00 ▓+░+ 14,9%/);
    expect(runoff).toContain("al primo turno, negli stessi comuni, 18,65%");
    expect(runoff).toMatch(/23:00 ▓+░+ 46,03% — definitivo/);
    expect(runoff).toContain("103 comuni al ballottaggio seguiti dal Ministero (su 111)");
  });

  it("a pack without turnout says there is none yet", () => {
    const empty: DataPack = { ...pack, turnout: { readings: [] } };
    expect(plain(turnoutView(view("it", NOW, empty)))).toContain("Nessun dato di affluenza per ora.");
  });

  it("timeline keeps the final or latest reading per time, earlier ones as notes", () => {
    const base = { approximate: false, final: false };
    const readings = [
      {
        ...base,
        at: "12:00",
        percent: 15,
        approximate: true,
        coverage: "311 comuni su 849",
        publishedAt: "2017-06-11T12:15:00+02:00",
      },
      { ...base, at: "12:00", percent: 19.36, publishedAt: "2017-06-11T12:55:00+02:00" },
      { ...base, at: "23:00", percent: 60.07, final: true },
      { ...base, at: "23:00", percent: 61.5, publishedAt: "2017-06-11T23:15:00+02:00" },
    ];
    const t = turnoutTimeline(readings);
    expect(t.map((x) => [x.at, x.latest.percent, x.earlier.map((e) => e.percent)])).toEqual([
      ["12:00", 19.36, [15]],
      ["23:00", 60.07, [61.5]],
    ]);
    expect(turnoutTimeline([...readings].reverse()).map((x) => x.latest.percent)).toEqual([19.36, 60.07]);
    const text = plain(turnoutView(view("it", NOW, { ...pack, turnout: { readings } })));
    expect(text).toContain("prima stima (12:15, 311 comuni su 849): circa 15%");
  });

  it("/affluenza for a comune: each round's turnout with its own source", () => {
    const text = plain(cityTurnoutView(comune("Trapani"), view("it", AFTER)));
    expect(text).toContain("Affluenza: 58,94% (tornata precedente 64,61%)");
    expect(text).toContain("Affluenza: 26,75%");
    expect(text).toContain("Fonte: blogsicilia.it, gazzettadelsud.it · dati definitivi");
    const before = plain(cityTurnoutView(comune("Trapani"), view()));
    expect(before).not.toContain("26,75%");
  });
});

describe("runoffs (Italian)", () => {
  it("before: the 22 pairs with their first-round figures, then the three elected at the first round", () => {
    expect(runoffsOf(view())).toHaveLength(22);
    const text = plainBlocks(runoffsView(view()));
    expect(text).toContain("Ballottaggi di domenica 25 giugno 2017");
    expect(text.match(/ contro /g)).toHaveLength(22);
    for (const pair of [
      "Marco Bucci (centrodestra, 38,8%) contro Gianni (Giovanni) Crivello (centrosinistra, 33,39%)",
      "Federico Sboarina (centrodestra, 29,26%) contro Patrizia Bisinella (Fare! (Tosi) e civiche, 23,54%)",
      "Maurizio Rasero (centrodestra, 47,63%) contro Massimo Cerruti (Movimento 5 Stelle, 15,3%)",
      "Rodolfo Ziberna (centrodestra, 49,88%) contro Roberto Collini (centrosinistra, 22,68%)",
    ])
      expect(text).toContain(pair);
    const elected = text.slice(text.indexOf("Eletti al primo turno"));
    expect(text.indexOf("Eletti al primo turno")).toBeGreaterThan(text.lastIndexOf(" contro "));
    expect(elected).toContain(
      "Palermo (PA): Leoluca Orlando (centrosinistra/civico (senza simboli di partito), 46,28%)",
    );
    expect(elected).toContain("Cuneo (CN): Federico Borgna");
    expect(elected).toContain("Frosinone (FR): Nicola Ottaviani");
    expect(elected.match(/🏛/g)).toHaveLength(3);
  });

  it("after: 21 winners with the runoff's shares, Trapani without a mayor, no pairs left", () => {
    const entries = runoffsOf(view("it", AFTER));
    expect(entries.filter((e) => e.outcome?.kind === "elected")).toHaveLength(21);
    const text = plainBlocks(runoffsView(view("it", AFTER)));
    expect(text).not.toContain(" contro ");
    expect(text).toContain("Eletti al ballottaggio");
    expect(text).toContain("Genova (GE): Marco Bucci (55,24%) su Gianni (Giovanni) Crivello (44,76%)");
    expect(text).toContain("L'Aquila (AQ): Pierluigi Biondi (53,52%) su Americo Di Benedetto (46,48%)");
    expect(text).toContain("Asti (AT): Maurizio Rasero (54,9%) su Massimo Cerruti (45,1%)");
    const none = text.slice(text.indexOf("Nessun sindaco eletto"));
    expect(none).toMatch(
      /^Nessun sindaco eletto\n🏛 Trapani \(TP\): quorum non raggiunto · Pietro \(Piero\) Savona, unico candidato: 14\.536 voti · affluenza 26,75%, sotto il minimo del 50%\nBallottaggio con il solo Pietro Savona/,
    );
    expect(text.indexOf("Eletti al primo turno")).toBeGreaterThan(text.indexOf("Nessun sindaco eletto"));
  });
});

describe("info (Italian)", () => {
  it("has the key figures, the national and regional rules", () => {
    const text = plain(infoView(view()));
    expect(text).toContain("Comuni al voto: 1.004, di cui 25 capoluoghi");
    expect(text).toContain("Elettori: 9.172.026 su una popolazione di 10.584.797");
    expect(text).toContain("domenica 11 giugno 2017");
    expect(text).toContain("domenica 25 giugno 2017");
    expect(text).toContain(
      "In Sicilia si vota con la legge regionale del 2016: sopra i 15.000 abitanti basta il 40% per vincere al primo turno.",
    );
    expect(text).toContain(
      "In Friuli-Venezia Giulia si vota con la legge regionale n. 19 del 5 dicembre 2013: sopra i 15.000 abitanti serve più del 50% per vincere al primo turno.",
    );
    expect(text).toContain("Comuni al ballottaggio: 111");
  });

  it("the outcomes at a glance: before the runoff, 3 elected and 22 to the runoff", () => {
    const text = plain(infoView(view()));
    expect(text).toContain("Nei dati: 25 comuni con risultati, di cui 25 capoluoghi");
    expect(text).toContain("eletti al primo turno: 3");
    expect(text).toContain("al ballottaggio di domenica 25 giugno: 22");
    expect(text).not.toContain("eletti al ballottaggio");
  });

  it("after the runoff: 21 elected at the runoff, Trapani without a mayor", () => {
    const text = plain(infoView(view("it", AFTER)));
    expect(text).toContain("eletti al primo turno: 3");
    expect(text).toContain("eletti al ballottaggio: 21");
    expect(text).toContain("senza sindaco: 1 (Trapani)");
    expect(text).not.toContain("al ballottaggio di");
  });
});

describe("search replies", () => {
  const reply = (q: string, now = NOW) =>
    searchReply(pack.search(q), escapeHtml(q), view("it", now), messages("it").cityNotFound);

  it("a region: its comuni with results as buttons", () => {
    const r = reply("Liguria");
    expect(plain(r.html)).toBe("📍 Regione Liguria: 2 comuni con risultati");
    expect(r.buttons.map((c) => c.name)).toEqual(["Genova", "La Spezia"]);
    expect(plain(reply("Basilicata").html)).toBe("📍 Regione Basilicata: nessun comune con risultati in questi dati.");
    expect(reply("Basilicata").buttons).toEqual([]);
  });

  it("a candidate's surname: the comune's card", () => {
    const r = reply("Bucci");
    expect(r.buttons).toEqual([]);
    expect(plain(r.html)).toContain("1. Marco Bucci — 38,8%");
  });

  it("a surname several candidates share: their comuni as buttons", () => {
    const r = reply("Russo");
    expect(plain(r.html)).toBe("«Russo»: candidati con questo nome in più comuni.");
    expect(r.buttons.map((c) => c.name)).toEqual(["La Spezia", "Parma"]);
  });

  it("a comune without results, homonyms, nothing", () => {
    expect(plain(reply("Pavia").html)).toContain("Per Pavia non ho risultati in questi dati.");
    const castro = reply("Castro");
    expect(plain(castro.html)).toBe("«Castro» può indicare più comuni: quale cercavi?");
    expect(castro.buttons.map((c) => c.label)).toEqual(["Castro (LE)", "Castro (BG)"]);
    expect(plain(reply("Zzyzxqwvb").html)).toMatch(/^Non trovo il comune «Zzyzxqwvb»\./);
  });

  it("a region with more comuni with results than buttons says how many are shown", () => {
    const many: KnownComune[] = Array.from({ length: 45 }, (_, i) => ({ ...comune("Genova"), name: `Borgo ${i}` }));
    const r = searchReply(
      { kind: "area", area: { kind: "region", name: "Liguria", comuni: many }, withResults: many as ResultComune[] },
      escapeHtml("Liguria"),
      view(),
      messages("it").cityNotFound,
    );
    expect(r.buttons).toHaveLength(AREA_BUTTONS_MAX);
    expect(plain(r.html)).toBe(
      `📍 Regione Liguria: 45 comuni con risultati\nNe mostro ${AREA_BUTTONS_MAX}: per gli altri scrivi il nome del comune.`,
    );
  });

  it("inline summaries: the first round's two, then the runoff's winner", () => {
    expect(inlineSummary(comune("Genova"), view())).toBe("Marco Bucci 38,8% · Gianni (Giovanni) Crivello 33,39%");
    expect(inlineSummary(comune("Genova"), view("it", AFTER))).toBe(
      "✅ Marco Bucci · Marco Bucci 55,24% · Gianni (Giovanni) Crivello 44,76%",
    );
    expect(inlineSummary(known("Pavia"), view())).toBe("PV");
  });
});

/** A bulletin's block with every comune named, whatever its length. */
const bulletinBlockUnlimited = (b: Parameters<typeof renderBulletin>[0], lang: Lang) =>
  renderBulletin(b, messages(lang), NOW, "Europe/Rome", Number.POSITIVE_INFINITY).html;

describe("latest bulletins view: the night's words, unchanged", () => {
  it("keeps the order given, dating the bulletins of another day; 46,08% and 61,5% as they were said", () => {
    const newestFirst = [...pack.bulletins].reverse().map((b) => withComuneNames(b, pack));
    const text = plainBlocks(latestView(newestFirst, messages("it"), NOW, "Europe/Rome"));
    const i1145 = text.indexOf("🕒 11:45");
    const i0045 = text.indexOf("🕒 00:45");
    const i2315 = text.indexOf("🕒 11/06 23:15");
    const i1215 = text.indexOf("🕒 11/06 12:15");
    expect(i1145).toBeGreaterThan(-1);
    expect(i0045).toBeGreaterThan(i1145);
    expect(i2315).toBeGreaterThan(i0045);
    expect(i1215).toBeGreaterThan(i2315);
    expect(text).toContain("Comuni: Genova, Verona, Parma, L'Aquila, Catanzaro, Palermo");
    expect(text).toContain("«mascherate»");
    expect(text).toContain("Leoluca Orlando con il 46,08%");
    expect(text).toContain("l'affluenza definitiva è del 61,5%");
  });

  it("says so when there is nothing", () => {
    expect(plainBlocks(latestView([], messages("it"), NOW))).toBe(htmlToPlain(messages("it").noBulletins));
  });

  it("a newsroom bulletin shows its formatting as built, and when it was corrected", () => {
    const b = {
      publishedAt: "2017-06-12T19:05:00+02:00",
      text: "Affluenza: 42,35% <b>",
      html: html`Affluenza: <b>42,35%</b> &lt;b&gt;`,
      comuni: ["Genova"],
      correctedAt: "2017-06-12T19:20:00+02:00",
    };
    expect(bulletinBlock(b, messages("it"), NOW)).toBe(
      "🕒 <b>19:05</b>\nAffluenza: <b>42,35%</b> &lt;b&gt;\n<i>Comuni: Genova</i>\n✏️ <i>rettificato alle 19:20</i>",
    );
    const { html: _, ...plain } = b;
    expect(bulletinBlock({ ...plain, correctedAt: "2017-06-11T23:00:00+02:00" }, messages("en"), NOW)).toContain(
      "Affluenza: 42,35% &lt;b&gt;\n<i>Comuni: Genova</i>\n✏️ <i>corrected on 11/06 23:00</i>",
    );
  });

  it.each(["it", "en"] as const)(
    "a bulletin naming more comuni than a message holds (%s): the first ones, and how many more",
    (lang) => {
      const t = messages(lang);
      // The longest a block gets otherwise: the most text, a date in both stamps, a correction's line.
      const text = "Affluenza definitiva nei comuni al voto: 61,5%. ".repeat(70).slice(0, 3000);
      const comuni = Array.from({ length: 400 }, (_, i) => `San Giovanni in Val di Comune ${i + 1}`);
      const b = {
        publishedAt: "2017-06-10T19:05:00+02:00",
        correctedAt: "2017-06-11T09:20:00+02:00",
        text,
        comuni,
      };
      const r = renderBulletin(b, t, NOW);
      const plainText = htmlToPlain(r.html);
      expect(plainText.length).toBeLessThanOrEqual(BULLETIN_BLOCK_MAX);
      expect(plainText).toContain(text);
      expect(r.listed).toBeGreaterThan(0);
      expect(r.listed).toBeLessThan(400);
      const more = lang === "it" ? `e altri ${400 - r.listed}` : `and ${400 - r.listed} more`;
      expect(plainText).toContain(`: ${comuni.slice(0, r.listed).join(", ")} ${more}\n`);
      // As many as fit: one more name would not.
      const lines = plainText.split("\n");
      lines[lines.length - 2] = `${t.concerns}: ${t.concernsMore(comuni.slice(0, r.listed + 1), 399 - r.listed)}`;
      expect(lines.join("\n").length).toBeGreaterThan(BULLETIN_BLOCK_MAX);
      expect(r.over).toBe(htmlToPlain(bulletinBlockUnlimited(b, lang)).length - BULLETIN_BLOCK_MAX);
      // And what /ultime packs from it is valid HTML within Telegram's limit.
      for (const p of packMessages(latestView([b], t, NOW))) expect(htmlToPlain(p).length).toBeLessThanOrEqual(4096);
    },
  );

  it("the line's other forms: one more, and none named when not even one fits", () => {
    const t = messages("it");
    const comuni = ["Genova", "Castelnuovo di Garfagnana"];
    const b = { publishedAt: "2017-06-12T19:05:00+02:00", text: "Seggi chiusi", comuni };
    const full = htmlToPlain(bulletinBlock(b, t, NOW)).length;
    expect(htmlToPlain(renderBulletin(b, t, NOW, "Europe/Rome", full).html)).toContain(
      "Comuni: Genova, Castelnuovo di Garfagnana",
    );
    expect(htmlToPlain(renderBulletin(b, t, NOW, "Europe/Rome", full - 1).html)).toContain("Comuni: Genova e un altro");
    expect(htmlToPlain(renderBulletin(b, t, NOW, "Europe/Rome", 30).html)).toContain("Comuni: 2 comuni");
    expect(htmlToPlain(renderBulletin(b, messages("en"), NOW, "Europe/Rome", full - 1).html)).toContain(
      "Comuni: Genova and 1 more",
    );
  });

  it("a bulletin's title is its first words", () => {
    expect(bulletinTitle("Affluenza alle 19 a Genova: 42,35%")).toBe("Affluenza alle 19 a Genova: 42,35%");
    expect(bulletinTitle("Ballottaggio il 25 giugno a Genova tra Marco Bucci e Gianni Crivello")).toBe(
      "Ballottaggio il 25 giugno a Genova tra Marco…",
    );
    expect(bulletinTitle("Precipitevolissimevolmente ".repeat(4))).toBe(
      "Precipitevolissimevolmente Precipitevolissimevo…",
    );
    expect(bulletinTitle("  righe\nsu   più righe ")).toBe("righe su più righe");
  });
});

describe.each(["it", "en"] as const)("every view is valid Telegram HTML within the limit (%s)", (lang) => {
  it.each([
    ["before the runoff", NOW],
    ["after the runoff", AFTER],
  ] as const)("%s", (_when, now) => {
    for (const [name, blocks] of allViews(lang, now)) {
      const parts = packMessages(blocks);
      expect(parts.length, name).toBeGreaterThan(0);
      for (const p of parts) {
        let text = "";
        expect(() => (text = htmlToPlain(p)), `${name}: ${p.slice(0, 80)}`).not.toThrow();
        expect(text.length, name).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
        expect(p.length, name).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      }
      // a single-message view must fit on its own
      if (blocks.length === 1) expect(parts, name).toHaveLength(1);
    }
  });
});

describe("English views", () => {
  it("translate the interface but keep the data", () => {
    const v = view("en");
    const genova = plain(cityCard(comune("Genova"), v));
    expect(genova).toContain("Runoff on Sunday 25 June: Marco Bucci vs Gianni (Giovanni) Crivello");
    expect(genova).toContain("38.8%");
    expect(genova).toContain("88,781 votes");
    expect(genova).toContain("First round, Sunday 11 June 2017");
    expect(genova).toContain("in a comune above 15,000 inhabitants");
    expect(genova).toContain("Source: ");
    expect(genova).toContain("final figures");
    const palermo = plain(cityCard(comune("Palermo"), v));
    expect(palermo).toContain("Elected mayor at the first round: Leoluca Orlando");
    expect(palermo).toContain("40%");
    const gorizia = plain(cityCard(comune("Gorizia"), view("en", AFTER)));
    expect(gorizia).toContain("Elected mayor at the runoff: Rodolfo Ziberna");
    expect(gorizia).toContain("Friuli-Venezia Giulia votes under its regional law no. 19 of 2013");
    expect(plain(comuneAnswer(known("Pavia"), v))).toContain("I have no results for Pavia in this data.");
    const turnout = plain(turnoutView(v));
    expect(turnout).toContain("60.07%");
    expect(turnout).toContain("−6.78");
    const info = plain(infoView(view("en", AFTER)));
    expect(info).toContain("Comuni voting: 1,004");
    expect(info).toContain("Voters: 9,172,026 out of a population of 10,584,797");
    expect(info).toContain("elected at the runoff: 21");
    expect(plainBlocks(runoffsView(v)).match(/ vs /g)).toHaveLength(22);
    expect(plainBlocks(runoffsView(view("en", AFTER)))).toContain(
      "Marco Bucci (55.24%) over Gianni (Giovanni) Crivello",
    );
  });
});

describe("a comune still counting (the feed's partial figures)", () => {
  const NIGHT = new Date("2017-06-11T23:30:00+02:00");
  /** Genova's card with invented partial figures: three candidates, sections counted of 100. */
  function counting(counted: number, votes: [number, number, number], live?: KnownComune["live"]): ResultComune {
    const g = comune("Genova");
    const names = ["Anna Rossi", "Bruno Bianchi", "Carla Verdi"];
    const valid = votes[0] + votes[1] + votes[2];
    return {
      ...g,
      results: {
        ...g.results,
        runoff: undefined,
        firstRound: {
          date: "2017-06-11",
          electors: 100_000,
          sections: { counted, total: 100 },
          candidates: names.map((name, i) => ({
            name,
            votes: votes[i],
            percent: Math.round((votes[i]! / valid) * 10_000) / 100,
            lists: [],
          })),
          turnout: [],
          provenance: {
            source: "Ministero dell'Interno",
            urls: [],
            status: "partial",
            at: "2017-06-11T23:25:00+02:00",
          },
        },
      },
      ...(live ? { live } : {}),
    };
  }

  it("says who leads, never an outcome, while the sections left could change it", () => {
    const c = counting(10, [6_000, 3_000, 1_000]);
    const text = plain(cityCard(c, view("it", NIGHT)));
    expect(text).toContain("In testa: Anna Rossi");
    expect(text).not.toContain("Eletto");
    expect(text).toContain("dati parziali: 10 sezioni su 100 · aggiornati alle 23:25");
    expect(runoffsOf(view("it", NIGHT, { ...pack, comuni: [c] }))).toEqual([]);
    expect(inlineSummary(c, view("it", NIGHT))).not.toContain("✅");
  });

  it("says what is certain, and at how many sections, once the sections left cannot change it", () => {
    const c = counting(95, [55_000, 20_000, 10_000]);
    const text = plain(cityCard(c, view("it", NIGHT)));
    expect(text).toContain("Certo: eletto sindaco al primo turno Anna Rossi");
    expect(text).toContain("certo a 95 sezioni su 100");
    expect(plain(cityCard(c, view("en", NIGHT)))).toContain("Certain: Anna Rossi elected mayor at the first round");
    // A runoff pair that can no longer change is listed with the runoffs.
    const pair = counting(95, [35_000, 34_000, 16_000]);
    expect(plain(cityCard(pair, view("it", NIGHT)))).toContain("Certo: ballottaggio tra Anna Rossi e Bruno Bianchi");
    expect(runoffsOf(view("it", NIGHT, { ...pack, comuni: [pair] })).map((r) => r.pair)).toEqual([
      ["Anna Rossi", "Bruno Bianchi"],
    ]);
  });

  it("marks figures the anomaly gate holds, and figures that stopped moving", () => {
    const live = {
      round: "first" as const,
      held: true,
      released: false,
      countingOpen: true,
      staleMinutes: 20,
      changedAt: "2017-06-11T23:05:00+02:00",
      heldSince: "2017-06-11T22:41:00+02:00",
      checking: ["sum-mismatch" as const, "share-mismatch" as const],
    };
    const text = plain(cityCard(counting(40, [6_000, 3_000, 1_000], live), view("it", NIGHT)));
    expect(text).toContain(
      "⚠️ Nuovi dati in verifica dalle 22:41: la somma dei voti non torna e le percentuali non corrispondono ai voti. Restano gli ultimi dati controllati.",
    );
    expect(text).toContain("Dati fermi dalle 23:05");
    expect(plain(cityCard(counting(40, [6_000, 3_000, 1_000], live), view("en", NIGHT)))).toContain(
      "⚠️ New figures being checked since 22:41: the votes do not add up and the percentages do not match the votes. These are the last checked figures.",
    );
    const fresh = plain(
      cityCard(
        counting(40, [6_000, 3_000, 1_000], { ...live, held: false, changedAt: "2017-06-11T23:20:00+02:00" }),
        view("it", NIGHT),
      ),
    );
    expect(fresh).not.toContain("in verifica");
    expect(fresh).not.toContain("Dati fermi");
  });
});

describe("a runoff with a sole candidate", () => {
  /** Trapani with its runoff changed: no outcome stated (the rules decide), other figures. */
  function trapani(runoff: Partial<NonNullable<ComuneResults["runoff"]>>): ResultComune {
    const t = comune("Trapani");
    const { outcome: _stated, ...rest } = t.results.runoff!;
    return { ...t, results: { ...t.results, runoff: { ...rest, ...runoff } } };
  }
  const withComune = (c: ResultComune): DataPack => ({
    ...pack,
    comuni: pack.comuni.map((x) => (x.name === c.name ? c : x)),
  });

  it("without a stated outcome, the rules' void is said everywhere, with the turnout against the quorum", () => {
    const c = trapani({});
    const v = view("it", AFTER, withComune(c));
    expect(inlineSummary(c, v)).toBe(
      "⛔ Nessun sindaco eletto: quorum non raggiunto · Pietro (Piero) Savona, unico candidato: 14.536 voti · affluenza 26,75%, sotto il minimo del 50%",
    );
    const runoffs = plainBlocks(runoffsView(v));
    expect(runoffs).toContain(
      "Nessun sindaco eletto\n🏛 Trapani (TP): quorum non raggiunto · Pietro (Piero) Savona, unico candidato: 14.536 voti · affluenza 26,75%, sotto il minimo del 50%",
    );
    expect(runoffs).not.toContain("91,51%");
    expect(plain(cityCard(c, v))).not.toContain("91,51%");
  });

  it("a sole candidate who met the quorum is elected, shown with the votes and the quorum met, not a share", () => {
    const c = trapani({
      turnoutPercent: 55.2,
      electors: 60023,
      candidates: [{ ...comune("Trapani").results.runoff!.candidates[0]!, votes: 30000 }],
    });
    const v = view("it", AFTER, withComune(c));
    expect(inlineSummary(c, v)).toBe(
      "✅ Pietro (Piero) Savona · Pietro (Piero) Savona, unico candidato: 30.000 voti · affluenza 55,2%, raggiunto il minimo del 50% · voti pari al 49,98% degli elettori, raggiunto il minimo del 25%",
    );
    const runoffs = plainBlocks(runoffsView(v));
    expect(runoffs).toContain(
      "🏛 Trapani (TP): Pietro (Piero) Savona, unico candidato: 30.000 voti · affluenza 55,2%, raggiunto il minimo del 50% · voti pari al 49,98% degli elettori, raggiunto il minimo del 25%",
    );
    expect(runoffs).not.toContain("Nessun sindaco eletto");
    const card = plain(cityCard(c, v));
    expect(card).toContain("Eletto sindaco al ballottaggio: Pietro (Piero) Savona");
    expect(card).toContain("1. Pietro (Piero) Savona — unico candidato: 30.000 voti");
    expect(card).not.toContain("91,51%");
  });

  it("in English, with English numbers", () => {
    const c = trapani({ electors: 60023 });
    const v = view("en", AFTER, withComune(c));
    expect(inlineSummary(c, v)).toBe(
      "⛔ No mayor elected: quorum not reached · Pietro (Piero) Savona, the only candidate: 14,536 votes · turnout 26.75%, below the 50% minimum · votes equal to 24.22% of the electors, below the 25% minimum",
    );
    const card = plain(cityCard(c, v));
    expect(card).toContain("1. Pietro (Piero) Savona — the only candidate: 14,536 votes");
    expect(card).toContain("🗳 turnout 26.75%, below the 50% minimum");
  });
});
