/**
 * The Porter stemming algorithm, as published: M. F. Porter, "An algorithm for suffix stripping",
 * Program 14(3), 130-137, 1980. Steps 1a, 1b (with its clean-up rules), 1c, 2, 3, 4, 5a and 5b,
 * each applying only the rule with the longest matching suffix (when that rule's condition fails, the
 * step does nothing). Step 2 uses the paper's `abli -> able` (the later reference C code changed it to
 * `bli -> ble` and added `logi -> log`; those departures are not applied here). As in the reference
 * implementations, words of one or two letters are returned unchanged.
 *
 * The input must be a lowercase ASCII word (`a`-`z`); anything else is returned unchanged, since the
 * rules are defined for English spelling only.
 *
 * ```ts
 * porterStem("caresses"); // "caress"
 * porterStem("ponies"); // "poni"
 * porterStem("relational"); // "relat"
 * ```
 */
export function porterStem(word: string): string {
  if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word;
  let w = step1a(word);
  w = step1b(w);
  w = step1c(w);
  w = applyRules(w, STEP2, 0);
  w = applyRules(w, STEP3, 0);
  w = step4(w);
  w = step5a(w);
  return step5b(w);
}

function isConsonant(w: string, i: number): boolean {
  switch (w.charCodeAt(i)) {
    case 97: // a
    case 101: // e
    case 105: // i
    case 111: // o
    case 117: // u
      return false;
    case 121: // y: a consonant at the start or after a vowel, a vowel after a consonant
      return i === 0 ? true : !isConsonant(w, i - 1);
    default:
      return true;
  }
}

/** The measure m of a stem written [C](VC)^m[V]: the number of vowel-consonant sequences. */
export function porterMeasure(stem: string): number {
  const n = stem.length;
  let i = 0;
  while (i < n && isConsonant(stem, i)) i++;
  let m = 0;
  while (i < n) {
    while (i < n && !isConsonant(stem, i)) i++;
    if (i >= n) break;
    while (i < n && isConsonant(stem, i)) i++;
    m++;
  }
  return m;
}

/** *v*: the stem contains a vowel. */
function hasVowel(stem: string): boolean {
  for (let i = 0; i < stem.length; i++) if (!isConsonant(stem, i)) return true;
  return false;
}

/** *d: the stem ends with a double consonant. */
function endsDoubleConsonant(stem: string): boolean {
  const n = stem.length;
  return n >= 2 && stem[n - 1] === stem[n - 2] && isConsonant(stem, n - 1);
}

/** *o: the stem ends consonant-vowel-consonant, the last consonant not w, x or y. */
function endsCvc(stem: string): boolean {
  const n = stem.length;
  if (n < 3) return false;
  if (!isConsonant(stem, n - 3) || isConsonant(stem, n - 2) || !isConsonant(stem, n - 1)) return false;
  const last = stem[n - 1];
  return last !== "w" && last !== "x" && last !== "y";
}

function step1a(w: string): string {
  if (w.endsWith("sses")) return w.slice(0, -2);
  if (w.endsWith("ies")) return w.slice(0, -2);
  if (w.endsWith("ss")) return w;
  if (w.endsWith("s")) return w.slice(0, -1);
  return w;
}

function step1b(w: string): string {
  if (w.endsWith("eed")) {
    const stem = w.slice(0, -3);
    return porterMeasure(stem) > 0 ? `${stem}ee` : w;
  }
  let stem: string;
  if (w.endsWith("ed")) stem = w.slice(0, -2);
  else if (w.endsWith("ing")) stem = w.slice(0, -3);
  else return w;
  if (!hasVowel(stem)) return w;
  // Clean-up after removing -ed or -ing.
  if (stem.endsWith("at") || stem.endsWith("bl") || stem.endsWith("iz")) return `${stem}e`;
  if (endsDoubleConsonant(stem)) {
    const last = stem[stem.length - 1];
    return last === "l" || last === "s" || last === "z" ? stem : stem.slice(0, -1);
  }
  if (porterMeasure(stem) === 1 && endsCvc(stem)) return `${stem}e`;
  return stem;
}

function step1c(w: string): string {
  if (w.endsWith("y")) {
    const stem = w.slice(0, -1);
    if (hasVowel(stem)) return `${stem}i`;
  }
  return w;
}

/** Suffix rules `[suffix, replacement]`, longest first within each step. */
type Rules = readonly (readonly [string, string])[];

const STEP2: Rules = sortRules([
  ["ational", "ate"],
  ["tional", "tion"],
  ["enci", "ence"],
  ["anci", "ance"],
  ["izer", "ize"],
  ["abli", "able"],
  ["alli", "al"],
  ["entli", "ent"],
  ["eli", "e"],
  ["ousli", "ous"],
  ["ization", "ize"],
  ["ation", "ate"],
  ["ator", "ate"],
  ["alism", "al"],
  ["iveness", "ive"],
  ["fulness", "ful"],
  ["ousness", "ous"],
  ["aliti", "al"],
  ["iviti", "ive"],
  ["biliti", "ble"],
]);

const STEP3: Rules = sortRules([
  ["icate", "ic"],
  ["ative", ""],
  ["alize", "al"],
  ["iciti", "ic"],
  ["ical", "ic"],
  ["ful", ""],
  ["ness", ""],
]);

const STEP4_SUFFIXES: readonly string[] = [
  "al",
  "ance",
  "ence",
  "er",
  "ic",
  "able",
  "ible",
  "ant",
  "ement",
  "ment",
  "ent",
  "ion",
  "ou",
  "ism",
  "ate",
  "iti",
  "ous",
  "ive",
  "ize",
].sort((a, b) => b.length - a.length);

function sortRules(rules: [string, string][]): Rules {
  return rules.sort((a, b) => b[0].length - a[0].length);
}

/** Applies the rule with the longest matching suffix when the stem's measure exceeds `minMeasure`. */
function applyRules(w: string, rules: Rules, minMeasure: number): string {
  for (const [suffix, replacement] of rules) {
    if (w.endsWith(suffix)) {
      const stem = w.slice(0, w.length - suffix.length);
      return porterMeasure(stem) > minMeasure ? stem + replacement : w;
    }
  }
  return w;
}

function step4(w: string): string {
  for (const suffix of STEP4_SUFFIXES) {
    if (w.endsWith(suffix)) {
      const stem = w.slice(0, w.length - suffix.length);
      if (porterMeasure(stem) <= 1) return w;
      if (suffix === "ion" && !(stem.endsWith("s") || stem.endsWith("t"))) return w;
      return stem;
    }
  }
  return w;
}

function step5a(w: string): string {
  if (!w.endsWith("e")) return w;
  const stem = w.slice(0, -1);
  const m = porterMeasure(stem);
  if (m > 1 || (m === 1 && !endsCvc(stem))) return stem;
  return w;
}

function step5b(w: string): string {
  if (porterMeasure(w) > 1 && endsDoubleConsonant(w) && w.endsWith("l")) return w.slice(0, -1);
  return w;
}
