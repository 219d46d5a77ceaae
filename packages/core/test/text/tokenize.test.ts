import { describe, expect, it } from "vitest";
import { createTokenizer, ENGLISH_STOP_WORDS, tokenize } from "../../src/index.js";
import { loadFixture } from "../fixtures.js";

describe("tokenize", () => {
  it("splits on non-letters, lowercases, drops stop words and short tokens", () => {
    expect(tokenize("The cat's 2 hats, and THE dog!")).toEqual(["cat", "hats", "dog"]);
    expect(tokenize("e-mail me at bob_smith@example.com")).toEqual(["mail", "bob", "smith", "example", "com"]);
  });

  it("is Unicode-aware (letters, digits and marks of any script; NFC)", () => {
    expect(tokenize("Ein Café in Zürich, naïve Straße; 東京 2024", { stopWords: null })).toEqual([
      "ein",
      "café",
      "in",
      "zürich",
      "naïve",
      "straße",
      "東京",
      "2024",
    ]);
    // A decomposed é (e + combining acute) gives the same token as the composed one.
    expect(tokenize("cafe\u0301")).toEqual(["café"]);
    // minLength counts code points: one astral character is one character.
    expect(tokenize("𝒜 𝒜𝒜", { minLength: 2 })).toEqual(["𝒜𝒜"]);
  });

  it("applies the options: stop words, minLength, numbers, lowercase, stem", () => {
    expect(tokenize("a b cc ddd", { stopWords: null, minLength: 1 })).toEqual(["a", "b", "cc", "ddd"]);
    expect(tokenize("a b cc ddd", { stopWords: ["cc"], minLength: 3 })).toEqual(["ddd"]);
    expect(tokenize("in 2002 there were 10 ponies", { numbers: false })).toEqual(["ponies"]);
    expect(tokenize("Hello World", { lowercase: false })).toEqual(["Hello", "World"]);
    expect(tokenize("The ponies were running to the connections", { stem: true })).toEqual(["poni", "run", "connect"]);
    expect(() => tokenize("x", { minLength: 0 })).toThrow(/minLength/);
  });

  it("has a stop-word list of lowercase words without duplicates", () => {
    expect(ENGLISH_STOP_WORDS.length).toBeGreaterThan(200);
    expect(new Set(ENGLISH_STOP_WORDS).size).toBe(ENGLISH_STOP_WORDS.length);
    for (const w of ENGLISH_STOP_WORDS) expect(w).toMatch(/^[a-z]+$/);
    for (const w of ["the", "and", "is", "of", "don", "ve"]) expect(ENGLISH_STOP_WORDS).toContain(w);
  });

  it("gives the reference tokens of the TF-IDF fixture corpus", () => {
    const fx = loadFixture<{ corpus: string[]; tokens: string[][] }>("text");
    const t = createTokenizer({ stopWords: null, minLength: 2 });
    expect(fx.corpus.map(t)).toEqual(fx.tokens);
  });
});
