import { invalid, type Matrix, Random } from "@clusterlab/core";
import { type ColumnFacts, columnFacts, type StringFacts } from "../schema/columnFacts.js";
import type { ColumnRole } from "../schema/columnRole.js";
import { type ColumnSchema, type InferSchemaOptions, inferSchemaFromFacts } from "../schema/inferSchema.js";
import type { NumericColumn, Table } from "../table.js";
import { type CorrelationSummary, pearsonCorrelation, topCorrelations } from "./correlation.js";
import { type HopkinsStatistic, hopkinsStatistic, interpretHopkins } from "./hopkins.js";
import { type NumericSummary, numericSummary } from "./numericSummary.js";
import { type PcaPreview, pcaPreview } from "./pcaPreview.js";

/** Options for `profileTable`: the role options of `inferSchema` plus the sizes of the summaries. */
export interface ProfileOptions extends InferSchemaOptions {
  /** Seed of every sample (Hopkins probes and reference set, PCA preview points). Default 0. */
  seed?: number;
  /** Bins of each numeric histogram. Default 20. */
  histogramBins?: number;
  /** Categories listed per categorical column (the most frequent). Default 10. */
  topCategories?: number;
  /** Most correlated pairs listed. Default 10. */
  topCorrelations?: number;
  /** Probes m of the Hopkins statistic. Default: see `HopkinsOptions.sampleSize`. */
  hopkinsSampleSize?: number;
  /** Reference rows of the Hopkins statistic (a seeded subset above this). Default 5000. */
  hopkinsReferenceRows?: number;
  /**
   * Rows the Hopkins statistic and the PCA preview work on: with more rows having every numeric
   * feature observed, a seeded sample of this many of them (the standardisation still uses all).
   * Default 100 000.
   */
  sampleRows?: number;
  /** Points in the PCA preview (a seeded sample above this). Default 5000. */
  previewPoints?: number;
}

/** One value of a categorical column and how often it occurs. */
export interface CategoryCount {
  /** The value as text (numbers as JavaScript prints them: `"2007"`). */
  value: string;
  count: number;
  /** `count` over the observed (non-missing) values. */
  share: number;
}

/** The most frequent values of a column. */
export interface CategorySummary {
  /** By decreasing count; ties by value (code-unit order for text, numeric order for numbers). */
  top: CategoryCount[];
  /** Observed values outside `top`. */
  otherCount: number;
  /** Distinct values outside `top`. */
  otherValues: number;
}

/** String lengths (UTF-16 code units) of a text column's observed values. */
export interface LengthSummary {
  min: number;
  mean: number;
  max: number;
}

/** Everything the profile reports about one column (its schema entry plus statistics). */
export interface ColumnProfile extends ColumnSchema {
  /** Observed (non-missing) values. */
  count: number;
  missing: number;
  /** `missing / nRows`. */
  missingShare: number;
  /** Distinct observed values. */
  distinct: number;
  /** For columns read as numbers with at least one observed value. */
  numeric: NumericSummary | null;
  /** For roles categorical, target and constant. */
  categories: CategorySummary | null;
  /** For columns not read as numbers. */
  lengths: LengthSummary | null;
  /** Earliest and latest value (DuckDB's text form) of a datetime column. */
  range: { min: string; max: string } | null;
}

/** Where values are missing. */
export interface MissingSummary {
  /** Missing cells in the table. */
  cells: number;
  /** `cells / (nRows * nColumns)`. */
  cellShare: number;
  /** Rows with at least one missing value. */
  rows: number;
  /** `rows / nRows`. */
  rowShare: number;
  /** Rows with a missing value in a feature column (what dropping rows would cost). */
  featureRows: number;
  /** Columns with missing values, most missing first (ties in table order). */
  columns: { name: string; missing: number; share: number }[];
}

/** The Hopkins statistic of the standardised numeric features. */
export interface HopkinsSummary extends HopkinsStatistic {
  /** The numeric features used. */
  columns: string[];
  /** Rows with every such feature observed (before the reference subset). */
  rows: number;
  /** A short reading, e.g. `"strong clustering tendency"`. */
  interpretation: string;
}

