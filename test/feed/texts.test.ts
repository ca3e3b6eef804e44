/** The words of the feed's automatic bulletins. */
import { describe, expect, it } from "vitest";
import type { CertainCall } from "../../src/data/certainty.js";
import type { RoundResult } from "../../src/data/model.js";
import { callText, completeText, progressText, startedText, turnoutText } from "../../src/feed/texts.js";

const round = (counted: number, votes: number[]): RoundResult => {
  const names = ["Francesco Rucco", "Otello Dalla Rosa", "Giacomo Possamai"];
  const valid = votes.reduce((s, v) => s + v, 0);
  return {
    date: "2026-05-24",
    sections: { counted, total: 655 },
    candidates: votes.map((v, i) => ({
      name: names[i]!,
      votes: v,
      percent: Math.round((v / valid) * 10_000) / 100,
      lists: [],
    })),
    turnout: [],
    provenance: { source: "Ministero dell'Interno", urls: [], status: "partial" },
  };
};

describe("bulletin texts", () => {
  it("the first sections and the progress: sections of the total, who leads with the shares published", () => {
    expect(startedText("Vicenza", "first", round(1, [50, 40, 10]))).toBe(
      "🗳 Vicenza: è iniziato lo scrutinio. 1 sezione su 655: in testa Francesco Rucco (50%), poi Otello Dalla Rosa (40%).",
    );
    expect(progressText("Vicenza", "runoff", round(412, [5_000, 4_000]))).toBe(
      "📊 Vicenza (ballottaggio), 412 sezioni su 655: in testa Francesco Rucco (55,56%), poi Otello Dalla Rosa (44,44%).",
    );
    expect(progressText("Vicenza", "first", round(2, [40, 40, 1]))).toContain("in parità Francesco Rucco");
  });

  it("a certain call, with the sections it became certain at", () => {
    const pair: CertainCall = {
      status: "certain",
      kind: "runoff-pair",
      candidates: ["Francesco Rucco", "Otello Dalla Rosa"],
      threshold: 50,
      atSections: { counted: 412, total: 655 },
      key: "1t:runoff-pair:Francesco Rucco|Otello Dalla Rosa",
    };
    expect(callText("Vicenza", "first", pair)).toBe(
      "🔁 Vicenza: certo: ballottaggio tra Francesco Rucco e Otello Dalla Rosa (a 412 sezioni su 655).",
    );
    const elected: CertainCall = {
      status: "certain",
      kind: "elected",
      candidates: ["Francesco Rucco"],
      reason: "majority",
      threshold: 50,
      atSections: { counted: 600, total: 655 },
      key: "1t:elected:Francesco Rucco",
    };
    expect(callText("Vicenza", "first", elected)).toBe(
      "✅ Vicenza: certo: vince al primo turno Francesco Rucco (a 600 sezioni su 655).",
    );
  });

  it("the count complete with the outcome", () => {
    const r = round(655, [24_271, 15_000, 8_656]);
    expect(
      completeText(
        "Vicenza",
        "first",
        r,
        { kind: "elected", candidate: "Francesco Rucco", reason: "majority" },
        undefined,
      ),
    ).toBe(
      "🏁 Vicenza: scrutinio completato (655 sezioni su 655). Eletto sindaco al primo turno Francesco Rucco con il 50,64%.",
    );
    expect(
      completeText(
        "Vicenza",
        "first",
        r,
        { kind: "runoff", candidates: ["Francesco Rucco", "Otello Dalla Rosa"], reason: "no-majority" },
        "domenica 7 giugno",
      ),
    ).toContain("Si va al ballottaggio domenica 7 giugno tra Francesco Rucco (50,64%) e Otello Dalla Rosa (31,3%).");
  });

  it("an outcome the figures cannot give: a place in the runoff left to the law, a size band unknown — it waits", () => {
    const tied = round(655, [4_000, 3_000, 3_000]);
    expect(
      completeText(
        "Vicenza",
        "first",
        tied,
        { kind: "undecided", reason: "runoff-tie", tied: ["Otello Dalla Rosa", "Giacomo Possamai"] },
        "domenica 7 giugno",
      ),
    ).toBe(
      "🏁 Vicenza: scrutinio completato (655 sezioni su 655). Si va al ballottaggio domenica 7 giugno con Francesco Rucco (40%); per l'altro posto sono alla pari Otello Dalla Rosa (30%) e Giacomo Possamai (30%), e chi ci va lo stabilisce la legge: si attende il dato ufficiale.",
    );
    const unknown = completeText(
      "Vicenza",
      "first",
      round(655, [4_500, 3_500, 2_000]),
      { kind: "undecided", reason: "population-unknown" },
      "domenica 7 giugno",
    );
    expect(unknown).toBe(
      "🏁 Vicenza: scrutinio completato (655 sezioni su 655). In testa Francesco Rucco (45%), poi Otello Dalla Rosa (35%). Si attende l'esito ufficiale: i dati non dicono la fascia di popolazione del comune (e quindi se si va al ballottaggio).",
    );
  });

  it("the election's turnout: from counts, the comuni it covers, the stated previous figure, comuni lower and higher", () => {
    const text = turnoutText(
      "first",
      { at: "12:00", final: false, percent: 18.52, comuni: { reported: 812, total: 849 } },
      16.3,
      { lower: 612, higher: 200, same: 0 },
    );
    expect(text).toBe(
      "🗳 Affluenza alle ore 12:00: 18,52% in 812 comuni su 849 che l'hanno comunicata (votanti sugli elettori). Tornata precedente: 16,3%. Rispetto alla tornata precedente è più bassa in 612 comuni e più alta in 200 comuni.",
    );
    expect(
      turnoutText(
        "runoff",
        { at: "23:00", final: true, percent: 40, comuni: { reported: 2, total: 3 } },
        undefined,
        undefined,
      ),
    ).toBe(
      "🗳 Affluenza al ballottaggio alla chiusura dei seggi: 40% in 2 comuni su 3 che l'hanno comunicata (votanti sugli elettori).",
    );
    // One comune: singular.
    expect(
      turnoutText("first", { at: "12:00", final: false, percent: 13.4, comuni: { reported: 1, total: 1 } }, undefined, {
        lower: 1,
        higher: 0,
        same: 0,
      }),
    ).toContain("13,4% in 1 comune su 1 che l'ha comunicata");
  });
});
