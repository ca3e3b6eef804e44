/** Which comuni a results edit moved: changed, new and gone ones, by ISTAT code (else name). */
import { describe, expect, it } from "vitest";
import { changedComuni } from "../../src/cards/changes.js";
import type { DataPack } from "../../src/data/pack.js";

const pack = (comuni: { name: string; istat?: string; results: unknown }[]) => ({ comuni }) as unknown as DataPack;

describe("changedComuni", () => {
  it("names the comuni whose results differ, appeared or went, and no other", () => {
    const before = pack([
      { name: "Genova", istat: "010025", results: { sections: 100 } },
      { name: "Parma", istat: "034027", results: { sections: 50 } },
      { name: "Senza codice", results: { sections: 1 } },
    ]);
    const after = pack([
      { name: "Genova", istat: "010025", results: { sections: 200 } },
      { name: "Parma", istat: "034027", results: { sections: 50 } },
      { name: "Asti", istat: "005005", results: { sections: 3 } },
    ]);
    expect(changedComuni(before, after)).toEqual(["010025", "005005", "Senza codice"]);
    expect(changedComuni(after, after)).toEqual([]);
  });
});