/** The result of `profileTable`. Plain JSON data: deterministic for a given table, options and seed. */
export interface DatasetProfile {
  version: 1;
  /** Where the table came from. */
  source: string;
  nRows: number;
  nColumns: number;
  /** The seed the samples were drawn with. */
  seed: number;
  /** One per table column, in order. */
  columns: ColumnProfile[];
  /** Feature columns (roles numeric and categorical), in table order. */
  features: string[];
  /** The target column, or null. */
  target: string | null;
  missing: MissingSummary;
  /** Pearson correlations of the numeric features (null with fewer than 2). */
  correlation: CorrelationSummary | null;
  /** Clustering tendency of the standardised numeric features (null when not computable; see `notes`). */
  hopkins: HopkinsSummary | null;
  /** 2-D PCA of the standardised numeric features (null with fewer than 2; see `notes`). */
  pca: PcaPreview | null;
  /** Why a summary was not computed, and warnings. */
  notes: string[];
}

interface Sizes {
  seed: number;
  bins: number;
  topCategories: number;
  topCorrelations: number;
  previewPoints: number;
  hopkinsReferenceRows: number;
  sampleRows: number;
}

function positiveInteger(name: string, value: number | undefined, fallback: number, min = 1): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) throw invalid(name, v, `must be an integer >= ${min}`);
  return v;
}

function sizes(options: ProfileOptions): Sizes {
  const seed = options.seed ?? 0;
  if (!Number.isFinite(seed)) throw invalid("seed", seed, "must be a finite number");
  return {
    seed,
    bins: positiveInteger("histogramBins", options.histogramBins, 20),
    topCategories: positiveInteger("topCategories", options.topCategories, 10, 0),
    topCorrelations: positiveInteger("topCorrelations", options.topCorrelations, 10, 0),
    previewPoints: positiveInteger("previewPoints", options.previewPoints, 5000),
    hopkinsReferenceRows: positiveInteger("hopkinsReferenceRows", options.hopkinsReferenceRows, 5000, 2),
    sampleRows: positiveInteger("sampleRows", options.sampleRows, 100_000, 2),
  };
}

type Entry<V> = [value: V, count: number, order: number];

/**
 * Keeps the `k` best entries in one pass, O(N k) without a full sort: larger count first, then
 * smaller `order`, then smaller value (code-unit order for strings).
 */
function topK<V extends string | number>(entries: Iterable<Entry<V>>, k: number): Entry<V>[] {
  const best: Entry<V>[] = [];
  const before = (a: Entry<V>, b: Entry<V>) =>
    a[1] > b[1] || (a[1] === b[1] && (a[2] < b[2] || (a[2] === b[2] && a[0] < b[0])));
  if (k === 0) return best;
  for (const e of entries) {
    if (best.length === k && !before(e, best[k - 1])) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && before(e, best[at - 1])) {
      best[at] = best[at - 1];
      at--;
    }
    best[at] = e;
  }
  return best;
}

function* stringEntries(counts: ReadonlyMap<string, number>): Iterable<Entry<string>> {
  for (const [value, count] of counts) yield [value, count, 0];
}

/** Runs of equal sorted values; the run index makes numeric order the tie-break. */
function* numberEntries(sorted: Float64Array): Iterable<Entry<number>> {
  for (let i = 0, run = 0; i < sorted.length; run++) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    yield [sorted[i], j - i, run];
    i = j;
  }
}

function categorySummary(f: ColumnFacts, k: number): CategorySummary {
  const entries: Entry<string | number>[] =
    f.kind === "numeric" ? topK(numberEntries(f.sorted), k) : topK(stringEntries(f.counts), k);
  let shown = 0;
  for (const e of entries) shown += e[1];
  return {
    top: entries.map(([value, count]) => ({ value: String(value), count, share: f.count > 0 ? count / f.count : 0 })),
    otherCount: f.count - shown,
    otherValues: f.distinct - entries.length,
  };
}

function columnProfile(schema: ColumnSchema, f: ColumnFacts, s: Sizes): ColumnProfile {
  const withCategories: ColumnRole[] = ["categorical", "target", "constant"];
  let range: { min: string; max: string } | null = null;
  if (f.kind === "string" && schema.role === "datetime" && f.count > 0) {
    let min: string | undefined;
    let max: string | undefined;
    for (const key of f.counts.keys()) {
      if (min === undefined || key < min) min = key;
      if (max === undefined || key > max) max = key;
    }
    range = { min: min!, max: max! };
  }
  return {
    ...schema,
    count: f.count,
    missing: f.missing,
    missingShare: f.n > 0 ? f.missing / f.n : 0,
    distinct: f.distinct,
    numeric: f.kind === "numeric" && f.count > 0 ? numericSummary(f.sorted, s.bins) : null,
    categories: withCategories.includes(schema.role) && f.count > 0 ? categorySummary(f, s.topCategories) : null,
    lengths: f.kind === "string" && f.count > 0 ? lengthSummary(f) : null,
    range,
  };
}

