import { checkInt, checkNumber } from "../validate.js";
import type { DistinguishingFeature, SegmentProfiles } from "./segmentProfiles.js";

/** Options for `segmentNames`. */
export interface SegmentNamesOptions {
  /** Features named per segment (more are added only to make names unique). Default 2. */
  parts?: number;
  /**
   * Features with a smaller `effect` (association with membership, see `segmentProfiles`) are left
   * out of the first `parts`; a segment with none left is called `"Typical"`. Default 0.1.
   */
  minEffect?: number;
}

/**
 * The level word of a numeric feature from the segment mean's z-score in the whole data:
 * >= 1 `very high`, >= 0.3 `high`, > 0 `above-average`, 0 `average`, > -0.3 `below-average`,
 * > -1 `low`, else `very low`.
 */
export function levelWord(z: number): string {
  if (z >= 1) return "very high";
  if (z >= 0.3) return "high";
  if (z > 0) return "above-average";
  if (z === 0) return "average";
  if (z > -0.3) return "below-average";
  if (z > -1) return "low";
  return "very low";
}

/** A column name for people: `spending_score` -> `spending score`, `totalBill` -> `total bill`. */
export function humanizeName(name: string): string {
  const s = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_\-.\s]+/g, " ")
    .trim();
  return s === "" ? name : s.toLowerCase();
}

/**
 * The phrase naming one distinguishing feature: `very high income` (numeric, `levelWord` of its z),
 * `time: Dinner` (categorical: its most over-represented category), lower case.
 */
export function featurePhrase(f: DistinguishingFeature): string {
  if (f.kind === "numeric") return `${levelWord(f.z ?? 0)} ${humanizeName(f.feature)}`;
  if (f.category === undefined) return `mixed ${humanizeName(f.feature)}`;
  return `${humanizeName(f.feature)}: ${f.category === null ? "missing" : f.category}`;
}

function capitalize(s: string): string {
  return s.length === 0 ? s : s[0].toUpperCase() + s.slice(1);
}

/**
 * A short human-readable name per segment (in `profiles.segments` order) from its most
 * distinguishing features, e.g. `"High income, low spending score"`: the phrases (`featurePhrase`)
 * of its first `parts` top features with an effect of at least `minEffect`, joined with commas.
 * The noise group is `"Noise"`; a segment with no such feature is `"Typical"`.
 *
 * Names are unique: segments whose names collide get their next distinguishing features added one
 * at a time (any effect above 0); names still equal get a suffix ` (2)`, ` (3)`, ... in segment order.
 */
export function segmentNames(profiles: SegmentProfiles, options: SegmentNamesOptions = {}): string[] {
  const parts = checkInt(options.parts ?? 2, "parts", 1);
  const minEffect = checkNumber(options.minEffect ?? 0.1, "minEffect", { min: 0, max: 1 });
  const segs = profiles.segments;
  // Features with no association at all never name a segment.
  const phrases = segs.map((s) => s.topFeatures.filter((f) => f.effect > 0).map(featurePhrase));
  // used[i]: how many phrases segment i's name has.
  const used = segs.map((s) => {
    let c = 0;
    while (c < parts && c < s.topFeatures.length && s.topFeatures[c].effect >= minEffect) c++;
    return c;
  });
  const nameOf = (i: number): string => {
    if (segs[i].isNoise) return "Noise";
    if (used[i] === 0) return "Typical";
    return capitalize(phrases[i].slice(0, used[i]).join(", "));
  };
  let names = segs.map((_, i) => nameOf(i));
  for (;;) {
    const groups = new Map<string, number[]>();
    names.forEach((name, i) => {
      groups.set(name, [...(groups.get(name) ?? []), i]);
    });
    let grew = false;
    for (const members of groups.values()) {
      if (members.length < 2) continue;
      for (const i of members) {
        if (!segs[i].isNoise && used[i] < phrases[i].length) {
          used[i]++;
          grew = true;
        }
      }
    }
    if (!grew) break;
    names = segs.map((_, i) => nameOf(i));
  }
  const taken = new Set<string>();
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return names.map((name) => {
    if (counts.get(name) === 1) {
      taken.add(name);
      return name;
    }
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
    let k = 2;
    while (taken.has(`${name} (${k})`) || counts.has(`${name} (${k})`)) k++;
    const unique = `${name} (${k})`;
    taken.add(unique);
    return unique;
  });
}
