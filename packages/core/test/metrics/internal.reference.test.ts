import { describe, expect, it } from "vitest";
import {
  calinskiHarabaszScore,
  daviesBouldinScore,
  type Matrix,
  silhouetteSamples,
  silhouetteScore,
} from "../../src/index.js";
import { closeTo, loadDatasets } from "../fixtures.js";
import { type LabelingName, loadMetricsFixture, SIL_METRICS } from "./metricsFixture.js";

const fixture = loadMetricsFixture();
const datasets = loadDatasets();
const RTOL = 1e-9;
const ATOL = 1e-12;

let worst = { rel: 0, where: "", abs: 0, absWhere: "" };

function expectClose(actual: number, expected: number, where: string): void {
  const diff = Math.abs(actual - expected);
  if (Math.abs(expected) >= 1e-6) {
    if (diff / Math.abs(expected) > worst.rel) worst = { ...worst, rel: diff / Math.abs(expected), where };
  } else if (diff > worst.abs) worst = { ...worst, abs: diff, absWhere: where };
  if (!closeTo(actual, expected, RTOL, ATOL)) {
    expect.fail(`${where}: got ${actual}, scikit-learn ${expected} (difference ${diff})`);
  }
}

describe(`internal metrics equal scikit-learn ${fixture.meta.sklearn} within 1e-9 relative (atol 1e-12)`, () => {
  for (const [name, d] of Object.entries(fixture.datasets)) {
    const X: Matrix = datasets[name].X;
    it(`${name}: silhouette (4 metrics), Calinski-Harabasz, Davies-Bouldin per labeling (rtol 1e-9)`, () => {
      for (const key of Object.keys(d.labelings) as LabelingName[]) {
        const labels = d.labelings[key];
        const ref = d.internal[key];
        const where = `${name}/${key}`;
        if (ref === null) {
          // scikit-learn raises: fewer than 2 or more than n - 1 labels.
          expect(() => silhouetteScore(X, labels), where).toThrow(/number of labels is \d+/);
          expect(() => calinskiHarabaszScore(X, labels), where).toThrow(/number of labels is \d+/);
          expect(() => daviesBouldinScore(X, labels), where).toThrow(/number of labels is \d+/);
          continue;
        }
        for (const metric of SIL_METRICS) {
          expectClose(
            silhouetteScore(X, labels, { metric }),
            ref[`silhouette_${metric}`],
            `${where} silhouette ${metric}`,
          );
        }
        expectClose(calinskiHarabaszScore(X, labels), ref.calinskiHarabasz, `${where} calinskiHarabasz`);
        expectClose(daviesBouldinScore(X, labels), ref.daviesBouldin, `${where} daviesBouldin`);
      }
    });
    if (d.samples) {
      const samples = d.samples;
      it(`${name}: silhouetteSamples per sample, 4 metrics (rtol 1e-9, atol 1e-12)`, () => {
        for (const key of Object.keys(samples) as LabelingName[]) {
          for (const metric of SIL_METRICS) {
            const ours = silhouetteSamples(X, d.labelings[key], { metric });
            const ref = samples[key]![metric];
            expect(ours.length).toBe(ref.length);
            for (let i = 0; i < ref.length; i++) expectClose(ours[i], ref[i], `${name}/${key} ${metric} sample ${i}`);
          }
        }
      });
    }
  }

  for (const r of fixture.internalSpecial) {
    it(`special case ${r.name}: silhouette samples and scores, CH, DB (rtol 1e-9)`, () => {
      for (const metric of SIL_METRICS) {
        const ours = silhouetteSamples(r.X, r.labels, { metric });
        for (let i = 0; i < ours.length; i++) expectClose(ours[i], r.samples[metric][i], `${r.name} ${metric} ${i}`);
        expectClose(silhouetteScore(r.X, r.labels, { metric }), r[`silhouette_${metric}`], `${r.name} ${metric}`);
      }
      expectClose(calinskiHarabaszScore(r.X, r.labels), r.calinskiHarabasz, `${r.name} calinskiHarabasz`);
      expectClose(daviesBouldinScore(r.X, r.labels), r.daviesBouldin, `${r.name} daviesBouldin`);
    });
  }

  it("reports the largest differences", () => {
    console.log(
      `internal metrics vs scikit-learn: largest relative difference ${worst.rel.toExponential(2)} (${worst.where}); ` +
        `largest absolute difference on values below 1e-6: ${worst.abs.toExponential(2)} (${worst.absWhere})`,
    );
    expect(worst.rel).toBeLessThanOrEqual(RTOL);
    expect(worst.abs).toBeLessThanOrEqual(ATOL);
  });
});
