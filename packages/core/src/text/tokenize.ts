import { invalid } from "../errors.js";
import { checkInt } from "../validate.js";
import { ENGLISH_STOP_WORDS } from "./englishStopWords.js";
import { porterStem } from "./porterStemmer.js";

/** Options for `tokenize` and `createTokenizer`. */
export interface TokenizeOptions {
  /** Lowercase the text first (`String.prototype.toLowerCase`, locale-independent). Default true. */
  lowercase?: boolean;
  /**
   * Words to drop (compared after lowercasing, before stemming). Default `ENGLISH_STOP_WORDS`; `null`
   * or an empty list keeps every word.
   */
  stopWords?: readonly string[] | ReadonlySet<string> | null;
  /** Reduce each lowercase ASCII word to its Porter stem (`porterStem`). Default false. */
  stem?: boolean;
  /** Drop tokens shorter than this many characters (Unicode code points, counted before stemming). Default 2. */
  minLength?: number;
  /** Keep tokens made only of digits (`2002`, `10`). Default true. */
  numbers?: boolean;
}

/**
 * A token is a maximal run of Unicode letters, digits and combining marks (`[\p{L}\p{N}\p{M}]+`):
 * punctuation, spaces, symbols and underscores separate tokens, so `"don't"` gives `don` and `t`, and
 * `"e-mail"` gives `e` and `mail`.
 */
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
const DIGITS = /^\p{N}+$/u;

/**
 * Returns a tokenizer function with the options resolved once (stop-word set, stem cache): it splits a
 * text into tokens (see `TOKEN` above), lowercases them, drops short tokens, stop words and (if asked)
 * numbers, then stems what is left. Text is normalised to Unicode NFC first, so composed and decomposed
 * accents give the same token.
 *
 * ```ts
 * const tokenize = createTokenizer({ stem: true });
 * tokenize("The ponies were running"); // ["poni", "run"]
 * ```
 */
export function createTokenizer(options: TokenizeOptions = {}): (text: string) => string[] {
  const lowercase = options.lowercase ?? true;
  const stem = options.stem ?? false;
  const numbers = options.numbers ?? true;
  const minLength = checkInt(options.minLength ?? 2, "minLength", 1);
  if (typeof lowercase !== "boolean") throw invalid("lowercase", lowercase, "must be a boolean");
  if (typeof stem !== "boolean") throw invalid("stem", stem, "must be a boolean");
  if (typeof numbers !== "boolean") throw invalid("numbers", numbers, "must be a boolean");
  const stopSource = options.stopWords === undefined ? ENGLISH_STOP_WORDS : options.stopWords;
  const stopWords = new Set<string>(stopSource === null ? [] : stopSource);
  const stems = new Map<string, string>();

  return (text: string): string[] => {
    if (typeof text !== "string") throw invalid("text", text, "must be a string");
    let t = text.normalize("NFC");
    if (lowercase) t = t.toLowerCase();
    const out: string[] = [];
    for (const match of t.matchAll(TOKEN)) {
      const token = match[0];
      if (token.length < minLength || stopWords.has(token)) continue;
      if (token.length < 2 * minLength && codePoints(token) < minLength) continue;
      if (!numbers && DIGITS.test(token)) continue;
      if (stem) {
        let s = stems.get(token);
        if (s === undefined) {
          s = porterStem(token);
          stems.set(token, s);
        }
        out.push(s);
      } else {
        out.push(token);
      }
    }
    return out;
  };
}

/** Length in Unicode code points (a character outside the BMP is 2 UTF-16 units). */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

/** Splits one text into tokens; see `createTokenizer` (use that for many texts). */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  return createTokenizer(options)(text);
}
