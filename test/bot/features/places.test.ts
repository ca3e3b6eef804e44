/**
 * Places as people name them, through the bot and the fake Bot API: a region or the country inside a
 * question, everyday names of comuni and provinces, two comuni in one question, suggestions that fit,
 * and answers that say what the loaded data covers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SentMessage } from "../../support/fake-bot-api/index.js";
import { ADMIN, type Harness, startHarness } from "../../support/harness.js";

function clockAt(iso: string): () => Date {
  const offset = Date.now() - Date.parse(iso);
  return () => new Date(Date.now() - offset);
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ runtime: { now: clockAt("2017-06-12T12:00:00+02:00") } });
});
afterAll(async () => {
  await h.close();
});

const text = (msgs: SentMessage[]) => msgs.map((m) => m.plain).join("\n");
const buttons = (msgs: SentMessage[]) =>
  msgs.flatMap((m) =>
    ((m.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined)?.inline_keyboard ?? [])
      .flat()
      .map((b) => b.text),
  );
let user = 5000;
const ask = async (q: string, lang?: string) =>
  h.say(q, { userId: ++user, ...(lang ? { languageCode: lang } : {}) } as never);

describe("a region or the country inside a question is never a small comune", () => {
  it.each([
    ["affluenza in Liguria", "Liguria", "Lauria"],
    ["/affluenza Liguria", "Liguria", "Lauria"],
    ["affluenza Sicilia", "Sicilia", "Scilla"],
    ["/turnout Sicily", "Sicilia", "Sacile"],
  ])("«%s» answers for %s, not %s, and offers the national figures", async (q, area, wrong) => {
    const out = text(await ask(q));
    expect(out).toContain(area);
    expect(out).not.toContain(wrong);
    expect(out).toContain("Affluenza — Elezioni comunali 2017");
  });

  it("«affluenza Italia» and «affluenza nazionale» are the national turnout", async () => {
    for (const q of ["affluenza Italia", "affluenza nazionale", "/turnout Italy"]) {
      const out = text(await ask(q));
      expect(out, q).toContain("Affluenza — Elezioni comunali 2017");
      expect(out, q).not.toMatch(/Itala|Non trovo/);
    }
  });

  it("«chi ha vinto in Italia?» is the election at a glance, «quanti comuni votano?» too", async () => {
    for (const q of ["chi ha vinto in Italia?", "quanti comuni votano?"]) {
      const out = text(await ask(q));
      expect(out, q).toContain("Comuni al voto: 1.004");
      expect(out, q).not.toMatch(/Itala|Volano/);
    }
  });

  it("a region one edit away: the near comune is only offered, never answered", async () => {
    const msgs = await ask("/affluenza Ligura");
    const out = text(msgs);
    expect(out).not.toContain("non ho risultati");
    expect(out).not.toMatch(/^🏛/m);
  });

  it("/iscriviti Liguria says Liguria is a region, not a comune", async () => {
    const out = text(await ask("/iscriviti Liguria"));
    expect(out).toContain("Liguria");
    expect(out).not.toContain("Lauria");
  });
});

describe("everyday names", () => {
  it.each([
    ["/citta Reggio Emilia", "Reggio nell'Emilia (RE)"],
    ["risultati Reggio Emilia", "Reggio nell'Emilia (RE)"],
    ["Reggio Calabria", "Reggio di Calabria (RC)"],
    ["provincia di Reggio Emilia", "Reggio nell'Emilia"],
    ["Monza e Brianza", "Monza e della Brianza"],
    ["Alto Adige", "Trentino-Alto Adige"],
    ["Friuli", "Friuli-Venezia Giulia"],
    ["/citta Trentino", "Trentino-Alto Adige"],
    ["Pesaro-Urbino", "Pesaro e Urbino"],
    ["provincia di Forlì-Cesena", "Forlì-Cesena"],
  ])("«%s» → %s", async (q, expected) => {
    const out = text(await ask(q));
    expect(out).toContain(expected);
    expect(out).not.toMatch(/Non trovo|non ho capito/i);
  });

  it("/iscriviti Reggio Emilia follows Reggio nell'Emilia", async () => {
    const out = text(await ask("/iscriviti Reggio Emilia"));
    expect(out).toContain("Reggio nell'Emilia");
    expect(out).not.toContain("Non trovo");
  });
});

describe("everyday names in the newsroom's tags", () => {
  it("#ReggioEmilia and #ReggioCalabria name the comuni", async () => {
    const [preview] = await h.say("/pubblica Seggi aperti #ReggioEmilia #ReggioCalabria", { userId: ADMIN });
    expect(preview!.plain).toContain("Anteprima");
    expect(preview!.plain).toMatch(/Comuni: .*Reggio nell'Emilia/);
    expect(preview!.plain).toMatch(/Comuni: .*Reggio di Calabria/);
  });
});

describe("two comuni in one question", () => {
  it.each([
    ["risultati Genova e Parma", ["Marco Bucci", "Federico Pizzarotti"]],
    ["affluenza Palermo e Trapani", ["Palermo (PA)", "Trapani (TP)"]],
    ["results for Genoa and Parma", ["Marco Bucci", "Federico Pizzarotti"]],
  ])("«%s» answers both", async (q, expected) => {
    const out = text(await ask(q));
    for (const e of expected) expect(out).toContain(e);
  });

  it("a name holding «e» stays whole", async () => {
    expect(text(await ask("risultati Erto e Casso"))).toContain("Erto e Casso (PN)");
  });
});

describe("suggestions that fit", () => {
  it("inline «palermo» offers Palermo alone, not Paternò or Salerno", async () => {
    await h.inline("palermo", { userId: ++user });
    const answer = h.fake.inlineAnswers.at(-1)! as unknown as { results: { title: string }[] };
    expect(answer.results.map((r) => r.title)).toEqual(["Palermo"]);
  });

  it("inline «Genoa» offers Genova first", async () => {
    await h.inline("Genoa", { userId: ++user });
    const answer = h.fake.inlineAnswers.at(-1)! as unknown as { results: { title: string }[] };
    expect(answer.results[0]!.title).toBe("Genova");
  });

  it("«Sesto» asks which Sesto, Sesto San Giovanni among them", async () => {
    const msgs = await ask("/citta Sesto");
    expect(buttons(msgs)).toEqual(expect.arrayContaining(["Sesto San Giovanni", "Sesto"]));
  });

  it("/subscribe Genoa follows Genova, as /city Genoa answers Genova", async () => {
    const out = text(await ask("/subscribe Genoa"));
    expect(out).toContain("Genova");
    expect(out).not.toMatch(/Genga|Genola/);
  });
});

describe("answers say what the data covers", () => {
  it("a comune without results: what the loaded results are", async () => {
    const out = text(await ask("/citta Sesto San Giovanni"));
    expect(out).toContain("i risultati caricati sono quelli dei 25 capoluoghi");
  });

  it("/ballottaggi says the list is partial", async () => {
    const out = text(await ask("/ballottaggi"));
    expect(out).toMatch(/111/);
    expect(out).toContain("25 capoluoghi");
  });

  it("/iscriviti Roma says there are no results of Roma in this data", async () => {
    const out = text(await ask("/iscriviti Roma"));
    expect(out).toContain("i risultati caricati sono quelli dei 25 capoluoghi");
  });
});
