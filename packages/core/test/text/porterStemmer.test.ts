import { describe, expect, it } from "vitest";
import { porterMeasure, porterStem } from "../../src/index.js";

// The examples printed in Porter (1980), "An algorithm for suffix stripping", step by step. Each pair is
// the effect of that step's rule; for the words below the later steps leave the result unchanged unless a
// full-stem value is given separately.
const STEP_EXAMPLES: [string, string][] = [
  // Step 1a
  ["caresses", "caress"],
  ["ponies", "poni"],
  ["ties", "ti"],
  ["caress", "caress"],
  ["cats", "cat"],
  // Step 1b
  ["feed", "feed"],
  ["agreed", "agre"], // 1b gives "agree", step 5a then removes the final e (m("agre") = 1, not *o)
  ["plastered", "plaster"],
  ["bled", "bled"],
  ["motoring", "motor"],
  ["sing", "sing"],
  ["conflated", "conflat"], // 1b "conflate", 5a -> "conflat"
  ["troubled", "troubl"], // 1b "trouble", 5a -> "troubl"
  ["sized", "size"],
  ["hopping", "hop"],
  ["tanned", "tan"],
  ["falling", "fall"],
  ["hissing", "hiss"],
  ["fizzed", "fizz"],
  ["failing", "fail"],
  ["filing", "file"],
  // Step 1c
  ["happy", "happi"],
  ["sky", "sky"],
];

/** Step 2-5 examples of the paper, given as (word, full stem). */
const FULL_STEMS: [string, string][] = [
  ["relational", "relat"],
  ["conditional", "condit"],
  ["rational", "ration"],
  ["valenci", "valenc"],
  ["hesitanci", "hesit"],
  ["digitizer", "digit"],
  ["conformabli", "conform"],
  ["radicalli", "radic"],
  ["differentli", "differ"],
  ["vileli", "vile"],
  ["analogousli", "analog"],
  ["vietnamization", "vietnam"],
  ["predication", "predic"],
  ["operator", "oper"],
  ["feudalism", "feudal"],
  ["decisiveness", "decis"],
  ["hopefulness", "hope"],
  ["callousness", "callous"],
  ["formaliti", "formal"],
  ["sensitiviti", "sensit"],
  ["sensibiliti", "sensibl"],
  ["triplicate", "triplic"],
  ["formative", "form"],
  ["formalize", "formal"],
  ["electriciti", "electr"],
  ["electrical", "electr"],
  ["hopeful", "hope"],
  ["goodness", "good"],
  ["revival", "reviv"],
  ["allowance", "allow"],
  ["inference", "infer"],
  ["airliner", "airlin"],
  ["gyroscopic", "gyroscop"],
  ["adjustable", "adjust"],
  ["defensible", "defens"],
  ["irritant", "irrit"],
  ["replacement", "replac"],
  ["adjustment", "adjust"],
  ["dependent", "depend"],
  ["adoption", "adopt"],
  ["homologou", "homolog"],
  ["communism", "commun"],
  ["activate", "activ"],
  ["angulariti", "angular"],
  ["homologous", "homolog"],
  ["effective", "effect"],
  ["bowdlerize", "bowdler"],
  ["probate", "probat"],
  ["rate", "rate"],
  ["cease", "ceas"],
  ["controll", "control"],
  ["roll", "roll"],
  // Common words (results as the published algorithm gives them).
  ["generalizations", "gener"],
  ["oscillators", "oscil"],
  ["connected", "connect"],
  ["connecting", "connect"],
  ["connection", "connect"],
  ["connections", "connect"],
  ["running", "run"],
  ["university", "univers"],
];

describe("porterStem", () => {
  it("follows the step examples of Porter (1980)", () => {
    for (const [word, stem] of STEP_EXAMPLES) expect([word, porterStem(word)]).toEqual([word, stem]);
  });

  it("gives the full stems of the paper's step 2-5 examples", () => {
    for (const [word, stem] of FULL_STEMS) expect([word, porterStem(word)]).toEqual([word, stem]);
  });

  it("leaves short words, non-ASCII and non-lowercase words alone", () => {
    expect(porterStem("is")).toBe("is");
    expect(porterStem("as")).toBe("as");
    expect(porterStem("café")).toBe("café");
    expect(porterStem("Running")).toBe("Running");
    expect(porterStem("2002")).toBe("2002");
  });

  it("computes the measure m as in the paper", () => {
    for (const w of ["tr", "ee", "tree", "y", "by"]) expect(porterMeasure(w)).toBe(0);
    for (const w of ["trouble", "oats", "trees", "ivy"]) expect(porterMeasure(w)).toBe(1);
    for (const w of ["troubles", "private", "oaten", "orrery"]) expect(porterMeasure(w)).toBe(2);
  });
});
