/**
 * Charts in the chat: `/grafico <comune>` (and the "📊 Grafico" button under a card) sends the
 * candidates' shares with the count's progress; `/grafico affluenza` the election's turnout curve
 * against the previous election (from the runoff's day, the runoff's against the first round);
 * `/grafico affluenza <comune>` that comune's readings; `/grafico seggi <comune>` the council's seats.
 *
 * Each chart is drawn once per data version and language (src/charts/), off the event loop; the
 * first send uploads the PNG, and Telegram's file_id from its answer is what later sends pass. A
 * file_id Telegram refuses is forgotten and the chart uploaded again.
 */
import { Composer, GrammyError, InputFile } from "grammy";
import {
  type CachedChart,
  CHART_LABELS,
  chartFor,
  chartKey,
  dataVersion,
  sharesChartSvg,
  turnoutChartSvg,
} from "../../charts/index.js";
import { seatsChartSvg } from "../../charts/seats.js";
import type { RoundResult, TurnoutPoint } from "../../data/model.js";
import { hasResults, type KnownComune, type ResultComune } from "../../data/places.js";
import type { TurnoutReading } from "../../data/schema.js";
import { seatDifferences } from "../../data/seats.js";
import { roundStanding, standingWords } from "../../data/standing.js";
import { type Html, escapeHtml as h, htmlToText, stripControl } from "../../format/html.js";
import { formatInteger } from "../../format/italian.js";
import { noResultsLine } from "../../views/city.js";
import { dayName, reached } from "../../views/common.js";
import { currentRound } from "../../views/live-card.js";
import { councilOf, seatsView } from "../../views/seats.js";
import { turnoutTimeline } from "../../views/turnout.js";
import { chartData } from "../callback-data/chart.js";
import { command } from "../commands.js";
import type { BotContext } from "../context.js";
import { comuneKey } from "../keyboards.js";
import { replyHtml } from "../reply.js";
import { resolveCity } from "../resolve-city.js";

/** What Telegram answers when it will not take a file_id (another bot's, or one it no longer has). */
const FILE_ID_REFUSED = /file identifier|file_id|FILE_REFERENCE|PHOTO_INVALID|wrong type of the web page/i;

/** A chart to send: its cache key, how to draw it, and its caption. */
interface ChartRequest {
  key: string;
  svg: () => string;
  caption: Html;
}

/** Sends a chart as a photo: by file_id when Telegram has it, else the PNG (remembering the file_id it gets). */
export async function sendChart(ctx: BotContext, req: ChartRequest): Promise<void> {
  const cache = ctx.app.charts;
  const draw = async (): Promise<CachedChart | undefined> => {
    try {
      return await chartFor(cache, req.key, req.svg);
    } catch (err) {
      ctx.logger.error({ err, chart: req.key }, "chart could not be drawn");
      await replyHtml(ctx, ctx.t.cards.chartFailed);
      return undefined;
    }
  };
  const extra = { caption: req.caption, parse_mode: "HTML" as const };
  let chart = cache.get(req.key);
  if (!chart) {
    // Drawing takes a moment: the chat shows "sending a photo" meanwhile. Not a message: not counted.
    if (ctx.chat) await ctx.replyWithChatAction("upload_photo").catch(() => undefined);
    chart = await draw();
    if (!chart) return;
  }
  if ("fileId" in chart) {
    try {
      await ctx.replyWithPhoto(chart.fileId, extra);
      return;
    } catch (err) {
      if (!(err instanceof GrammyError && err.error_code === 400 && FILE_ID_REFUSED.test(err.description))) throw err;
      ctx.logger.warn({ chart: req.key, reason: err.description }, "chart file_id refused: uploading the chart again");
      cache.delete(req.key);
      chart = await draw();
      if (!chart) return;
      if ("fileId" in chart) {
        await ctx.replyWithPhoto(chart.fileId, extra);
        return;
      }
    }
  }
  const msg = await ctx.replyWithPhoto(new InputFile(chart.png, "grafico.png"), extra);
  const largest = msg.photo?.at(-1)?.file_id;
  if (largest) cache.rememberFileId(req.key, largest);
}

