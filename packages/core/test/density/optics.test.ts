import { describe, expect, it } from "vitest";
import {
  computeOpticsGraph,
  extractOpticsDBSCAN,
  extractOpticsXi,
  memoryLogger,
  modelFromJSON,
  OPTICS,
  OPTICSModel,
  Random,
  resolveOpticsSize,
  roundDecimals15,
  silentLogger,
} from "../../src/index.js";
import { infs, loadDensityFixture, type OPTICSCase } from "./densityFixture.js";

const f = loadDensityFixture();

function fitCase(c: OPTICSCase, extra: Record<string, unknown> = {}) {
  return new OPTICS({
    minSamples: c.minSamples,
    maxEps: c.maxEps ?? Number.POSITIVE_INFINITY,
    metric: c.metric,
    xi: c.xi,
    minClusterSize: c.minClusterSize,
    predecessorCorrection: c.predecessorCorrection,
    logger: silentLogger,
    ...extra,
  }).fit(f.data[c.dataset]);
}

/** Largest |a - b| with Infinity matching Infinity exactly (a mismatch counts as Infinity). */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    m = Math.max(m, Math.abs(a[i] - b[i]));
  }
  return m;
}

describe("OPTICS against scikit-learn", () => {
  it("covers the shared and density datasets, both extractions and all metrics", () => {
    expect(new Set(f.optics.map((c) => c.dataset)).size).toBeGreaterThanOrEqual(12);
    expect(new Set(f.optics.map((c) => c.metric))).toEqual(new Set(["euclidean", "manhattan", "cosine"]));
    expect(f.optics.some((c) => c.maxEps !== null)).toBe(true);
    expect(f.optics.some((c) => !c.predecessorCorrection)).toBe(true);
  });

  for (const c of f.optics) {
    const name = `${c.dataset} minSamples=${c.minSamples} maxEps=${c.maxEps ?? "inf"} ${c.metric} xi=${c.xi}`;
    it(`${name}: graph, xi labels, hierarchy and DBSCAN cuts`, () => {
      const m = fitCase(c);
      expect(Array.from(m.ordering)).toEqual(c.ordering);
      expect(Array.from(m.predecessor)).toEqual(c.predecessor);
      // bit-identical for the Minkowski metrics; cosine goes through a different dot product (1e-15)
      const tol = c.metric === "cosine" ? 1e-9 : 0;
      expect(maxDiff(m.reachability, infs(c.reachability))).toBeLessThanOrEqual(tol);
      expect(maxDiff(m.coreDistances, infs(c.coreDistances))).toBeLessThanOrEqual(tol);
      expect(Array.from(m.labels)).toEqual(c.labels);
      expect(m.clusterHierarchy.map(([s, e]) => [s, e])).toEqual(c.clusterHierarchy);
      for (const cut of c.dbscan) {
        expect(Array.from(m.extractDBSCAN(cut.eps)), `eps ${cut.eps}`).toEqual(cut.labels);
        const viaFit = fitCase(c, { clusterMethod: "dbscan", eps: cut.eps });
        expect(Array.from(viaFit.labels)).toEqual(cut.labels);
        expect(viaFit.clusterHierarchy).toEqual([]);
      }
    });
  }

  it("extractXi from one fit equals a fit with that xi / minClusterSize", () => {
    const c = f.optics.find((x) => x.dataset === "moons" && x.minSamples === 10)!;
    const base = fitCase({ ...c, xi: 0.05, minClusterSize: null });
    const re = base.extractXi(c.xi, c.minClusterSize ?? undefined);
    expect(Array.from(re.labels)).toEqual(c.labels);
    expect(re.clusterHierarchy.map(([s, e]) => [s, e])).toEqual(c.clusterHierarchy);
    const same = base.extractXi(0.05);
    expect(Array.from(same.labels)).toEqual(Array.from(base.labels));
  });

  it("the k-d tree and brute-force paths give the same graph", () => {
    const X = f.data.noisyBlobs;
    for (const maxEps of [0.5, Number.POSITIVE_INFINITY]) {
      const a = computeOpticsGraph(X, 6, maxEps, "euclidean", "kdtree", 4);
      const b = computeOpticsGraph(X, 6, maxEps, "euclidean", "brute");
      expect(Array.from(a.ordering)).toEqual(Array.from(b.ordering));
      expect(Array.from(a.reachability)).toEqual(Array.from(b.reachability));
      expect(Array.from(a.coreDistances)).toEqual(Array.from(b.coreDistances));
      expect(Array.from(a.predecessor)).toEqual(Array.from(b.predecessor));
    }
  });
});

