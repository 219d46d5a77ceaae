import { adjustedRandScore, silentLogger } from "@clusterlab/core";
import { describe, expect, it } from "vitest";
import { clusterDocuments, documentTexts, labelValues, type Table } from "../../src/index.js";

// Two obvious topics with disjoint vocabularies (pets / markets), plus a document with only stop words.
const PETS = [
  "The cat chased the dog around the garden.",
  "My dog and my cat sleep in the garden.",
  "A kitten and a puppy: every cat and dog loves the garden.",
  "Dogs bark, cats purr; the puppy plays with the kitten.",
  "Feeding the cat and walking the dog every morning.",
  "The puppy dog and the kitten cat are friends.",
];
const MARKETS = [
  "Stock markets fell as investors sold shares.",
  "Investors bought shares when stock prices rose.",
  "The stock market rally lifted share prices for investors.",
  "Shares and stock prices: investors watch the market.",
  "Market prices of stocks and shares moved; investors worried.",
  "Investors sold stock as the market and prices slid.",
];
const texts = [...PETS, ...MARKETS];
const truth = [...PETS.map(() => "pets"), ...MARKETS.map(() => "markets")];

describe("clusterDocuments", () => {
  it("separates two obvious topics perfectly with every algorithm", () => {
    const runs = [
      { algorithm: "kmeans" as const, nClusters: 2 },
      { algorithm: "kmeans" as const, nClusters: 2, lsa: 0 },
      { algorithm: "kmeans" as const, nClusters: 2, tokenizer: { stem: true } },
      { algorithm: "agglomerative" as const, nClusters: 2 },
      { algorithm: "hdbscan" as const, minClusterSize: 3 },
    ];
    for (const options of runs) {
      const r = clusterDocuments(texts, { ...options, labels: truth, logger: silentLogger });
      expect([JSON.stringify(options), r.nClusters]).toEqual([JSON.stringify(options), 2]);
      expect(r.external?.adjustedRandIndex).toBe(1);
      expect(r.external?.normalizedMutualInfo).toBeCloseTo(1, 12);
      expect(r.external?.vMeasure).toBeCloseTo(1, 12);
    }
  });

  it("describes the clusters: top terms, representatives, map, contingency", () => {
    const r = clusterDocuments(texts, { nClusters: 2, labels: truth, nTopTerms: 4, nRepresentatives: 2 });
    expect(r.nDocuments).toBe(12);
    // Capped at min(documents, terms) - 1.
    expect(r.lsa.nComponents).toBe(Math.min(11, r.vocabularySize - 1));
    expect(r.warnings.join()).toMatch(/lsa=100 is more than the data allow: using \d+ components/);
    const pets = r.clusters.find((c) => c.representatives[0].index < 6)!;
    const markets = r.clusters.find((c) => c.representatives[0].index >= 6)!;
    expect(pets.size).toBe(6);
    expect(pets.topTerms.map((t) => t.term)).toEqual(expect.arrayContaining(["cat", "dog"]));
    expect(markets.topTerms.map((t) => t.term)).toEqual(expect.arrayContaining(["investors", "stock"]));
    for (const c of r.clusters) {
      expect(c.topTerms).toHaveLength(4);
      for (let i = 1; i < c.topTerms.length; i++)
        expect(c.topTerms[i].weight).toBeLessThanOrEqual(c.topTerms[i - 1].weight);
      expect(c.representatives).toHaveLength(2);
      expect(c.representatives[0].similarity).toBeGreaterThanOrEqual(c.representatives[1].similarity);
      expect(c.representatives[0].similarity).toBeLessThanOrEqual(1 + 1e-12);
    }
    // The map separates the topics along its first axis.
    const xs = Array.from(r.map.x);
    const petSide = Math.sign(xs[0]);
    for (let i = 0; i < 12; i++) expect(Math.sign(xs[i])).toBe(i < 6 ? petSide : -petSide);
    expect(r.external?.contingency.classes).toEqual(["markets", "pets"]);
    expect(r.external?.contingency.counts.flat().sort()).toEqual([0, 0, 6, 6]);
    expect(r.timings.totalSeconds).toBeGreaterThanOrEqual(0);
  });

  it("labels documents without terms -1 and numbers clusters by size", () => {
    const r = clusterDocuments([...texts, "the and of", null, PETS[0]], { nClusters: 2, logger: silentLogger });
    expect(r.nEmpty).toBe(2);
    expect(r.labels[12]).toBe(-1);
    expect(r.labels[13]).toBe(-1);
    expect(Number.isNaN(r.map.x[12])).toBe(true);
    expect(r.clusters[0].size).toBe(7);
    expect(r.labels[14]).toBe(0);
    const truthIds = truth.map((t) => (t === "pets" ? 0 : 1));
    expect(adjustedRandScore(truthIds, r.labels.subarray(0, 12))).toBe(1);
  });

  it("answers bad input with clear errors", () => {
    expect(() => clusterDocuments(["", "  ", null])).toThrow(/every document is empty/);
    expect(() => clusterDocuments(["the", "and the", "of"], { logger: silentLogger })).toThrow(
      /TF-IDF: .*empty vocabulary/,
    );
    expect(() => clusterDocuments(texts, { nClusters: 20, logger: silentLogger })).toThrow(/invalid k: 20/);
    expect(() => clusterDocuments(texts, { algorithm: "hdbscan", lsa: 0 })).toThrow(/needs an LSA embedding/);
    expect(() => clusterDocuments(texts, { labels: ["a"] })).toThrow(/labels has 1 values for 12 documents/);
  });
});

describe("documentTexts and labelValues", () => {
  const table: Table = {
    source: "mail.csv",
    nRows: 3,
    columns: [
      { name: "subject", type: "VARCHAR", kind: "string", values: ["Hi", null, null] },
      { name: "body", type: "VARCHAR", kind: "string", values: ["there", "only body", null] },
      { name: "n", type: "DOUBLE", kind: "numeric", values: Float64Array.from([1, Number.NaN, 3]) },
      { name: "empty", type: "VARCHAR", kind: "string", values: [null, " ", ""] },
    ],
  };

  it("joins several columns per row and keeps missing rows as null", () => {
    expect(documentTexts(table, ["subject", "body"])).toEqual(["Hi\nthere", "only body", null]);
    expect(labelValues(table, "n")).toEqual(["1", null, "3"]);
  });

  it("rejects unknown, numeric and empty text columns", () => {
    expect(() => documentTexts(table, ["nope"])).toThrow(/unknown column "nope"/);
    expect(() => documentTexts(table, ["n"])).toThrow(/column "n" in mail.csv is numeric/);
    expect(() => documentTexts(table, ["empty"])).toThrow(/text column "empty" in mail.csv is empty/);
  });
});