/** The shares chart of the round a comune's card shows. */
export function sharesChart(ctx: BotContext, c: ResultComune): ChartRequest {
  const v = ctx.view();
  const { kind, round } = currentRound(c, v);
  // A round that elected nobody says so first, in the picture and in the caption.
  const standing = roundStanding(c.results, kind, v.pack.election.rules);
  const head = standing && standingWords(standing, ctx.t.results, ctx.lang).head;
  return {
    key: chartKey("shares", comuneKey(c), kind, dataVersion({ round, standing }), ctx.lang),
    svg: () =>
      sharesChartSvg({
        comune: c.name,
        kind,
        round,
        lang: ctx.lang,
        timeZone: v.pack.election.timezone,
        ...(standing ? { standing } : {}),
      }),
    caption: ctx.t.cards.sharesCaption(h(c.label), kind === "runoff", head),
  };
}

/** A reading of the whole election as a point of the curve (the one shown for its time). */
const asPoint = (r: TurnoutReading, previous: number | undefined): TurnoutPoint => ({
  at: r.at,
  percent: r.percent,
  ...(previous !== undefined ? { previousPercent: previous } : {}),
  final: r.final,
});

/** The election's turnout curve; undefined before the first reading. */
function electionTurnoutChart(ctx: BotContext): ChartRequest | undefined {
  const v = ctx.view();
  const { election, turnout } = v.pack;
  const labels = CHART_LABELS[ctx.lang];
  const runoff =
    turnout.runoff?.readings.length && reached(election.runoffDate, v) ? turnout.runoff.readings : undefined;
  const timeline = turnoutTimeline(runoff ?? turnout.readings).map((x) => x.latest);
  if (!timeline.length) return undefined;
  const points = timeline.map((r) => asPoint(r, runoff ? r.firstRoundPercent : r.previousPercent));
  const last = [...timeline].reverse().find((r) => r.provenance);
  const day = runoff ? election.runoffDate : election.firstRoundDate;
  const area = ctx.t.cards.turnoutArea;
  return {
    key: chartKey("turnout", election.id, runoff ? "runoff" : "first", dataVersion(timeline), ctx.lang),
    svg: () =>
      turnoutChartSvg({
        area,
        subtitle: `${stripControl(election.name)} · ${dayName(day, ctx.t, true)}`,
        points,
        lang: ctx.lang,
        timeZone: election.timezone,
        ...(runoff ? { currentLabel: labels.runoff, previousLabel: labels.firstRound } : {}),
        ...(last?.provenance
          ? {
              provenance: {
                source: last.provenance.source,
                ...((last.publishedAt ?? last.provenance.at) ? { at: last.publishedAt ?? last.provenance.at } : {}),
              },
            }
          : {}),
      }),
    caption: ctx.t.cards.turnoutCaption(h(area), runoff !== undefined),
  };
}

/**
 * A round's turnout as the chart's points: its readings of the day, else its final figure alone (the
 * one /affluenza shows); none when it has neither.
 */
function turnoutPoints(round: RoundResult, close: string): TurnoutPoint[] {
  if (round.turnout.length) return round.turnout;
  if (round.turnoutPercent === undefined) return [];
  return [
    {
      at: close,
      percent: round.turnoutPercent,
      ...(round.previousTurnoutPercent !== undefined ? { previousPercent: round.previousTurnoutPercent } : {}),
      final: true,
    },
  ];
}

/**
 * A comune's turnout, from the same figures as /affluenza: the round its card shows, or the first
 * round when the runoff has none; undefined when neither has a figure.
 */
function comuneTurnoutChart(ctx: BotContext, c: ResultComune): ChartRequest | undefined {
  const v = ctx.view();
  const current = currentRound(c, v);
  const close = v.pack.election.pollsClose;
  const { kind, round } =
    turnoutPoints(current.round, close).length || current.kind === "first"
      ? current
      : { kind: "first" as const, round: c.results.firstRound };
  const points = turnoutPoints(round, close);
  if (!points.length) return undefined;
  const p = round.turnoutProvenance ?? round.provenance;
  return {
    key: chartKey("turnout", comuneKey(c), kind, dataVersion(points), ctx.lang),
    svg: () =>
      turnoutChartSvg({
        area: c.name,
        subtitle: dayName(round.date, ctx.t, true),
        points,
        lang: ctx.lang,
        timeZone: v.pack.election.timezone,
        provenance: { source: p.source, ...(p.at ? { at: p.at } : {}) },
      }),
    caption: ctx.t.cards.turnoutCaption(h(c.label), kind === "runoff"),
  };
}

