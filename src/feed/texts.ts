/**
 * The words of the feed's automatic bulletins, in Italian like the newsroom's (bulletins are stored as
 * plain text and shown to everyone as written). Pure functions of the figures: every number in a
 * bulletin is one the Ministry published (or a count of comuni), never an estimate.
 */
import type { CertainCall } from "../data/certainty.js";
import type { CandidateResult, RoundResult, Sections } from "../data/model.js";
import { rankCandidates } from "../data/rules.js";
import type { AreaTurnoutPoint } from "../data/turnout-totals.js";
import { formatInteger, formatPercent } from "../format/italian.js";
import type { FeedOutcome } from "./outcome.js";
import type { Round } from "./poller/index.js";

/** Put before every bulletin of a simulated night: its figures are invented. */
export const SIMULATION_PREFIX = "🧪 SIMULAZIONE, dati inventati — ";

/** "412 sezioni su 655" */
export function sectionsText(s: Sections): string {
  return `${formatInteger(s.counted)} ${s.counted === 1 ? "sezione" : "sezioni"} su ${formatInteger(s.total)}`;
}

/** "Mario Rossi (45,2%)": a candidate with the share published, where there is one. */
function withShare(c: Pick<CandidateResult, "name" | "percent">): string {
  return c.percent !== undefined ? `${c.name} (${formatPercent(c.percent)})` : c.name;
}

/** "in testa Mario Rossi (45,2%), poi Anna Bianchi (30,1%)"; a tie at the top is said as such. */
export function leadText(result: RoundResult): string {
  const ranked = rankCandidates(result.candidates);
  const [a, b] = ranked;
  if (!a) return "";
  if (b && a.votes !== undefined && a.votes === b.votes) return `in parità ${withShare(a)} e ${withShare(b)}`;
  return b ? `in testa ${withShare(a)}, poi ${withShare(b)}` : `candidato unico ${withShare(a)}`;
}

const roundName = (round: Round) => (round === "runoff" ? " (ballottaggio)" : "");

/** The first sections of a comune are counted. */
export function startedText(name: string, round: Round, result: RoundResult): string {
  const where = result.sections ? `${capitalize(sectionsText(result.sections))}: ` : "";
  return `🗳 ${name}${roundName(round)}: è iniziato lo scrutinio. ${where}${leadText(result)}.`;
}

/** "A, B e C" */
function listText(items: string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(", ")} e ${items.at(-1)}` : (items[0] ?? "");
}

function capitalize(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/** More sections counted. */
export function progressText(name: string, round: Round, result: RoundResult): string {
  const where = result.sections ? `, ${sectionsText(result.sections)}` : "";
  return `📊 ${name}${roundName(round)}${where}: ${leadText(result)}.`;
}

/** "(a 412 sezioni su 655)" */
const atSections = (s: Sections | undefined) => (s ? ` (a ${sectionsText(s)})` : "");

/** A call that the sections still to count can no longer change. */
export function callText(name: string, round: Round, call: CertainCall): string {
  const at = atSections(call.atSections);
  switch (call.kind) {
    case "elected": {
      const [who] = call.candidates;
      // "vince", not "è eletto/a": the feed does not say whether a candidate is a man or a woman.
      const what =
        call.reason === "runoff-round"
          ? `vince il ballottaggio ${who}`
          : call.reason === "single-round"
            ? `vince ${who}`
            : `vince al primo turno ${who}`;
      return `✅ ${name}${roundName(round)}: certo: ${what}${at}.`;
    }
    case "runoff-pair":
      return `🔁 ${name}${roundName(round)}: certo: ballottaggio tra ${call.candidates[0]} e ${call.candidates[1]}${at}.`;
    case "runoff":
      return `🔁 ${name}${roundName(round)}: certo: nessuno può superare il ${formatPercent(call.threshold)}, si va al ballottaggio${at}.`;
  }
}

/** What a decided outcome means, in a sentence. */
export function outcomeSentence(
  round: Round,
  outcome: FeedOutcome,
  result: RoundResult,
  runoffDay: string | undefined,
): string {
  const share = (name: string) => {
    const c = result.candidates.find((k) => k.name === name);
    return c?.percent !== undefined ? ` con il ${formatPercent(c.percent)}` : "";
  };
  const who = (name: string) => withShare(result.candidates.find((k) => k.name === name) ?? { name });
  switch (outcome.kind) {
    case "elected":
      if (round === "runoff") return `Eletto sindaco al ballottaggio ${outcome.candidate}${share(outcome.candidate)}.`;
      if (outcome.reason === "single-round") return `Eletto sindaco ${outcome.candidate}${share(outcome.candidate)}.`;
      return `Eletto sindaco al primo turno ${outcome.candidate}${share(outcome.candidate)}.`;
    case "runoff": {
      const [a, b] = outcome.candidates;
      return `Si va al ballottaggio${runoffDay ? ` ${runoffDay}` : ""} tra ${who(a)} e ${who(b)}.`;
    }
    case "void":
      return "Nessun sindaco eletto.";
    case "undecided":
      switch (outcome.reason) {
        case "tie":
          return "Esito da definire: parità tra i primi.";
        case "runoff-tie": {
          // A runoff is certain; a place in it is for the law to give (the data has no tiebreak).
          const tied = outcome.tied ?? [];
          const [top] = rankCandidates(result.candidates);
          const sure = top && !tied.includes(top.name) ? top.name : undefined;
          const place = sure ? ` con ${who(sure)}; per l'altro posto` : `; per i due posti`;
          return `Si va al ballottaggio${runoffDay ? ` ${runoffDay}` : ""}${place} sono alla pari ${listText(tied.map(who))}, e chi ci va lo stabilisce la legge: si attende il dato ufficiale.`;
        }
        case "population-unknown":
          // Below the share, a large comune goes to a runoff and a small one elects the leader.
          return `${capitalize(leadText(result))}. Si attende l'esito ufficiale: i dati non dicono la fascia di popolazione del comune (e quindi se si va al ballottaggio).`;
        default:
          return "Esito non ancora definito.";
      }
    case "counting":
      return "";
  }
}

