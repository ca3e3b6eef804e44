/**
 * Parsing the Ministry's texts: the header sniffed in its variants, the header-less 16-column layout,
 * quoting and numbers, and every unreadable line reported with its number and reason.
 * The regionali sample is the first 40 lines of a real file (Abruzzo 2019, Ministry open data); the other
 * texts are written here, with invented candidates and figures.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ParseError, parseCount, parseDate, parseTable, roundFromFileName, splitLine } from "../../src/import/parse.js";
import type { SourceText } from "../../src/import/read.js";

const SAMPLE = "test/import/fixtures/regionali-20190210-head40.txt";

const src = (text: string, fileName = "comunali.txt"): SourceText => ({
  label: fileName,
  fileName,
  text,
  encoding: "UTF-8",
});

describe("splitLine", () => {
  it("splits on ; outside quotes, unquotes, and reads doubled quotes", () => {
    expect(splitLine('"A";2690,00;"B;C";"D ""E""";;F')).toEqual(["A", "2690,00", "B;C", 'D "E"', "", "F"]);
    expect(splitLine("")).toEqual([""]);
    expect(splitLine("a;")).toEqual(["a", ""]);
  });

  it("reports an unclosed quote and text after a closing quote", () => {
    expect(splitLine('"A";"B')).toEqual({ error: "virgolette non chiuse" });
    expect(splitLine('"A"x;B')).toEqual({ error: "testo dopo le virgolette di chiusura" });
  });
});

describe("parseCount", () => {
  it("reads the Ministry's numbers", () => {
    expect(parseCount("2690,00")).toBe(2690);
    expect(parseCount("0,00")).toBe(0);
    expect(parseCount(" 16 ")).toBe(16);
    expect(parseCount("1.234")).toBe(1234);
    expect(parseCount("1.234.567,00")).toBe(1234567);
  });

  it("takes empty and the 'no figure' marks as absent", () => {
    for (const s of ["", "  ", "-", "***", "N.D."]) expect(parseCount(s)).toBeUndefined();
  });

  it("refuses what is not a whole count instead of rounding it", () => {
    expect(parseCount("12,50")).toEqual({ error: "non è un numero intero" });
    for (const s of ["abc", "12.34", "-5", "1,2,3", "1 000"])
      expect(parseCount(s)).toEqual({ error: "non è un numero" });
  });
});

describe("parseDate", () => {
  it("reads the date formats of the files", () => {
    expect(parseDate("11/06/2017")).toBe("2017-06-11");
    expect(parseDate("11/06/2017 00:00:00")).toBe("2017-06-11");
    expect(parseDate("2017-06-11")).toBe("2017-06-11");
    expect(parseDate("20170611")).toBe("2017-06-11");
    expect(parseDate("")).toBeUndefined();
  });

  it("refuses impossible dates", () => {
    expect(parseDate("31/06/2017")).toEqual({ error: "non è una data esistente" });
    expect(parseDate("giugno")).toEqual({ error: "non è una data" });
  });
});

describe("roundFromFileName", () => {
  it("tells a runoff file by its name", () => {
    expect(roundFromFileName("Scrutini Secondo Turno.txt")).toBe(2);
    expect(roundFromFileName("comunali-ballottaggi-20170625.txt")).toBe(2);
    expect(roundFromFileName("scrutini_2turno.csv")).toBe(2);
    expect(roundFromFileName("Scrutini Primo Turno.txt")).toBe(1);
    expect(roundFromFileName("comunali-20170611.txt")).toBe(1);
  });
});

describe("parseTable: the header", () => {
  it("reads the real sample: its header names, numbers like 2690,00, every line", () => {
    const t = parseTable(src(readFileSync(SAMPLE, "utf8"), "regionali-20190210-head40.txt"));
    expect(t.layout).toBe("header");
    expect(t.recognised).toEqual([
      "REGIONE",
      "PROVINCIA",
      "COMUNE",
      "ELETTORI",
      "VOTANTI",
      "SCHEDE_BIANCHE",
      "COGNOME",
      "NOME",
      "VOTI_CANDIDATO",
      "LISTA",
      "VOTI_LISTA",
    ]);
    expect(t.problems).toEqual([]);
    expect(t.dataLines).toBe(39);
    expect(t.rows).toHaveLength(39);
    expect(t.rows[0]).toEqual({
      source: "regionali-20190210-head40.txt",
      line: 2,
      round: 1,
      region: "ABRUZZO",
      province: "CHIETI",
      comune: "ALTINO",
      electors: 2690,
      voters: 1353,
      blank: 16,
      surname: "MARCOZZI",
      firstName: "SARA",
      candidateVotes: 310,
      list: "MOVIMENTO 5 STELLE",
      listVotes: 299,
    });
  });

  it("reads the newer names, in any case, with TURNO, CODTIPOELETTO, seats and the election date", () => {
    const text = [
      "DATAELEZIONE;TURNO;elettoritot;elettorimaschi;votantitot;votantimaschi;skbianche;descrlista;VOTILISTA;seggilista;cognome;nome;datanascita;luogonascita;sesso;CODTIPOELETTO;VOTICAND;regione;provincia;comune",
      "11/06/2017;2;1000;480;450;220;5;LISTA ROSSI;;6;ROSSI;MARIO;01/01/1970;GENOVA;M;S;230;LIGURIA;GENOVA;GENOVA",
    ].join("\n");
    const t = parseTable(src(text));
    expect(t.rows).toEqual([
      {
        source: "comunali.txt",
        line: 2,
        round: 2,
        date: "2017-06-11",
        region: "LIGURIA",
        province: "GENOVA",
        comune: "GENOVA",
        electors: 1000,
        voters: 450,
        blank: 5,
        surname: "ROSSI",
        firstName: "MARIO",
        candidateVotes: 230,
        list: "LISTA ROSSI",
        listSeats: 6,
        elected: "S",
      },
    ]);
  });

  it("knows each variant of each name", () => {
    const text = [
      '"COMUNE";"ELETTORI_TOT";"VOTANTI_TOTALI";"SCHEDE_BIANCHE";"COGNOME";"VOTI_CANDIDATO";"DESCR_LISTA";"SEGGI"',
      '"ARCHI";2736;1108;23;"LEGNINI";303;"PD";2',
    ].join("\n");
    const t = parseTable(src(text));
    expect(t.rows[0]).toMatchObject({ electors: 2736, voters: 1108, blank: 23, list: "PD", listSeats: 2 });
  });

  it("keeps the first of two columns for one field", () => {
    const t = parseTable(src("COMUNE;COGNOME;VOTICAND;LISTA;DESCRLISTA\nARCHI;LEGNINI;303;PD;PARTITO DEMOCRATICO"));
    expect(t.rows[0]!.list).toBe("PD");
    expect(t.recognised).toEqual(["COMUNE", "COGNOME", "VOTICAND", "LISTA"]);
  });

  it("takes the round from the file's name when there is no TURNO", () => {
    const t = parseTable(src("COMUNE;COGNOME;VOTICAND\nGENOVA;BUCCI;100", "Scrutini Secondo Turno.txt"));
    expect(t.rows[0]!.round).toBe(2);
  });

  it("collapses spaces inside names and reads a trailing semicolon as nothing", () => {
    const t = parseTable(
      src('COMUNE;COGNOME;NOME;VOTICAND;\n"  SAN   DONA\' DI PIAVE ";"DE  LUCA";"MARIA TERESA";12;'),
    );
    expect(t.problems).toEqual([]);
    expect(t.rows[0]).toMatchObject({ comune: "SAN DONA' DI PIAVE", surname: "DE LUCA", firstName: "MARIA TERESA" });
  });
});

describe("parseTable: the header-less 16-column variant", () => {
  it("reads the fixed columns from the first line on", () => {
    const text = [
      '"EMILIA-ROMAGNA";"FORLI\'-CESENA";"FORLI\'";1000,00;600,00;10,00;"LISTA ROSSI";250,00;7,00;"ROSSI";"MARIO";"01/01/1970";"FORLI\'";"M";"S";310,00',
      '"EMILIA-ROMAGNA";"FORLI\'-CESENA";"FORLI\'";1000,00;600,00;10,00;"LISTA BIANCHI";200,00;3,00;"BIANCHI";"ANNA";"02/02/1980";"CESENA";"F";"";280,00',
    ].join("\r\n");
    const t = parseTable(src(text));
    expect(t.layout).toBe("16-columns");
    expect(t.dataLines).toBe(2);
    expect(t.rows[0]).toEqual({
      source: "comunali.txt",
      line: 1,
      round: 1,
      region: "EMILIA-ROMAGNA",
      province: "FORLI'-CESENA",
      comune: "FORLI'",
      electors: 1000,
      voters: 600,
      blank: 10,
      list: "LISTA ROSSI",
      listVotes: 250,
      listSeats: 7,
      surname: "ROSSI",
      firstName: "MARIO",
      elected: "S",
      candidateVotes: 310,
    });
    expect(t.rows[1]).toMatchObject({ line: 2, surname: "BIANCHI", candidateVotes: 280 });
    expect(t.rows[1]!.elected).toBeUndefined();
  });

  it("reports a short line with its number", () => {
    const good = '"R";"P";"C";10;8;0;"L";5;1;"S";"N";"";"";"M";"S";6';
    const t = parseTable(src([good, '"R";"P";"C";10;8;0;"L";5;1;"S";"N"', good].join("\n")));
    expect(t.rows.map((r) => r.line)).toEqual([1, 3]);
    expect(t.problems).toEqual([{ source: "comunali.txt", line: 2, reason: "11 campi invece di 16" }]);
  });
});

describe("parseTable: what it cannot read", () => {
  it("reports each malformed row with its line number and reason, and keeps the others", () => {
    const text = [
      "TURNO;COMUNE;ELETTORI;COGNOME;NOME;VOTI_CANDIDATO;LISTA;VOTI_LISTA;DATAELEZIONE", // 1
      "1;GENOVA;1000;ROSSI;MARIO;300;L1;290;11/06/2017", // 2 good
      "", // 3 blank: skipped, not a problem
      "1;GENOVA;1000;BIANCHI;ANNA;abc;L2;200;11/06/2017", // 4 votes not a number
      "1;GENOVA;1000;VERDI;LUCA;12,50;L3;10;11/06/2017", // 5 votes not whole
      "3;GENOVA;1000;NERI;PIA;10;L4;10;11/06/2017", // 6 round 3
      "1;;1000;GIALLI;EVA;10;L5;10;11/06/2017", // 7 no comune
      '1;GENOVA;1000;"BLU;UGO;10;L6;10;11/06/2017', // 8 unclosed quote
      "1;GENOVA;1000;ROSA;IDA;10;L7", // 9 too few fields
      "1;GENOVA;1000;VIOLA;;;L8;10;11/06/2017", // 10 no candidate votes
      "1;GENOVA;mille;;ADA;5;L9;5;31/06/2017", // 11 three reasons at once
      "1;GENOVA;1000;AZZURRI;TEO;40;L10;38;11/06/2017", // 12 good
    ].join("\n");
    const t = parseTable(src(text));
    expect(t.rows.map((r) => r.line)).toEqual([2, 12]);
    expect(t.dataLines).toBe(10); // the blank line is not a row
    expect(t.problems).toEqual([
      { source: "comunali.txt", line: 4, reason: "voti del candidato «abc»: non è un numero" },
      { source: "comunali.txt", line: 5, reason: "voti del candidato «12,50»: non è un numero intero" },
      { source: "comunali.txt", line: 6, reason: "turno «3» sconosciuto (1 o 2)" },
      { source: "comunali.txt", line: 7, reason: "manca il comune" },
      { source: "comunali.txt", line: 8, reason: "virgolette non chiuse" },
      { source: "comunali.txt", line: 9, reason: "7 campi invece di 9" },
      { source: "comunali.txt", line: 10, reason: "mancano i voti del candidato" },
      {
        source: "comunali.txt",
        line: 11,
        reason:
          "elettori «mille»: non è un numero; data dell'elezione «31/06/2017»: non è una data esistente; manca il cognome del candidato",
      },
    ]);
  });

  it("throws for an empty file", () => {
    expect(() => parseTable(src(""))).toThrow(ParseError);
    expect(() => parseTable(src("\r\n  \n"))).toThrow("il file è vuoto");
  });

  it("throws for a text in neither layout", () => {
    expect(() => parseTable(src("Gentile utente, il servizio non è disponibile.\nRiprovare più tardi."))).toThrow(
      /né un'intestazione riconosciuta .* né le 16 colonne/,
    );
    // Sixteen fields, but the electors' column holds no number: not the header-less layout either.
    expect(() => parseTable(src(Array(16).fill("x").join(";")))).toThrow(ParseError);
  });

  it("throws for a header without the columns of the mayors' results, naming them", () => {
    const turnoutOnly = "REGIONE;PROVINCIA;COMUNE;ELETTORI;VOTANTI\nLIGURIA;GENOVA;GENOVA;1000;600";
    expect(() => parseTable(src(turnoutOnly))).toThrow(
      "l'intestazione (riga 1) non ha le colonne COGNOME (cognome), VOTICANDIDATO (voti del candidato): non è un file dei risultati dei sindaci",
    );
  });
});
