import {
  AgglomerativeClustering,
  adjustedRandScore,
  type CsrMatrix,
  checkChoice,
  checkInt,
  consoleLogger,
  createTokenizer,
  csrTakeRows,
  HDBSCAN,
  homogeneityCompletenessVMeasure,
  type Logger,
  type Matrix,
  normalizedMutualInfoScore,
  PCA,
  SphericalKMeans,
  silentLogger,
  TfidfVectorizer,
  type TfidfVectorizerOptions,
  type TokenizeOptions,
  TruncatedSVD,
} from "@clusterlab/core";
import { DataError } from "../errors.js";

/** Clustering algorithms for documents. */
export const TEXT_ALGORITHMS = ["kmeans", "agglomerative", "hdbscan"] as const;
export type TextAlgorithm = (typeof TEXT_ALGORITHMS)[number];

/** Default number of LSA dimensions. */
export const DEFAULT_LSA_COMPONENTS = 100;

/** The TF-IDF settings `clusterDocuments` uses unless told otherwise. */
export const DEFAULT_TEXT_TFIDF: Readonly<TfidfVectorizerOptions> = Object.freeze({
  sublinearTf: true,
  minDf: 2,
  maxDf: 0.95,
});

/** Options for `clusterDocuments`. */
export interface ClusterDocumentsOptions {
  /** Number of clusters (k-means and agglomerative; HDBSCAN finds its own). Default 8. */
  nClusters?: number;
  /**
   * `"kmeans"`: spherical k-means (cosine) on the LSA embedding, or on the TF-IDF rows with `lsa: 0`.
   * `"agglomerative"`: average linkage on the cosine distance of the LSA embedding. `"hdbscan"`: HDBSCAN
   * on the L2-normalised LSA embedding (Euclidean distance there is a monotone function of the cosine).
   * Default `"kmeans"`.
   */
  algorithm?: TextAlgorithm;
  /**
   * LSA dimensions: the TF-IDF matrix is reduced by truncated SVD to this many components and the rows
   * are L2-normalised. 0 clusters the TF-IDF rows directly (k-means only). Capped at the number of
   * documents and terms minus one. Default 100.
   */
  lsa?: number;
  /** How documents are split into terms (see `createTokenizer`). Default: English stop words, no stemming. */
  tokenizer?: TokenizeOptions;
  /** TF-IDF settings, merged over `DEFAULT_TEXT_TFIDF` (sublinear tf, minDf 2, maxDf 0.95). */
  tfidf?: TfidfVectorizerOptions;
  /** Spherical k-means runs from different seedings (the best is kept). Default 4. */
  nInit?: number;
  /** HDBSCAN's smallest cluster. Default 10. */
  minClusterSize?: number;
  /** Terms listed per cluster. Default 10. */
  nTopTerms?: number;
  /** Representative documents listed per cluster. Default 3. */
  nRepresentatives?: number;
  /** Known classes of the documents (e.g. a label column) for external metrics; `null` is a class of its own. */
  labels?: readonly (string | null)[];
  /** Seed of the SVD sketch, the k-means seeding and the map. Default 0. */
  seed?: number;
  /** Receives warnings. Default `consoleLogger`. */
  logger?: Logger;
}

/** A term and its weight in a cluster's mean TF-IDF vector. */
export interface TopTerm {
  term: string;
  weight: number;
}

/** A document close to its cluster's centre. */
export interface Representative {
  /** Row of the document in the input. */
  index: number;
  /** Cosine similarity to the cluster centre in the clustering space. */
  similarity: number;
}

/** Summary of one cluster. */
export interface DocumentCluster {
  cluster: number;
  size: number;
  /** Terms of largest weight in the mean TF-IDF vector of the cluster's documents. */
  topTerms: TopTerm[];
  /** Documents most similar to the cluster centre, most similar first. */
  representatives: Representative[];
}

/** External agreement with known classes. */
export interface ExternalScores {
  adjustedRandIndex: number;
  normalizedMutualInfo: number;
  vMeasure: number;
  homogeneity: number;
  completeness: number;
  /** Documents per (cluster, class): `counts[i][j]` for `clusters[i]` and `classes[j]`. */
  contingency: { clusters: number[]; classes: string[]; counts: number[][] };
}