/** "affluenza Genova" → the rest after a turnout word ("" for the election), or undefined when it is not one. */
function afterTurnoutWord(text: string, words: readonly string[]): string | undefined {
  const lower = text.toLowerCase();
  for (const w of words) {
    if (lower === w) return "";
    if (lower.startsWith(`${w} `)) return text.slice(w.length).trim();
  }
  return undefined;
}

/**
 * `/grafico seggi Genova`: the council's seats as a picture, from the same allocation as /seggi. Where the
 * seats cannot be computed, or the Ministry's differ from the law's, /seggi's answer in text, no picture.
 */
async function answerSeats(ctx: BotContext, c: KnownComune): Promise<void> {
  const v = ctx.view();
  const council = councilOf(c, v);
  if (council?.kind !== "allocation" || seatDifferences(council).length) {
    await replyHtml(ctx, seatsView(c, v));
    return;
  }
  const mayorGroup = council.groups.find((g) => g.mayor)!;
  const n = (x: number) => h(formatInteger(x, ctx.lang));
  await sendChart(ctx, {
    key: chartKey("seats", comuneKey(c), council.round, dataVersion(council), ctx.lang),
    svg: () => seatsChartSvg({ comune: c.name, council, lang: ctx.lang }),
    caption: ctx.t.seats.chartCaption(
      h(c.label),
      n(mayorGroup.seats),
      n(council.seats),
      h(council.mayor),
      council.majority,
      council.projection !== undefined,
    ),
  });
}

async function answerComune(ctx: BotContext, c: KnownComune): Promise<void> {
  if (!hasResults(c)) {
    await replyHtml(ctx, noResultsLine(c, ctx.view()));
    return;
  }
  await sendChart(ctx, sharesChart(ctx, c));
}

export const charts = new Composer<BotContext>();

charts.filter(command("grafico"), async (ctx) => {
  const arg = stripControl(ctx.match).trim();
  if (!arg) {
    await replyHtml(ctx, ctx.t.cards.chartUsage);
    return;
  }
  const turnoutOf = afterTurnoutWord(arg, ctx.t.cards.turnoutWords);
  if (turnoutOf === "") {
    const chart = electionTurnoutChart(ctx);
    if (chart) await sendChart(ctx, chart);
    else await replyHtml(ctx, ctx.t.cards.noTurnoutReadings(h(ctx.t.cards.turnoutArea)));
    return;
  }
  if (turnoutOf !== undefined) {
    const c = await resolveCity(ctx, turnoutOf, ctx.t.cityNotFound);
    if (!c) return;
    const chart = hasResults(c) ? comuneTurnoutChart(ctx, c) : undefined;
    if (chart) await sendChart(ctx, chart);
    else await replyHtml(ctx, ctx.t.cards.noTurnoutReadings(h(c.label)));
    return;
  }
  const seatsOf = afterTurnoutWord(arg, ctx.t.seats.chartWords);
  if (seatsOf === "") {
    await replyHtml(ctx, ctx.t.seats.usage);
    return;
  }
  if (seatsOf !== undefined) {
    const c = await resolveCity(ctx, seatsOf, ctx.t.cityNotFound);
    if (c) await answerSeats(ctx, c);
    return;
  }
  const c = await resolveCity(ctx, arg, ctx.t.cityNotFound);
  if (c) await answerComune(ctx, c);
});

charts.callbackQuery(chartData.filter(), async (ctx) => {
  const key = chartData.unpack(ctx.callbackQuery.data)?.key ?? "";
  const c = ctx.app.data.askedFor(key);
  if (!c) {
    await ctx.answerCallbackQuery({ text: htmlToText(ctx.t.cityNotFound(h(key))) });
    return;
  }
  await ctx.answerCallbackQuery();
  await answerComune(ctx, c);
});