describe("OPTICS details", () => {
  it("rounds like numpy.around(x, 15), ties to even", () => {
    expect(roundDecimals15(0.5e-15)).toBe(0);
    expect(roundDecimals15(1.5e-15)).toBe(2e-15);
    expect(roundDecimals15(2.5e-15)).toBe(2e-15);
    expect(roundDecimals15(0.12345678901234568)).toBe(0.123456789012346);
    expect(roundDecimals15(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(roundDecimals15(12345.678)).toBe((12345.678 * 1e15) / 1e15);
  });

  it("starts regions at the smallest unprocessed index and breaks reachability ties by index", () => {
    // rows 2 and 3 tie at reachability 1 from row 0; rows 4 and 5 lie beyond maxEps (a new region)
    const X = [[0], [5], [-1], [1], [100], [101]];
    const m = new OPTICS({ minSamples: 2, maxEps: 10, logger: silentLogger }).fit(X);
    expect(Array.from(m.ordering)).toEqual([0, 2, 3, 1, 4, 5]);
    expect(Array.from(m.reachability)).toEqual([Infinity, 4, 1, 1, Infinity, 1]);
    expect(Array.from(m.predecessor)).toEqual([-1, 3, 0, 0, -1, 4]);
  });

  it("resolves fractional sizes as scikit-learn", () => {
    expect(resolveOpticsSize(0.1, 300, "minSamples")).toBe(30);
    expect(resolveOpticsSize(0.001, 300, "minSamples")).toBe(2);
    expect(resolveOpticsSize(7, 300, "minSamples")).toBe(7);
    expect(() => resolveOpticsSize(1, 300, "minSamples")).toThrow("invalid minSamples: 1");
    expect(() => resolveOpticsSize(301, 300, "minSamples")).toThrow(
      "invalid minSamples: 301 (must be no greater than the number of samples (300))",
    );
    expect(() => resolveOpticsSize(2.5, 300, "minClusterSize")).toThrow("invalid minClusterSize: 2.5");
  });

  it("warns through the logger when every reachability is infinite", () => {
    const logger = memoryLogger();
    const m = new OPTICS({ minSamples: 2, maxEps: 0.5, logger }).fit([[0], [1], [2]]);
    expect(logger.messages).toEqual([
      "all reachability values are Infinity; set a larger maxEps or all data will be noise",
    ]);
    expect(Array.from(m.labels)).toEqual([-1, -1, -1]);
    expect(Array.from(m.coreDistances)).toEqual([Infinity, Infinity, Infinity]);
  });

  it("names invalid options", () => {
    const X = [[0], [1], [2], [3]];
    const fit = (o: Record<string, unknown>) => () => new OPTICS({ logger: silentLogger, ...o }).fit(X);
    expect(fit({ minSamples: 1 })).toThrow("invalid minSamples: 1");
    expect(fit({ minSamples: 5 })).toThrow("invalid minSamples: 5 (must be no greater than the number of samples (4))");
    expect(fit({ minSamples: 2, xi: 1 })).toThrow("invalid xi: 1 (must be a number in [0, 1))");
    expect(fit({ minSamples: 2, maxEps: -1 })).toThrow("invalid maxEps: -1");
    expect(fit({ minSamples: 2, maxEps: 2, clusterMethod: "dbscan", eps: 3 })).toThrow(
      "invalid eps: 3 (must be <= maxEps (2))",
    );
    expect(fit({ minSamples: 2, clusterMethod: "hdbscan" })).toThrow('invalid clusterMethod: "hdbscan"');
    expect(fit({ minSamples: 2, metric: "l3" })).toThrow('invalid metric: "l3"');
    expect(fit({ minSamples: 2, algorithm: "kdtree", metric: "cosine" })).toThrow('invalid algorithm: "kdtree"');
    const m = new OPTICS({ minSamples: 2, maxEps: 2, logger: silentLogger }).fit(X);
    expect(() => m.extractDBSCAN(3)).toThrow("invalid eps: 3 (must be <= maxEps (2))");
    expect(() => m.extractXi(-0.1)).toThrow("invalid xi: -0.1");
    expect(() => extractOpticsDBSCAN([1], [1, 2], [0], 1)).toThrow("invalid OPTICS arrays");
    expect(() => extractOpticsXi([1], [0], [0, 1], 2, 2, 0.05, true)).toThrow("invalid OPTICS arrays");
  });
});

describe("OPTICSModel", () => {
  const rng = new Random(4);
  const X = f.data.moons;
  const model = new OPTICS({ minSamples: 10, xi: 0.1, minClusterSize: 0.1 }).fit(X);

  it("predict propagates the label of the nearest training row", () => {
    expect(Array.from(model.predict(X))).toEqual(Array.from(model.labels));
    const i = rng.int(X.rows);
    const q = [X.data[2 * i] + 1e-9, X.data[2 * i + 1]];
    expect(model.predict([q])[0]).toBe(model.labels[i]);
  });

  it("round-trips through JSON with Infinity written as null", () => {
    const text = JSON.stringify(model);
    const json = JSON.parse(text);
    expect(json.type).toBe("OPTICSModel");
    expect(json.reachability[model.ordering[0]]).toBeNull();
    expect(json.maxEps).toBeNull();
    const back = modelFromJSON<OPTICSModel>(json);
    expect(back).toBeInstanceOf(OPTICSModel);
    expect(Array.from(back.reachability)).toEqual(Array.from(model.reachability));
    expect(Array.from(back.coreDistances)).toEqual(Array.from(model.coreDistances));
    expect(Array.from(back.ordering)).toEqual(Array.from(model.ordering));
    expect(back.clusterHierarchy).toEqual(model.clusterHierarchy);
    expect(back.minClusterSize).toBe(30);
    expect(Array.from(back.extractDBSCAN(0.1))).toEqual(Array.from(model.extractDBSCAN(0.1)));
    expect(Array.from(back.predict(X))).toEqual(Array.from(model.predict(X)));
    expect(() => OPTICSModel.fromJSON({ ...json, ordering: [0] })).toThrow(
      "invalid model JSON: ordering has 1 entries",
    );
  });
});