function lengthSummary(f: StringFacts): LengthSummary {
  return { min: f.minLength, mean: f.meanLength, max: f.maxLength };
}

function missingSummary(table: Table, facts: readonly ColumnFacts[], features: readonly string[]): MissingSummary {
  const n = table.nRows;
  const anyMissing = new Uint8Array(n);
  const featureMissing = new Uint8Array(n);
  const featureSet = new Set(features);
  let cells = 0;
  table.columns.forEach((column, j) => {
    if (facts[j].missing === 0) return;
    cells += facts[j].missing;
    const isFeature = featureSet.has(column.name);
    if (column.kind === "numeric") {
      const v = column.values;
      for (let i = 0; i < n; i++) {
        if (Number.isNaN(v[i])) {
          anyMissing[i] = 1;
          if (isFeature) featureMissing[i] = 1;
        }
      }
    } else {
      const v = column.values;
      for (let i = 0; i < n; i++) {
        if (v[i] === null) {
          anyMissing[i] = 1;
          if (isFeature) featureMissing[i] = 1;
        }
      }
    }
  });
  let rows = 0;
  let featureRows = 0;
  for (let i = 0; i < n; i++) {
    rows += anyMissing[i];
    featureRows += featureMissing[i];
  }
  const columns = facts
    .filter((f) => f.missing > 0)
    .map((f) => ({ name: f.name, missing: f.missing, share: n > 0 ? f.missing / n : 0 }))
    .sort((a, b) => b.missing - a.missing);
  const totalCells = n * table.columns.length;
  return {
    cells,
    cellShare: totalCells > 0 ? cells / totalCells : 0,
    rows,
    rowShare: n > 0 ? rows / n : 0,
    featureRows,
    columns,
  };
}

/**
 * The rows where every numeric feature is finite, standardised: `z = (x - mean) / std` with the mean
 * and population standard deviation over all those rows (as core's `StandardScaler`). Above
 * `maxRows` such rows, only a seeded sample of `maxRows` of them (in table order) is returned.
 * Columns constant on those rows are left out.
 */
function standardizedCompleteRows(
  columns: readonly NumericColumn[],
  maxRows: number,
  seed: number,
): { Z: Matrix; names: string[]; rowIndex: Int32Array; completeRows: number; constant: string[] } {
  const n = columns.length > 0 ? columns[0].values.length : 0;
  const complete = new Uint8Array(n).fill(1);
  for (const c of columns) {
    const v = c.values;
    for (let i = 0; i < n; i++) if (v[i] - v[i] !== 0) complete[i] = 0;
  }
  let completeRows = 0;
  for (let i = 0; i < n; i++) completeRows += complete[i];
  let rowIndex = new Int32Array(completeRows);
  for (let i = 0, r = 0; i < n; i++) if (complete[i]) rowIndex[r++] = i;
  if (completeRows > maxRows) {
    const picked = new Random(seed).sampleWithoutReplacement(completeRows, maxRows).sort();
    rowIndex = picked.map((k) => rowIndex[k]);
  }
  const rows = rowIndex.length;
  const kept: NumericColumn[] = [];
  const means: number[] = [];
  const scales: number[] = [];
  const constant: string[] = [];
  for (const c of columns) {
    const v = c.values;
    let sum = 0;
    for (let i = 0; i < n; i++) if (complete[i]) sum += v[i];
    const mean = completeRows > 0 ? sum / completeRows : 0;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      if (!complete[i]) continue;
      const t = v[i] - mean;
      ss += t * t;
    }
    const std = completeRows > 0 ? Math.sqrt(ss / completeRows) : 0;
    if (!(std > 64 * Number.EPSILON * Math.abs(mean))) {
      constant.push(c.name);
      continue;
    }
    kept.push(c);
    means.push(mean);
    scales.push(std);
  }
  const d = kept.length;
  const data = new Float64Array(rows * d);
  for (let j = 0; j < d; j++) {
    const v = kept[j].values;
    const mean = means[j];
    const scale = scales[j];
    for (let r = 0; r < rows; r++) data[r * d + j] = (v[rowIndex[r]] - mean) / scale;
  }
  return { Z: { rows, cols: d, data }, names: kept.map((c) => c.name), rowIndex, completeRows, constant };
}

