import { describe, expect, it } from "vitest";
import { personName, placeName } from "../../src/feed/names.js";

describe("proper case", () => {
  it("writes people's names with every word capitalized", () => {
    expect(personName("FRANCESCO", "RUCCO")).toBe("Francesco Rucco");
    expect(personName("OTELLO", "DALLA ROSA")).toBe("Otello Dalla Rosa");
    expect(personName("AUGUSTO", "DI LAZZARO")).toBe("Augusto Di Lazzaro");
    expect(personName("MASSIMO", "D'ALEMA")).toBe("Massimo D'Alema");
    expect(personName("NICOLO'", "ROSSI-BIANCHI")).toBe("Nicolò Rossi-Bianchi");
    expect(personName(null, "  RUCCO ")).toBe("Rucco");
  });

  it("writes places with their particles in lower case", () => {
    expect(placeName("SAN FERDINANDO DI PUGLIA")).toBe("San Ferdinando di Puglia");
    expect(placeName("REGGIO NELL'EMILIA")).toBe("Reggio nell'Emilia");
    expect(placeName("SAN DONATO DELL'ANDREA")).toBe("San Donato dell'Andrea");
    expect(placeName("L'AQUILA")).toBe("L'Aquila");
    expect(placeName("BARLETTA-ANDRIA-TRANI")).toBe("Barletta-Andria-Trani");
    expect(placeName("CANTU'")).toBe("Cantù");
    expect(placeName("SANT'ANGELO A SCALA")).toBe("Sant'Angelo a Scala");
    expect(placeName("LA SPEZIA")).toBe("La Spezia");
    expect(placeName("ANDRIANO/ANDRIAN")).toBe("Andriano/Andrian");
  });
});