/** Every section counted, and (where decided) the outcome. */
export function completeText(
  name: string,
  round: Round,
  result: RoundResult,
  outcome: FeedOutcome | undefined,
  runoffDay: string | undefined,
): string {
  const where = result.sections ? ` (${sectionsText(result.sections)})` : "";
  const o = outcome ? outcomeSentence(round, outcome, result, runoffDay) : "";
  return `🏁 ${name}${roundName(round)}: scrutinio completato${where}.${o ? ` ${o}` : ""}`;
}

/** A decided outcome that arrives after the count was announced complete (the Ministry names the mayor). */
export function outcomeText(name: string, round: Round, outcome: FeedOutcome, result: RoundResult, runoffDay?: string) {
  return `✅ ${name}${roundName(round)}: ${outcomeSentence(round, outcome, result, runoffDay)}`;
}

/** How the comuni that reported a reading compare with the previous election, each with its own figure. */
export interface TurnoutComparison {
  lower: number;
  higher: number;
  same: number;
}

/**
 * A turnout reading of the whole election, once most comuni have reported it: the total from counts,
 * how many comuni it covers, the previous election's figure where the Ministry stated one (the data
 * pack's turnout.json), and how many comuni voted less or more than last time (each against its own
 * previous figure: a count of facts, not an average).
 */
export function turnoutText(
  round: Round,
  point: AreaTurnoutPoint,
  previous: number | undefined,
  comparison: TurnoutComparison | undefined,
): string {
  const when = point.final ? "alla chiusura dei seggi" : `alle ore ${point.at}`;
  const what = round === "runoff" ? "Affluenza al ballottaggio" : "Affluenza";
  const pct = point.percent !== undefined ? formatPercent(point.percent) : "—";
  const lines = [
    `🗳 ${what} ${when}: ${pct} in ${formatInteger(point.comuni.reported)} ${point.comuni.reported === 1 ? "comune" : "comuni"} su ${formatInteger(point.comuni.total)} ${point.comuni.reported === 1 ? "che l'ha comunicata" : "che l'hanno comunicata"} (votanti sugli elettori).`,
  ];
  if (previous !== undefined) lines.push(`Tornata precedente: ${formatPercent(previous)}.`);
  if (comparison && comparison.lower + comparison.higher > 0) {
    const n = (k: number) => `${formatInteger(k)} ${k === 1 ? "comune" : "comuni"}`;
    const parts = [
      ...(comparison.lower ? [`più bassa in ${n(comparison.lower)}`] : []),
      ...(comparison.higher ? [`più alta in ${n(comparison.higher)}`] : []),
    ];
    lines.push(`Rispetto alla tornata precedente è ${parts.join(" e ")}.`);
  }
  return lines.join(" ");
}