/** The result of `clusterDocuments`. */
export interface DocumentClustering {
  /**
   * Cluster of every document, numbered by decreasing size; -1 for a document without any kept term
   * and for HDBSCAN noise.
   */
  labels: Int32Array;
  nClusters: number;
  nDocuments: number;
  /** Documents left without any term after tokenising and the document-frequency bounds. */
  nEmpty: number;
  /** HDBSCAN noise documents. */
  nNoise: number;
  vocabularySize: number;
  algorithm: TextAlgorithm;
  /** LSA dimensions used (0: none) and the share of the TF-IDF variance they explain. */
  lsa: { nComponents: number; explainedVarianceRatio: number };
  clusters: DocumentCluster[];
  /** A 2-D map of the documents (PCA of the normalised LSA embedding); NaN for empty documents. */
  map: { x: Float64Array; y: Float64Array; explainedVarianceRatio: [number, number] };
  external: ExternalScores | null;
  warnings: string[];
  timings: {
    tokenizeSeconds: number;
    tfidfSeconds: number;
    lsaSeconds: number;
    clusterSeconds: number;
    summarySeconds: number;
    totalSeconds: number;
  };
}

function seconds(start: number): number {
  return Math.round(performance.now() - start) / 1000;
}

/** Scales each row of a dense matrix to unit L2 norm in place (zero rows stay zero). */
function normalizeRows(m: Matrix): Matrix {
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let j = 0; j < m.cols; j++) s += m.data[i * m.cols + j] ** 2;
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let j = 0; j < m.cols; j++) m.data[i * m.cols + j] *= inv;
    }
  }
  return m;
}

/** LSA of the active rows: TruncatedSVD + row normalisation. */
function lsaEmbedding(X: CsrMatrix, components: number, seed: number): { Z: Matrix; ratio: number } {
  const model = new TruncatedSVD({ nComponents: components, seed }).fit(X);
  const ratio = model.explainedVarianceRatio.reduce((a, b) => a + b, 0);
  return { Z: normalizeRows(model.transform(X)), ratio };
}

/**
 * Clusters documents by topic: tokenise (Unicode-aware, stop words, optional Porter stemming), weight
 * by TF-IDF (sublinear tf, min/max document frequency), reduce by LSA (truncated SVD, rows
 * L2-normalised), cluster with spherical k-means, average-linkage cosine agglomerative clustering or
 * HDBSCAN; then describe each cluster by its top terms (largest weights of the mean TF-IDF vector) and
 * representative documents (most similar to the centre), place the documents on a 2-D map (PCA of the
 * LSA embedding) and, given known classes, score the agreement (ARI, NMI, V-measure).
 *
 * ```ts
 * const result = clusterDocuments(texts, { nClusters: 5, labels: classes });
 * result.clusters[0].topTerms; result.external?.normalizedMutualInfo;
 * ```
 */
