import {
  type DistinguishingFeature,
  decisionTreeRules,
  type SegmentProfiles,
  type SegmentRules,
  segmentNames,
  segmentProfiles,
} from "@clusterlab/core";
import { DataError } from "../errors.js";
import type { Table } from "../table.js";
import { segmentFrame } from "./segmentFrame.js";

/** Options for `explainSegments`. */
export interface ExplainSegmentsOptions {
  /** The clustering's feature columns: profiled, and used by the rules. Required (at least one). */
  features: readonly string[];
  /** Feature or described columns taken as categories even when numeric. Default: none (text columns are categories). */
  categorical?: readonly string[];
  /** Other columns to profile, not used by the rules (e.g. who the segment's customers are). Default: none. */
  describe?: readonly string[];
  /** Table row of each label, when the labels cover only some rows (rows dropped for missing values). Default: label i is row i. */
  rowIndex?: Int32Array;
  /** Depth of the rule trees (conditions per alternative). Default 3. */
  treeDepth?: number;
  /** Fewest rows in a rule tree's leaf. Default max(1, round(0.03 n)). */
  minSamplesLeaf?: number;
  /** Distinguishing features listed per segment. Default 5. */
  topFeatures?: number;
  /** Features in a segment's name. Default 2. */
  nameParts?: number;
}

/** One segment, explained: what `explainSegments` lists per segment. */
export interface SegmentSummary {
  /** Cluster label (-1: noise). */
  label: number;
  /** `"0"`, `"1"`, ... or `"noise"`. */
  id: string;
  /** Generated name, unique among the segments (`segmentNames`). */
  name: string;
  size: number;
  share: number;
  /** The most distinguishing features, strongest first (see `segmentProfiles`). */
  topFeatures: DistinguishingFeature[];
  /** Surrogate-tree rule (`decisionTreeRules`) and its precision / recall on the rows. */
  rule: string;
  precision: number;
  recall: number;
  /** False when no tree leaf has a majority of the segment (the rule is the purest leaf). */
  ruleIsMajority: boolean;
}

/** What `explainSegments` returns. */
export interface SegmentsExplanation {
  /** Where the table came from. */
  source: string;
  /** Rows explained (the labelled rows). */
  nSamples: number;
  features: string[];
  describe: string[];
  segments: SegmentSummary[];
  /** The full profiles (every feature and described column, per segment). */
  profiles: SegmentProfiles;
  /** The full rules (alternatives and their conditions). */
  rules: SegmentRules;
}

/**
 * Explains a clustering of a table's rows in plain terms: per segment (cluster, and the noise rows
 * as a segment of their own) its size and share, its most distinguishing features (core
 * `segmentProfiles`: Cohen's d for numbers, category lifts and Cramér's V for categories), a short
 * rule from a shallow one-vs-rest surrogate decision tree on the feature columns (core
 * `decisionTreeRules`) with its precision and recall, and a generated name (core `segmentNames`).
 *
 * `labels` holds one cluster per labelled row (-1 = noise); with `rowIndex` they belong to those
 * table rows. Feature columns must have no missing values at the labelled rows (described columns may).
 */
export function explainSegments(
  table: Table,
  labels: ArrayLike<number>,
  options: ExplainSegmentsOptions,
): SegmentsExplanation {
  const features = [...options.features];
  const describe = [...(options.describe ?? [])];
  if (features.length === 0) throw new DataError("no feature columns to explain the segments with");
  for (const name of describe) {
    if (features.includes(name)) {
      throw new DataError(`column ${JSON.stringify(name)} is a feature; --describe takes other columns`);
    }
  }
  const n = options.rowIndex ? options.rowIndex.length : table.nRows;
  if (labels.length !== n) {
    throw new DataError(`got ${labels.length} labels for ${n} rows of ${table.source}`);
  }
  const frameOptions = {
    ...(options.categorical && { categorical: options.categorical }),
    ...(options.rowIndex && { rowIndex: options.rowIndex }),
  };
  const profiled = segmentFrame(table, [...features, ...describe], frameOptions);
  const featureFrame = {
    names: features,
    columns: profiled.columns.slice(0, features.length),
    rows: profiled.rows,
  };
  const profiles = segmentProfiles(profiled, labels, {
    ...(options.topFeatures !== undefined && { topFeatures: options.topFeatures }),
  });
  const rules = decisionTreeRules(featureFrame, labels, {
    ...(options.treeDepth !== undefined && { maxDepth: options.treeDepth }),
    ...(options.minSamplesLeaf !== undefined && { minSamplesLeaf: options.minSamplesLeaf }),
  });
  const names = segmentNames(profiles, { ...(options.nameParts !== undefined && { parts: options.nameParts }) });
  const segments = profiles.segments.map((s, i): SegmentSummary => {
    const rule = rules.rules[i];
    return {
      label: s.label,
      id: s.id,
      name: names[i],
      size: s.size,
      share: s.share,
      topFeatures: s.topFeatures,
      rule: rule.rule,
      precision: rule.precision,
      recall: rule.recall,
      ruleIsMajority: rule.majority,
    };
  });
  return { source: table.source, nSamples: n, features, describe, segments, profiles, rules };
}
