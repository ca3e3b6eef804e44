/**
 * English for English clients: every view rendered in English, and every interface message, holds
 * no Italian interface words and no Italian-formatted numbers once the data (names, coalitions,
 * notes, sources, bulletins, all Italian by design) is taken out. A new message without a sample
 * here fails the test, so that it is checked too.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { helpText } from "../../src/bot/features/help.js";
import { sharesChartSvg, turnoutChartSvg } from "../../src/charts/index.js";
import { type DataPack, loadDataPack } from "../../src/data/pack.js";
import { roundStanding } from "../../src/data/standing.js";
import { type Html, escapeHtml as h, html, packMessages } from "../../src/format/html.js";
import { en } from "../../src/i18n/en.js";
import type { FollowState, Topics } from "../../src/i18n/follow.js";
import { latestView } from "../../src/views/bulletins.js";
import { cityCard, cityTurnoutView, comuneAnswer, outcomeAnswer, runoffWhenAnswer } from "../../src/views/city.js";
import type { ViewContext } from "../../src/views/common.js";
import { infoView } from "../../src/views/info.js";
import { runoffsView } from "../../src/views/runoffs.js";
import { inlineSummary, searchReply } from "../../src/views/search.js";
import { turnoutView } from "../../src/views/turnout.js";
import { htmlToPlain } from "../support/fake-bot-api/index.js";

let pack: DataPack;
/** Every string of the data pack (and its pieces between commas and colons), longest first. */
let data: string[];

/**
 * Sentences of the pack the bot shows as its own words, in the client's language (a reading's
 * coverage, a regional law's reference): not data, so checked like the interface.
 */
const WORDED = new Set(["coverage", "law"]);

/** Every string value in some JSON, but the worded ones. */
function strings(value: unknown, out: Set<string>): void {
  if (typeof value === "string") {
    out.add(value);
    for (const piece of value.split(/[,:;]\s*/)) out.add(piece.trim());
  } else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) if (!WORDED.has(k)) strings(v, out);
}

/** The words a chart prints (its SVG's text nodes), one a line, as HTML for expectEnglish. */
function chartText(svg: string): Html {
  const texts = [...svg.matchAll(/>([^<>]+)</g)]
    .map((m) => m[1]!.trim())
    // Only data is shortened to fit (a coalition "apparentato con Pier…", a source "gazz…"): cut short, it is no
    // longer found among the data's strings, and is left out.
    .map((t) => (t.endsWith("…") ? "§" : t))
    .filter(Boolean);
  const plain = texts
    .join("\n")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, "&");
  return h(plain);
}

beforeAll(async () => {
  pack = await loadDataPack("data");
  const found = new Set<string>();
  for (const file of ["election.json", "results.json", "turnout.json", "bulletins.json"])
    strings(JSON.parse(await readFile(path.join("data", file), "utf8")), found);
  for (const name of ["Pavia", "Castro", "Molise"])
    for (const c of pack.known.filter((k) => k.name === name))
      strings([c.name, c.label, c.province, c.provinceName, c.region], found);
  data = [...found].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
});

/** Words of the Italian interface that have no place in the English one. */
const ITALIAN =
  /\b(dei|della|delle|degli|del|di|il|gli|una|è|con|su|tra|sono|più|che|alle|dalle|oppure|ancora|nessun[oa]?|tutti|tutte|aggiornament[oi]|affluenza|primo turno|ballottagg(io|i)|elett[oi]|sindaco|voti|abitanti|fonte|dati|definitivi|parziali|domenica|lunedì|giugno|tornata|punti|capoluog(o|hi)|regione|provincia|comuni al voto|iscri\w*|scrivi|indica|chiedimi|ciao|prego|grazie|ricevi|riceverai|gruppo)\b/i;

/** Commands by their Italian names, where an English one exists. */
const ITALIAN_COMMAND = /\/(citta|affluenza|ballottaggi|ultime|iscriviti|disiscriviti|iscrizioni|silenzioso|aiuto)\b/;

/** Numbers written the Italian way: 1.004, 15.000, 38,8%, −6,78. */
const ITALIAN_NUMBER = /\d\.\d{3}(?!\d)|\d,\d{1,2}(?:%|\s*punti|\b(?!\d))/;