export function clusterDocuments(
  texts: readonly (string | null)[],
  options: ClusterDocumentsOptions = {},
): DocumentClustering {
  const start = performance.now();
  const algorithm = checkChoice(options.algorithm ?? "kmeans", "algorithm", TEXT_ALGORITHMS);
  const k = checkInt(options.nClusters ?? 8, "nClusters", 1);
  const lsaRequested = checkInt(options.lsa ?? DEFAULT_LSA_COMPONENTS, "lsa", 0);
  const nInit = checkInt(options.nInit ?? 4, "nInit", 1);
  const minClusterSize = checkInt(options.minClusterSize ?? 10, "minClusterSize", 2);
  const nTopTerms = checkInt(options.nTopTerms ?? 10, "nTopTerms", 0);
  const nRepresentatives = checkInt(options.nRepresentatives ?? 3, "nRepresentatives", 0);
  const seed = checkInt(options.seed ?? 0, "seed", 0);
  const baseLogger = options.logger ?? consoleLogger;
  const warnings: string[] = [];
  const logger: Logger = {
    warn(message: string) {
      warnings.push(message);
      baseLogger.warn(message);
    },
  };
  if (lsaRequested === 0 && algorithm !== "kmeans") {
    throw new DataError(`algorithm "${algorithm}" needs an LSA embedding (lsa >= 1)`);
  }
  const n = texts.length;
  if (options.labels !== undefined && options.labels.length !== n) {
    throw new DataError(`labels has ${options.labels.length} values for ${n} documents`);
  }
  let nonBlank = 0;
  for (const t of texts) if (t !== null && t.trim() !== "") nonBlank++;
  if (nonBlank === 0) throw new DataError("no text: every document is empty");

  // 1. Tokens.
  const tokStart = performance.now();
  const tokenize = createTokenizer(options.tokenizer);
  const tokens = texts.map((t) => (t === null ? [] : tokenize(t)));
  const tokenizeSeconds = seconds(tokStart);

  // 2. TF-IDF.
  const tfidfStart = performance.now();
  let tfidf: ReturnType<TfidfVectorizer["fitTransform"]>;
  try {
    tfidf = new TfidfVectorizer({ ...DEFAULT_TEXT_TFIDF, ...options.tfidf }).fitTransform(tokens);
  } catch (error) {
    throw new DataError(`TF-IDF: ${(error as Error).message}`);
  }
  const { model: vectorizer, matrix: full } = tfidf;
  const activeList: number[] = [];
  for (let i = 0; i < n; i++) if (full.indptr[i + 1] > full.indptr[i]) activeList.push(i);
  const active = Int32Array.from(activeList);
  const nActive = active.length;
  const nEmpty = n - nActive;
  if (nEmpty > 0)
    logger.warn(`${nEmpty} of ${n} documents have no term left after tokenising and pruning (cluster -1)`);
  if (nActive < 2) throw new DataError(`only ${nActive} document has any term: nothing to cluster`);
  if (algorithm !== "hdbscan" && k > nActive) {
    throw new DataError(`invalid k: ${k} (must be <= the number of documents with terms, ${nActive})`);
  }
  const X = nEmpty > 0 ? csrTakeRows(full, active) : full;
  const tfidfSeconds = seconds(tfidfStart);

  // 3. LSA.
  const lsaStart = performance.now();
  const maxLsa = Math.max(1, Math.min(nActive - 1, X.cols - 1));
  let lsaComponents = Math.min(lsaRequested, maxLsa);
  if (lsaRequested > maxLsa) {
    logger.warn(`lsa=${lsaRequested} is more than the data allow: using ${maxLsa} components`);
  }
  let Z: Matrix | null = null;
  let lsaRatio = 0;
  if (lsaComponents > 0) {
    const e = lsaEmbedding(X, lsaComponents, seed);
    Z = e.Z;
    lsaRatio = e.ratio;
  } else {
    lsaComponents = 0;
  }
  const lsaSeconds = seconds(lsaStart);

  // 4. Clustering (on the active documents).
  const clusterStart = performance.now();
  let rawLabels: Int32Array;
  const space: CsrMatrix | Matrix = Z ?? X;
  switch (algorithm) {
    case "kmeans":
      rawLabels = new SphericalKMeans({ nClusters: k, nInit, seed, logger }).fit(space).labels;
      break;
    case "agglomerative":
      rawLabels = new AgglomerativeClustering({ nClusters: k, linkage: "average", metric: "cosine", logger }).fit(
        Z as Matrix,
      ).labels;
      break;
    case "hdbscan":
      if (minClusterSize > nActive) {
        throw new DataError(`minClusterSize ${minClusterSize} is more than the ${nActive} documents with terms`);
      }
      rawLabels = new HDBSCAN({ minClusterSize }).fit(Z as Matrix).labels;
      break;
  }
  const clusterSeconds = seconds(clusterStart);

  // 5. Renumber by decreasing size; map back to all documents.
  const summaryStart = performance.now();
  let kFound = 0;
  for (const l of rawLabels) if (l + 1 > kFound) kFound = l + 1;
  const sizes = new Int32Array(kFound);
  for (const l of rawLabels) if (l >= 0) sizes[l]++;
  const order = Array.from({ length: kFound }, (_, c) => c)
    .filter((c) => sizes[c] > 0)
    .sort((a, b) => sizes[b] - sizes[a] || a - b);
  const renumber = new Int32Array(kFound).fill(-1);
  order.forEach((c, i) => {
    renumber[c] = i;
  });
  const nClusters = order.length;
  const activeLabels = Int32Array.from(rawLabels, (l) => (l < 0 ? -1 : renumber[l]));
  const labels = new Int32Array(n).fill(-1);
  let nNoise = 0;
  for (let t = 0; t < nActive; t++) {
    labels[active[t]] = activeLabels[t];
    if (activeLabels[t] < 0) nNoise++;
  }

  // 6. Top terms: mean TF-IDF vector of each cluster.
  const V = X.cols;
  const mean = new Float64Array(nClusters * V);
  const clusterSize = new Int32Array(nClusters);
  for (let t = 0; t < nActive; t++) {
    const c = activeLabels[t];
    if (c < 0) continue;
    clusterSize[c]++;
    for (let p = X.indptr[t]; p < X.indptr[t + 1]; p++) mean[c * V + X.indices[p]] += X.data[p];
  }
  const clusters: DocumentCluster[] = [];
  for (let c = 0; c < nClusters; c++) {
    const row = mean.subarray(c * V, (c + 1) * V);
    for (let j = 0; j < V; j++) row[j] /= clusterSize[c];
    const top = topIndices(row, nTopTerms);
    clusters.push({
      cluster: c,
      size: clusterSize[c],
      topTerms: top.map((j) => ({ term: vectorizer.vocabulary[j], weight: row[j] })),
      representatives: representatives(space, activeLabels, c, nRepresentatives).map((r) => ({
        index: active[r.row],
        similarity: r.similarity,
      })),
    });
  }

  // 7. Map: PCA of the normalised LSA embedding (a small LSA when none was asked for).
  const mapX = new Float64Array(n).fill(Number.NaN);
  const mapY = new Float64Array(n).fill(Number.NaN);
  let mapRatio: [number, number] = [0, 0];
  const mapSpace = Z ?? lsaEmbedding(X, Math.min(20, maxLsa), seed).Z;
  if (mapSpace.cols >= 2 && nActive >= 2) {
    const pca = new PCA({ nComponents: 2, logger: silentLogger }).fit(mapSpace);
    const P = pca.transform(mapSpace);
    for (let t = 0; t < nActive; t++) {
      mapX[active[t]] = P.data[2 * t];
      mapY[active[t]] = P.data[2 * t + 1];
    }
    mapRatio = [pca.explainedVarianceRatio[0], pca.explainedVarianceRatio[1]];
  } else if (nActive >= 1) {
    for (let t = 0; t < nActive; t++) {
      mapX[active[t]] = mapSpace.data[t * mapSpace.cols];
      mapY[active[t]] = 0;
    }
  }

  // 8. External scores.
  const external = options.labels ? externalScores(options.labels, labels) : null;
  const summarySeconds = seconds(summaryStart);
  return {
    labels,
    nClusters,
    nDocuments: n,
    nEmpty,
    nNoise,
    vocabularySize: V,
    algorithm,
    lsa: { nComponents: lsaComponents, explainedVarianceRatio: lsaRatio },
    clusters,
    map: { x: mapX, y: mapY, explainedVarianceRatio: mapRatio },
    external,
    warnings,
    timings: {
      tokenizeSeconds,
      tfidfSeconds,
      lsaSeconds,
      clusterSeconds,
      summarySeconds,
      totalSeconds: seconds(start),
    },
  };
}