/**
 * Profiles a table for exploratory analysis: the role of each column (`inferSchema`, with the
 * user's roles), per-column statistics (missing values, distinct values, mean, standard deviation,
 * quantiles 5/25/50/75/95, skewness, Tukey outliers, a histogram; the most frequent categories;
 * string lengths), missingness by row and column, Pearson correlations of the numeric features,
 * the Hopkins statistic of clustering tendency and a 2-D PCA preview (both on the numeric
 * features, standardised, over the rows where all of them are observed).
 *
 * Runs on the in-memory columns: one sort per numeric column, one hash pass per text column, one
 * pass per pair of numeric features; 1M rows x 16 numeric columns take about 2 s. Deterministic
 * for a given `seed`.
 */
export function profileTable(table: Table, options: ProfileOptions = {}): DatasetProfile {
  const s = sizes(options);
  const facts = table.columns.map(columnFacts);
  const schema = inferSchemaFromFacts(table, facts, options);
  const columns = schema.columns.map((c, j) => columnProfile(c, facts[j], s));
  const notes: string[] = [];

  const numericFeatures = table.columns.filter(
    (c, j): c is NumericColumn => c.kind === "numeric" && schema.columns[j].role === "numeric",
  );
  let correlation: CorrelationSummary | null = null;
  if (numericFeatures.length >= 2) {
    const names = numericFeatures.map((c) => c.name);
    const matrix = pearsonCorrelation(numericFeatures.map((c) => c.values));
    correlation = { columns: names, matrix, top: topCorrelations(names, matrix, s.topCorrelations) };
  } else {
    notes.push(`correlations not computed: ${numericFeatures.length} numeric feature (need 2)`);
  }

  let hopkins: HopkinsSummary | null = null;
  let pca: PcaPreview | null = null;
  if (numericFeatures.length === 0) {
    notes.push("Hopkins statistic and PCA preview not computed: no numeric features");
  } else {
    const { Z, names, rowIndex, completeRows, constant } = standardizedCompleteRows(
      numericFeatures,
      s.sampleRows,
      s.seed,
    );
    if (constant.length > 0) {
      notes.push(
        `left out of the Hopkins statistic and PCA preview (constant on complete rows): ${constant.join(", ")}`,
      );
    }
    if (completeRows < table.nRows) {
      notes.push(
        `Hopkins statistic and PCA preview use the ${completeRows} of ${table.nRows} rows with every numeric feature observed`,
      );
    }
    if (Z.rows < completeRows) {
      notes.push(`Hopkins statistic and PCA preview computed on a seeded sample of ${Z.rows} of ${completeRows} rows`);
    }
    if (Z.cols === 0 || Z.rows < 3) {
      notes.push(`Hopkins statistic not computed: ${Z.rows} complete rows and ${Z.cols} non-constant numeric features`);
    } else {
      const h = hopkinsStatistic(Z, {
        seed: s.seed,
        maxReferenceRows: s.hopkinsReferenceRows,
        sampleSize: options.hopkinsSampleSize,
      });
      hopkins = { ...h, columns: names, rows: completeRows, interpretation: interpretHopkins(h.statistic) };
    }
    if (Z.cols < 2 || Z.rows < 2) {
      notes.push("PCA preview not computed: needs 2 non-constant numeric features and 2 complete rows");
    } else {
      const result = pcaPreview(Z, names, rowIndex, { maxPoints: s.previewPoints, seed: s.seed });
      pca = result.preview;
      notes.push(...result.warnings.map((w) => `PCA: ${w}`));
    }
  }

  return {
    version: 1,
    source: table.source,
    nRows: table.nRows,
    nColumns: table.columns.length,
    seed: s.seed,
    columns,
    features: schema.features,
    target: schema.target,
    missing: missingSummary(table, facts, schema.features),
    correlation,
    hopkins,
    pca,
    notes,
  };
}