/** The text a reader sees, without the data and without the newsroom's Italian example bulletin. */
function interfaceText(markup: string): string {
  let text = htmlToPlain(markup);
  // /pubblica has no English name; its example is a bulletin, and bulletins are Italian.
  text = text.replace(/\/pubblica [^\n]*#Genova/g, "/pubblica §");
  for (const s of data) if (text.includes(s)) text = text.split(s).join("§");
  return text.replace(/\be\.g\./g, "for example");
}

function expectEnglish(name: string, markup: string): void {
  const text = interfaceText(markup);
  expect(text, `${name}: ${text}`).not.toMatch(ITALIAN);
  expect(text, `${name}: ${text}`).not.toMatch(ITALIAN_COMMAND);
  expect(text, `${name}: ${text}`).not.toMatch(ITALIAN_NUMBER);
}

const AFTER = new Date("2017-06-26T12:00:00+02:00");
const BEFORE = new Date("2017-06-12T12:00:00+02:00");

describe("every view in English", () => {
  it.each([
    ["before the runoff", BEFORE],
    ["after the runoff", AFTER],
  ] as const)("%s", (_when, now) => {
    const v: ViewContext = { pack, t: en, now };
    const known = (name: string) => pack.known.find((k) => k.name === name)!;
    const views: [string, Html[]][] = [
      ...pack.comuni.map((c): [string, Html[]] => [`card ${c.name}`, [cityCard(c, v)]]),
      ...pack.comuni.map((c): [string, Html[]] => [`turnout ${c.name}`, [cityTurnoutView(c, v)]]),
      ["no results", [comuneAnswer(known("Pavia"), v)]],
      ["turnout", [turnoutView(v)]],
      ["runoffs", runoffsView(v)],
      ["info", [infoView(v)]],
      ["latest", latestView([...pack.bulletins].reverse(), en, now, "Europe/Rome", { capped: 20 })],
      ["latest about", latestView(pack.bulletins.slice(-1), en, now, "Europe/Rome", { about: "Genova" })],
      ["latest (none)", latestView([], en, now)],
      ["latest about (none)", latestView([], en, now, "Europe/Rome", { about: "Pavia" })],
      ["help", [helpText(en, true)]],
      ["help in a group", [helpText(en, false, { bot: "ElezioniBot" })]],
      ...["Liguria", "Basilicata", "Russo", "Bucci", "Castro", "pa", "Rma", "Zzyzxqwvb"].map((q): [string, Html[]] => [
        `search ${q}`,
        [searchReply(pack.search(q), q, v, en.cityNotFound).html],
      ]),
    ];
    for (const [name, blocks] of views) for (const part of packMessages(blocks)) expectEnglish(name, part);
    for (const c of pack.comuni) expectEnglish(`inline ${c.name}`, h(inlineSummary(c, v)));
    // What a question gets: the outcome first, the runoff's day and pair.
    for (const c of pack.comuni) {
      expectEnglish(`outcome ${c.name}`, outcomeAnswer(c, v));
      expectEnglish(`runoff when ${c.name}`, runoffWhenAnswer(c, v));
    }
    // The charts' words and figures.
    const rules = pack.election.rules;
    for (const c of pack.comuni) {
      const rounds = [
        ["first", c.results.firstRound] as const,
        ...(c.results.runoff ? [["runoff", c.results.runoff] as const] : []),
      ];
      for (const [kind, round] of rounds) {
        const standing = roundStanding(c.results, kind, rules);
        const svg = sharesChartSvg({
          comune: c.name,
          kind,
          round,
          lang: "en",
          timeZone: "Europe/Rome",
          ...(standing ? { standing } : {}),
        });
        expectEnglish(`chart ${c.name} ${kind}`, chartText(svg));
        if (round.turnout.length)
          expectEnglish(
            `turnout chart ${c.name} ${kind}`,
            chartText(
              turnoutChartSvg({
                area: c.name,
                points: round.turnout,
                lang: "en",
                timeZone: "Europe/Rome",
                provenance: round.provenance,
              }),
            ),
          );
      }
    }
    const points = pack.turnout.readings.map((r) => ({
      at: r.at,
      percent: r.percent,
      previousPercent: r.previousPercent,
      final: r.final,
    }));
    expectEnglish(
      "turnout chart",
      chartText(turnoutChartSvg({ area: "all", points, lang: "en", timeZone: "Europe/Rome" })),
    );
  });

  it("writes English numbers and dates", () => {
    const v: ViewContext = { pack, t: en, now: BEFORE };
    const info = htmlToPlain(infoView(v));
    expect(info).toContain("First round: Sunday 11 June 2017");
    expect(info).toContain("Comuni voting: 1,004");
    expect(info).toContain("above 15,000 inhabitants");
    const card = htmlToPlain(cityCard(pack.comuni.find((c) => c.name === "Genova")!, v));
    expect(card).toContain("Marco Bucci — 38.8%");
    expect(card).toContain("88,781 votes");
  });
});

const q = h("Genva");
const names = [h("Genova"), h("Parma")];
const state: FollowState = { all: false, national: true, comuni: names };
const topics: Topics = { comuni: names, national: true };
const SAMPLES: Record<string, unknown[][]> = {
  welcome: [
    ["Ada", "Elezioni comunali 2017"],
    [undefined, "Elezioni comunali 2017", { bot: "ElezioniBot" }],
  ],
  helpFooter: [[], [{ bot: "ElezioniBot" }]],
  thanks: [[false], [true]],
  notUnderstood: [[q]],
  cityNotFound: [[q]],
  comuneNotFound: [[q]],
  notAComune: [["Liguria region"]],
  areaTurnoutNone: [["Liguria region"]],
  coverage: [[{ results: 25, capoluoghi: 25, voting: 1004 }], [{ results: 30, capoluoghi: 25, voting: 1004 }]],
  runoffsPartial: [[22, 111]],
  firstRoundOf: [["Sunday 11 June 2017"]],
  outcomeElected: [["Leoluca Orlando"]],
  outcomeRunoff: [["Marco Bucci", "Gianni Crivello", "Sunday 25 June"]],
  reason: [
    ...(
      [
        "majority",
        "regional-threshold",
        "single-round",
        "no-majority",
        "population-unknown",
        "runoff-most-votes",
        "single-candidate",
        "single-candidate-quorum",
        "stated",
        "tie",
        "incomplete",
      ] as const
    ).map((r) => [r, { threshold: "50%", population: "15,000", region: "Sicilia" }]),
    ["no-majority", { threshold: "40%", population: "15,000", region: "Sicilia", regional: {}, inclusive: true }],
  ],
  noCityTurnout: [["Genova"]],
  turnoutTitle: [["Elezioni comunali 2017"]],
  turnoutPolls: [["Sunday 11 June 2017", "07:00", "23:00"]],
  turnoutPrevious: [["66.85%", "−6.78"]],
  turnoutEarlier: [["61.5%", "849 comuni seguiti dal Ministero", "23:15"]],
  runoffsTitle: [["Sunday 25 June 2017"]],
  badCount: [[20]],
  latestCapped: [[20]],
  latestAbout: [["Genova"]],
  noBulletinsAbout: [["Pavia"]],
  bulletinHeader: [["23:15"]],
  regionalRule: [[{ region: "Sicilia", percent: "40%", threshold: "15,000", inclusive: true, law: "del 2016" }]],
  infoBody: [
    [
      {
        date: "Sunday 11 June 2017",
        runoff: "Sunday 25 June 2017",
        comuni: "1,004",
        capoluoghi: "25",
        voters: "9,172,026",
        votersElsewhere: [{ value: "9,261,142", source: "si24.it, money.it" }],
        population: "10,584,797",
        open: "07:00",
        close: "23:00",
        threshold: "15,000",
        majority: "50",
        regional: [],
      },
    ],
    // An imported pack may not know the capoluoghi, the voters or the population.
    [
      {
        date: "Sunday 11 June 2017",
        runoff: "Sunday 25 June 2017",
        comuni: "1,004",
        open: "07:00",
        close: "23:00",
        threshold: "15,000",
        majority: "50",
        regional: [],
      },
    ],
  ],
  publishTooLong: [[3000]],
  publishUnknownTags: [[["Atlantide"]]],
  publishQueued: [[{ number: 7, recipients: 3000, comuni: ["Genova"] }], [{ number: 7, recipients: 0, comuni: [] }]],
  pushReport: [
    [
      {
        title: "Turnout at 7 pm",
        number: 7,
        delivered: 1,
        removed: 0,
        skipped: 0,
        failed: 0,
        possiblyDuplicated: 0,
        seconds: "1.2",
      },
    ],
    [
      {
        title: "Turnout at 7 pm",
        number: 7,
        delivered: 3000,
        removed: 0,
        skipped: 0,
        failed: 0,
        possiblyDuplicated: 1234,
        seconds: "12.5",
      },
    ],
  ],
  lastPush: [
    [
      {
        title: "Turnout at 7 pm",
        number: 7,
        time: "23:15",
        delivered: 1,
        total: 2,
        removed: 0,
        failed: 1,
        running: true,
      },
    ],
  ],
  statusCluster: [
    [
      {
        instances: [
          { id: "web-1:412:a1b2c3", self: true, leader: true, updates: false },
          { id: "web-2:77:d4e5f6", self: false, leader: false, updates: true },
        ],
        leases: [
          { name: "leader", holder: "web-1:412:a1b2c3", expiresInS: 4 },
          { name: "updates", holder: "web-2:77:d4e5f6", expiresInS: 0 },
        ],
      },
    ],
  ],
  deskLink: [["https://bot.example.org/desk/login?t=abc", 10]],
  journalLine: [
    [
      {
        at: new Date("2017-06-11T22:15:00Z"),
        tz: "Europe/Rome",
        by: 42,
        via: "desk",
        what: "release",
        subject: "Vicenza",
      },
    ],
  ],
  statusBody: [
    [
      {
        subscribers: 1,
        chats: 1,
        pending: 0,
        bulletins: 6,
        last: undefined,
        pack: "comunali-2017",
        sends: { dropped: 1200, droppedWaited: 1, droppedOverflow: 1199, rateLimited: 0, maxWaitS: 60 },
      },
    ],
  ],
  // results
  votes: [["88,781"]],
  noResults: [["Pavia"]],
  votingNoResults: [["Pavia"]],
  notVoting: [["Pavia"]],
  runoffOf: [["Sunday 25 June 2017"]],
  wentToRunoff: [["Marco Bucci", "Gianni Crivello"]],
  runoffElected: [["Marco Bucci"]],
  runoffWhen: [["Genova", "Sunday 25 June 2017"]],
  runoffPair: [[["Marco Bucci", "Gianni Crivello"]], [["Pietro Savona"]]],
  runoffIfAny: [["Genova", "Sunday 25 June 2017"]],
  noRunoffFor: [["Palermo"]],
  turnout: [
    ["48.39%", "55.57%"],
    ["48.39%", undefined],
  ],
  source: [["Ministero dell'Interno", "final figures"]],
  partialSections: [["40", "90"]],
  updatedAt: [["23:30"]],
  andOthers: [[1], [4]],
  area: [
    ["region", "Liguria"],
    ["province", "Genova"],
  ],
  areaTitle: [
    ["Liguria region", 1],
    ["Liguria region", 2],
  ],
  areaNone: [["Basilicata region"]],
  areaMore: [[40]],
  candidateIn: [[h("Russo")]],
  runoffWon: [
    [html`<b>Marco Bucci</b>`, html`<b>Gianni Crivello</b>`],
    [html`<b>Marco Bucci</b>`, undefined],
  ],
  soleFigures: [["14,536"], [undefined]],
  quorumTurnout: [
    ["26.75%", "50%", false],
    ["55%", "50%", true],
    ["26.75%", undefined, false],
  ],
  quorumElectors: [
    ["24.22%", "25%", false],
    ["30%", "25%", true],
    ["24.22%", undefined, false],
  ],
  turnoutRunoffTitle: [["Sunday 25 June 2017"]],
  turnoutFirstRoundSame: [["40.66%"]],
  infoRunoffComuni: [["111"]],
  infoOutcomes: [
    [
      {
        comuni: 25,
        capoluoghi: 25,
        firstRound: 3,
        toRunoff: 22,
        runoffDay: "Sunday 25 June",
        runoff: 0,
        voids: ["Trapani"],
        pending: 1,
      },
    ],
  ],
  // following
  receives: [
    [state, false],
    [state, true],
    [{ all: true, national: false, comuni: [] }, true],
    [{ all: false, national: true, comuni: [] }, false],
    [{ all: false, national: false, comuni: [] }, true],
  ],
  subscribed: [
    [state, false],
    [{ all: true, national: false, comuni: [] }, true],
    [{ all: false, national: true, comuni: [] }, true],
  ],
  alreadyAll: [[false], [true]],
  alreadyCovered: [
    [topics, false],
    [topics, true],
  ],
  alreadyFollowing: [
    [topics, false],
    [{ comuni: [], national: true }, true],
  ],
  stopHint: [[], [topics]],
  unsubscribedAll: [[false], [true]],
  notSubscribed: [[false], [true]],
  unsubscribed: [[names]],
  nationalComeWithComuni: [[false], [true]],
  notFollowing: [
    [topics, false],
    [topics, true],
  ],
  stillAll: [
    [topics, false],
    [topics, true],
  ],
  unknownName: [[q]],
  ambiguousName: [[q]],
  tooMany: [[20]],
  noSubscriptions: [[false], [true]],
  quietLine: [["23:00", "07:00"]],
  quietSet: [
    ["23:00", "07:00", false],
    ["23:00", "07:00", true],
  ],
  quietOff: [[false], [true]],
  quietNotSubscribed: [[false], [true]],
  // the newsroom
  bulletinCorrected: [["20:10"]],
  bulletinLaterFigure: [["60.07%", "si24.it"]],
  concernsMore: [
    [["Genova", "Parma"], 78],
    [["Genova"], 1],
    [[], 80],
  ],
  tagMaybe: [["Genva", "Genova"]],
  useSuggestedTags: [["#Genova"]],
  tagWhich: [["#Castro", ["Castro (BG)", "Castro (LE)"]]],
  bulletinNumber: [[7]],
  newsroomInPrivate: [["ElezioniBot"]],
  previewCorrect: [["7"]],
  previewWithdraw: [["7"]],
  previewReach: [
    [1, 30],
    [3000, 30],
  ],
  previewCorrectReach: [
    [{ copies: 3000, stale: 0, added: 0, queued: 2, dropped: 0, minutes: 30 }],
    [{ copies: 3000, stale: 1, added: 1, queued: 1, dropped: 1, minutes: 30 }],
    [{ copies: 3000, stale: 2, added: 1200, queued: 2, dropped: 3, minutes: 30 }],
  ],
  previewComuniShortened: [[{ listed: 2, total: 80, cut: 1200 }], [{ listed: 2, total: 80 }]],
  previewWithdrawReach: [[{ copies: 3000, queued: 0, minutes: 30 }]],
  draftPublished: [[{ number: 7, recipients: 3000 }]],
  latestNewsroom: [[[html`n. 7 · 20:10 · Turnout`]]],
  newsroomLine: [
    [{ number: "7", time: "20:10", title: "Turnout at 7 pm", withdrawn: false }],
    [{ number: "7", time: "20:10", title: "Turnout at 7 pm", withdrawn: true }],
  ],
  bulletinNotFound: [[h("57")]],
  notNewsroomBulletin: [["7"]],
  alreadyWithdrawn: [["7"]],
  correctionStarted: [
    [{ number: 7, copies: 3000, queued: 2, added: 0, dropped: 0 }],
    [{ number: 7, copies: 0, queued: 1, added: 1200, dropped: 1 }],
    [{ number: 7, copies: 0, queued: 2, added: 0, dropped: 0 }],
  ],
  withdrawalStarted: [[{ number: 7, copies: 3000, queued: 0 }]],
  amendmentReport: [
    [
      {
        kind: "correct",
        title: "Turnout at 7 pm",
        number: 7,
        done: 2998,
        gone: 1,
        failed: 1,
        superseded: 0,
        seconds: "12.5",
      },
    ],
    [
      {
        kind: "withdraw",
        title: "Turnout at 7 pm",
        number: 7,
        done: 3000,
        gone: 0,
        failed: 0,
        superseded: 0,
        seconds: "9.0",
      },
    ],
  ],
  // live cards and charts
  offFooter: [[h("Genova")]],
  outcomesOnly: [
    [h("Genova"), false],
    [h("Genova"), true],
  ],
  liveOn: [
    [h("Genova"), false],
    [h("Genova"), true],
  ],
  sharesCaption: [
    [h("Genova"), false],
    [h("Genova"), true],
    [h("Trapani"), true, "No mayor elected: quorum not reached"],
  ],
  turnoutCaption: [
    [h("Genova"), false],
    [h("Genova"), true],
  ],
  noTurnoutReadings: [[h("Genova")]],
  // the card's buttons
  follow: [["Genova"]],
  unfollow: [["Genova"]],
  // the Ministry's feed: cards, turnout by area, the newsroom's side
  andMoreComuni: [[1], [812]],
  leading: [[[]], [["Marco Bucci"]], [["Marco Bucci", "Gianni (Giovanni) Crivello"]]],
  certain: [
    ["elected-first-round", ["Marco Bucci"], undefined],
    ["elected", ["Marco Bucci"], undefined],
    ["runoff-won", ["Marco Bucci"], undefined],
    ["runoff-pair", ["Marco Bucci", "Gianni (Giovanni) Crivello"], "50%"],
    ["runoff", [], "50%"],
  ],
  certainAt: [["412", "655"]],
  staleSince: [["01:10"]],
  inVerification: [
    ["22:41", ["the votes do not add up", "more ballots than voters"], true],
    [undefined, [], false],
  ],
  comuniOf: [
    ["1", "849", 1],
    ["812", "849", 812],
  ],
  atTime: [["19:00"]],
  followed: [["849"]],
  areaLine: [["Liguria", "45.2%", "at 19:00", "12 of 14 comuni"]],
  noReadings: [["Genova"]],
  anomalyHeld: [["Genova", ["Votes of Marco Bucci fell from 88,781 to 88,741 (−40)."], "/sblocca Genova"]],
  anomalyCleared: [["Genova"]],
  releaseButton: [["Genova"]],
  reviewPublished: [[1], [12]],
  released: [["Genova"]],
  notHeld: [["Genova"]],
  heldLine: [
    ["Genova", "23:50", false, "Votes of Marco Bucci fell from 88,781 to 88,741 (−40)."],
    ["Genova", "23:50", true, "Votes of Marco Bucci fell from 88,781 to 88,741 (−40)."],
  ],
  statusFeed: [
    [{ date: "2017-06-11", mode: "auto", comuni: 849, counting: 12, complete: 800, requests: 1101, cycles: 1 }],
    [
      {
        date: "2017-06-11",
        mode: "review",
        comuni: 849,
        counting: 12,
        complete: 800,
        requests: 1101,
        cycles: 3,
        lastCycle: "60.5",
        pausedS: "8",
      },
    ],
  ],
  statusMismatches: [[[h("• Genova: expected 16,841, candidates 16,801")]]],
  mismatchLine: [["Genova", "16,841", "16,801"]],
  seatsDiffer: [["Genova", [{ list: "Lista n. 2", computed: "5", official: "6" }]]],
  statusSeats: [[["Genova", "Vicenza"]]],
  statusDrafts: [[3]],
  title: [[h("Genova"), h("32")]],
  projection: [[h("412"), h("655")]],
  bonusApplied: [
    [h("20"), h("32"), h("Marco Bucci"), true],
    [h("20"), h("32"), h("Marco Bucci"), false],
  ],
  bonusAlready: [[h("20"), h("32"), h("Marco Bucci")]],
  bonusBelowMinimum: [[h("20"), h("32"), h("Marco Bucci")]],
  bonusOtherMajority: [[h("20"), h("32"), h("Marco Bucci")]],
  lameDuck: [[h("20"), h("32"), h("Carlo Salvemini")]],
  smallBonus: [[h("8"), h("12"), h("Anna Bianchi")]],
  lawMajoritarian: [[undefined], [{ region: "Sardegna", law: "n. 19 del 5 dicembre 2013" }], [{ region: "Sicilia" }]],
  lawSmall: [[undefined], [{ region: "Sardegna", law: "n. 19 del 5 dicembre 2013" }]],
  group: [
    [h("Marco Bucci"), h("20"), true, false],
    [h("Gianni Crivello"), h("11"), false, true],
    [h("Luca Pirondini"), h("1"), false, true],
  ],
  noListVotes: [[h("Genova")]],
  sizeUnknown: [[h("Genova")]],
  populationUnknown: [[h("Genova")]],
  mayorUndecided: [[h("Genova")]],
  regionNotComputed: [[h("Palermo"), h("Sicilia"), undefined]],
  singleList: [[h("Genova")]],
  noMayor: [[h("Trapani")]],
  mayorListsExcluded: [[h("Sarzana")]],
  tie: [[h("Genova"), h("A, B")]],
  runoffPending: [[h("Genova"), h("Marco Bucci"), h("Gianni Crivello"), h("40")]],
  cityLine: [[h("24"), h("40"), h("Marco Bucci"), h("Genova")]],
  chartCaption: [
    [h("Genova"), h("24"), h("40"), h("Marco Bucci"), true, false],
    [h("Genova"), h("18"), h("40"), h("Marco Bucci"), false, true],
  ],
  officialDiffers: [[h("   Lista: 3 for the Ministry, 2 as computed")]],
  difference: [[h("Lista"), h("3"), h("2")]],
};

/** Every message of a group (the interface, `results`, `follow`, `card`), rendered with its samples. */
function rendered(group: Record<string, unknown>, prefix: string): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(group)) {
    const name = `${prefix}${key}`;
    // turnoutWords are what a user may type (both languages accepted), not something the bot shows.
    if (key === "lang" || key === "locale" || key === "turnoutWords") continue;
    if (typeof value === "string") out.push([name, value]);
    else if (typeof value === "function") {
      const samples = SAMPLES[key];
      expect(samples, `no sample arguments for ${name}: add some to SAMPLES`).toBeDefined();
      for (const [i, args] of samples!.entries())
        out.push([`${name}#${i}`, String((value as (...a: unknown[]) => unknown)(...args))]);
    } else if (value && typeof value === "object") out.push(...rendered(value as Record<string, unknown>, `${name}.`));
  }
  return out;
}

