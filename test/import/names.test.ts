/** Names from the Ministry's capitals, as people write them. */
import { describe, expect, it } from "vitest";
import { apostropheAccents, personName, properCasePlace } from "../../src/import/names.js";

describe("properCasePlace", () => {
  it("writes comuni as ISTAT does", () => {
    const cases: [string, string][] = [
      ["GENOVA", "Genova"],
      ["L'AQUILA", "L'Aquila"],
      ["SANT'ANGELO LODIGIANO", "Sant'Angelo Lodigiano"],
      ["REGGIO NELL'EMILIA", "Reggio nell'Emilia"],
      ["CASSANO D'ADDA", "Cassano d'Adda"],
      ["SAN GIORGIO DI PIANO", "San Giorgio di Piano"],
      ["TREZZO SULL'ADDA", "Trezzo sull'Adda"],
      ["SOTTO IL MONTE GIOVANNI XXIII", "Sotto il Monte Giovanni XXIII"],
      ["EMILIA-ROMAGNA", "Emilia-Romagna"],
      ["VALLE D'AOSTA", "Valle d'Aosta"],
      ["ALCARA LI FUSI", "Alcara li Fusi"],
      ["CASTELNOVO NE' MONTI", "Castelnovo ne' Monti"],
    ];
    for (const [file, istat] of cases) expect(properCasePlace(file)).toBe(istat);
  });

  it("reads a final vowel and apostrophe as the accent older files could not write", () => {
    expect(properCasePlace("FORLI'")).toBe("Forlì");
    expect(properCasePlace("CANTU'")).toBe("Cantù");
    expect(properCasePlace("SAN DONA' DI PIAVE")).toBe("San Donà di Piave");
    expect(properCasePlace("FORLI'-CESENA")).toBe("Forlì-Cesena");
    expect(properCasePlace("FORLÌ")).toBe("Forlì");
    // Ca' is an elision, not an accent.
    expect(properCasePlace("CA' D'ANDREA")).toBe("Ca' d'Andrea");
  });
});

describe("personName", () => {
  it("puts the first name first, in proper case", () => {
    expect(personName("BUCCI", "MARCO")).toBe("Marco Bucci");
    expect(personName("DE LUCA", "MARIA TERESA")).toBe("Maria Teresa De Luca");
    expect(personName("D'ALESSIO", "GIUSEPPE DETTO PEPPE")).toBe("Giuseppe detto Peppe D'Alessio");
    expect(personName("CASSI'", "NICOLO'")).toBe("Nicolò Cassì");
    expect(personName("ROSSI-BIANCHI", "ANNA")).toBe("Anna Rossi-Bianchi");
    expect(personName("LI", "WEI")).toBe("Wei Li");
    expect(personName("ORLANDO")).toBe("Orlando");
  });
});

describe("apostropheAccents", () => {
  it("keeps capitals capital and leaves inner apostrophes alone", () => {
    expect(apostropheAccents("CITTA' DI CASTELLO")).toBe("CITTÀ DI CASTELLO");
    expect(apostropheAccents("citta'")).toBe("città");
    expect(apostropheAccents("SANT'ANGELO")).toBe("SANT'ANGELO");
    expect(apostropheAccents("PO'")).toBe("PO'");
  });
});