/** Indices of the `count` largest positive values, largest first (ties: lower index). */
function topIndices(values: Float64Array, count: number): number[] {
  const idx: number[] = [];
  for (let j = 0; j < values.length; j++) if (values[j] > 0) idx.push(j);
  idx.sort((a, b) => values[b] - values[a] || a - b);
  return idx.slice(0, count);
}

/** Rows of cluster c most similar (cosine) to the normalised mean of the cluster's normalised rows. */
function representatives(
  space: CsrMatrix | Matrix,
  labels: Int32Array,
  c: number,
  count: number,
): { row: number; similarity: number }[] {
  if (count === 0) return [];
  const d = space.cols;
  const sparse = "indptr" in space;
  const rowNorm = (i: number): number => {
    let s = 0;
    if (sparse) for (let p = space.indptr[i]; p < space.indptr[i + 1]; p++) s += space.data[p] ** 2;
    else for (let j = 0; j < d; j++) s += space.data[i * d + j] ** 2;
    return Math.sqrt(s);
  };
  const centre = new Float64Array(d);
  const members: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== c) continue;
    members.push(i);
    const norm = rowNorm(i);
    if (norm === 0) continue;
    if (sparse) {
      for (let p = space.indptr[i]; p < space.indptr[i + 1]; p++) centre[space.indices[p]] += space.data[p] / norm;
    } else {
      for (let j = 0; j < d; j++) centre[j] += space.data[i * d + j] / norm;
    }
  }
  let cn = 0;
  for (let j = 0; j < d; j++) cn += centre[j] * centre[j];
  cn = Math.sqrt(cn) || 1;
  const scored = members.map((i) => {
    const norm = rowNorm(i) || 1;
    let dot = 0;
    if (sparse)
      for (let p = space.indptr[i]; p < space.indptr[i + 1]; p++) dot += space.data[p] * centre[space.indices[p]];
    else for (let j = 0; j < d; j++) dot += space.data[i * d + j] * centre[j];
    return { row: i, similarity: dot / (norm * cn) };
  });
  scored.sort((a, b) => b.similarity - a.similarity || a.row - b.row);
  return scored.slice(0, count);
}

function externalScores(classes: readonly (string | null)[], labels: Int32Array): ExternalScores {
  const names = [...new Set(classes.map((c) => c ?? "(missing)"))].sort();
  const classIndex = new Map(names.map((c, i) => [c, i]));
  const truth = Int32Array.from(classes, (c) => classIndex.get(c ?? "(missing)") as number);
  const hcv = homogeneityCompletenessVMeasure(truth, labels);
  const clusterIds = [...new Set(labels)].sort((a, b) => a - b);
  const row = new Map(clusterIds.map((c, i) => [c, i]));
  const counts = clusterIds.map(() => new Array<number>(names.length).fill(0));
  for (let i = 0; i < labels.length; i++) counts[row.get(labels[i]) as number][truth[i]]++;
  return {
    adjustedRandIndex: adjustedRandScore(truth, labels),
    normalizedMutualInfo: normalizedMutualInfoScore(truth, labels),
    vMeasure: hcv.vMeasure,
    homogeneity: hcv.homogeneity,
    completeness: hcv.completeness,
    contingency: { clusters: clusterIds, classes: names, counts },
  };
}