describe("every English interface message", () => {
  it("is English, with English commands and numbers", () => {
    const all = rendered(en as unknown as Record<string, unknown>, "");
    expect(all.length).toBeGreaterThan(100);
    for (const [name, text] of all) {
      // Button labels and callback answers are plain text; the rest is Telegram HTML.
      expectEnglish(name, /[<>&]/.test(text) && !name.startsWith("card.") ? text : h(text));
    }
  });

  it("names the English commands in the welcome and the hints", () => {
    const welcome = htmlToPlain(en.welcome("Ada", "Elezioni comunali 2017"));
    for (const c of ["/city Genova", "/turnout", "/runoffs", "/news", "/subscribe", "/help"])
      expect(welcome).toContain(c);
    expect(htmlToPlain(en.badCount(20))).toContain("/news 5");
    expect(htmlToPlain(en.cityNotFound(q))).toContain("/city without a name");
    expect(htmlToPlain(en.noCityTurnout("Genova"))).toContain("/turnout");
  });
});

// The Italian interface keeps its own: a guard that the samples above are not English by accident.
describe("the same check on the Italian interface", () => {
  it("finds Italian words, so it can fail", async () => {
    const { it: italian } = await import("../../src/i18n/it.js");
    const all = rendered(italian as unknown as Record<string, unknown>, "").filter(([, text]) =>
      ITALIAN.test(interfaceText(/[<>&]/.test(text) ? text : h(text))),
    );
    expect(all.length).toBeGreaterThan(50);
  });
});
