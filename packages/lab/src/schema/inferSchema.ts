import { DataError } from "../errors.js";
import { columnNames, type Table } from "../table.js";
import { type ColumnFacts, columnFacts, type NumericFacts, type StringFacts } from "./columnFacts.js";
import { COLUMN_ROLES, type ColumnRole, FEATURE_ROLES, isColumnRole } from "./columnRole.js";

/**
 * Options for `inferSchema`. The thresholds decide between roles; the defaults suit typical
 * tabular data (see `inferSchema` for the order in which the rules apply).
 */
export interface InferSchemaOptions {
  /**
   * Roles set by the user, by column name; they replace the inferred role. An unknown column or
   * role is an error, and so is `"numeric"` for a column that was not read as numbers. Default: none.
   */
  roles?: Readonly<Record<string, ColumnRole>>;
  /** The target column (role `"target"`), if any. Same as `roles: { [target]: "target" }`. Default: none. */
  target?: string;
  /**
   * A whole-number column is categorical (a code) when it has at most this many distinct values
   * and at most `integerCodeMaxShare` of its observed values are distinct. Default 10.
   */
  integerCodeMaxDistinct?: number;
  /** See `integerCodeMaxDistinct`. Default 0.1 (so 150 rows allow up to 10 codes, 40 rows up to 4). */
  integerCodeMaxShare?: number;
  /** A string column with at most this many distinct values is categorical. Default 50. */
  categoricalMaxDistinct?: number;
  /**
   * A string column with more distinct values is still categorical when at most this share of
   * its observed values are distinct (and it does not look like free text); above, it is `"text"`
   * (high-cardinality strings). Default 0.5.
   */
  categoricalMaxShare?: number;
  /** Strings longer than this on average are free text (`"text"`) unless low-cardinality. Default 30. */
  textMinMeanLength?: number;
  /** Strings with at least this many spaces on average are free text unless low-cardinality. Default 2. */
  textMinMeanSpaces?: number;
}

/** The role of one column and why it was chosen. */
export interface ColumnSchema {
  name: string;
  /** The DuckDB type the column was read with (`"DOUBLE"`, `"BIGINT"`, `"VARCHAR"`, `"DATE"`, ...). */
  type: string;
  role: ColumnRole;
  /** Why: e.g. `"unique per row (150 of 150 distinct)"`, `"set by the user (inferred: categorical, ...)"`. */
  reason: string;
  /** The role inference chose (equal to `role` unless the user set it). */
  inferredRole: ColumnRole;
  /** Whether `role` comes from `options.roles` / `options.target`. */
  userSet: boolean;
}

/** The roles of all columns of a table (the result of `inferSchema`). */
export interface DatasetSchema {
  /** Where the table came from. */
  source: string;
  nRows: number;
  /** One entry per table column, in table order. */
  columns: ColumnSchema[];
  /** The feature columns (roles `"numeric"` and `"categorical"`), in table order. */
  features: string[];
  /** The column with role `"target"`, or null. */
  target: string | null;
}

const DATETIME_TYPE = /^(DATE|TIME|TIMESTAMP)/;
const UNUSABLE_TYPE = /^(BLOB|BIT|STRUCT|MAP|UNION|LIST|ARRAY)|\[\d*\]$/;
const ID_NAME = /^(id|idx|index|key|uuid|guid|row|rowid|row_?num(ber)?|unnamed: ?0)$|[_\-. ](id|key|uuid|guid)$/i;
const CAMEL_ID = /[a-z0-9]I[dD]$/;

/** True for a column name that reads as a row key: `id`, `customer_id`, `userId`, `row_number`, `uuid`, ... */
export function looksLikeIdentifierName(name: string): boolean {
  return ID_NAME.test(name) || CAMEL_ID.test(name);
}

interface Thresholds {
  integerCodeMaxDistinct: number;
  integerCodeMaxShare: number;
  categoricalMaxDistinct: number;
  categoricalMaxShare: number;
  textMinMeanLength: number;
  textMinMeanSpaces: number;
}

function thresholds(options: InferSchemaOptions): Thresholds {
  const t: Thresholds = {
    integerCodeMaxDistinct: options.integerCodeMaxDistinct ?? 10,
    integerCodeMaxShare: options.integerCodeMaxShare ?? 0.1,
    categoricalMaxDistinct: options.categoricalMaxDistinct ?? 50,
    categoricalMaxShare: options.categoricalMaxShare ?? 0.5,
    textMinMeanLength: options.textMinMeanLength ?? 30,
    textMinMeanSpaces: options.textMinMeanSpaces ?? 2,
  };
  for (const [name, value] of Object.entries(t)) {
    if (typeof value !== "number" || !(value >= 0)) {
      throw new DataError(`invalid ${name}: ${JSON.stringify(value)} (must be a number >= 0)`);
    }
  }
  return t;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function formatValue(x: number | string): string {
  return typeof x === "number" ? String(x) : JSON.stringify(x.length > 40 ? `${x.slice(0, 37)}...` : x);
}

function missingNote(f: ColumnFacts): string {
  return f.missing > 0 ? `, ${f.missing} missing` : "";
}

/** The inferred role of one column with its reason (no user overrides). */
export function inferColumnRole(
  facts: ColumnFacts,
  options: InferSchemaOptions = {},
): { role: ColumnRole; reason: string } {
  const t = thresholds(options);
  return inferRole(facts, t);
}

function inferRole(f: ColumnFacts, t: Thresholds): { role: ColumnRole; reason: string } {
  if (f.count === 0) return { role: "constant", reason: `no observed values (all ${f.n} missing)` };
  if (f.distinct === 1) {
    const value = f.kind === "numeric" ? f.sorted[0] : f.counts.keys().next().value!;
    return {
      role: "constant",
      reason: `a single distinct value (${formatValue(value)}) in ${plural(f.count, "row")}${missingNote(f)}`,
    };
  }
  return f.kind === "numeric" ? numericRole(f, t) : stringRole(f, t);
}

function numericRole(f: NumericFacts, t: Thresholds): { role: ColumnRole; reason: string } {
  const uniquePerRow = f.missing === 0 && f.distinct === f.count;
  if (f.integerValued && uniquePerRow) {
    const idName = looksLikeIdentifierName(f.name);
    if (idName || f.monotonic) {
      const why = idName ? "the name reads as a key" : "values run in row order";
      return { role: "identifier", reason: `unique per row (${f.distinct} of ${f.n} distinct), ${why}` };
    }
  }
  if (
    f.integerValued &&
    (f.distinct === 2 || (f.distinct <= t.integerCodeMaxDistinct && f.distinct <= t.integerCodeMaxShare * f.count))
  ) {
    const values = f.distinct <= 5 ? `: ${distinctNumbers(f).join(", ")}` : "";
    return {
      role: "categorical",
      reason: `small integer code (${f.distinct} distinct values in ${plural(f.count, "row")}${values})`,
    };
  }
  const what = f.integerValued ? "whole numbers" : "numbers";
  return { role: "numeric", reason: `${what}, ${f.distinct} distinct${missingNote(f)}` };
}

function distinctNumbers(f: NumericFacts): number[] {
  const out: number[] = [];
  for (let i = 0; i < f.count; i++) if (i === 0 || f.sorted[i] !== f.sorted[i - 1]) out.push(f.sorted[i]);
  return out;
}

function stringRole(f: StringFacts, t: Thresholds): { role: ColumnRole; reason: string } {
  if (DATETIME_TYPE.test(f.type)) return { role: "datetime", reason: `DuckDB type ${f.type}` };
  if (f.type === "BOOLEAN") return { role: "categorical", reason: "boolean" };
  if (UNUSABLE_TYPE.test(f.type)) {
    return { role: "text", reason: `DuckDB type ${f.type} is not usable as a feature` };
  }
  const numberNote = f.numericLooking
    ? ` (the values look numeric but were read as ${f.type}; convert them in the source to use them as numbers)`
    : "";
  const freeText = f.meanLength > t.textMinMeanLength || f.meanSpaces >= t.textMinMeanSpaces;
  const shape = `mean length ${f.meanLength.toFixed(1)}, ${f.meanSpaces.toFixed(1)} spaces`;
  if (f.missing === 0 && f.distinct === f.count) {
    if (freeText) return { role: "text", reason: `free text, unique per row (${shape})` };
    return { role: "identifier", reason: `unique per row (${f.distinct} of ${f.n} distinct)${numberNote}` };
  }
  const share = f.distinct / f.count;
  const distinctText = `${f.distinct} distinct values in ${plural(f.count, "row")}`;
  if (f.distinct <= t.categoricalMaxDistinct) {
    return { role: "categorical", reason: `${distinctText}${missingNote(f)}${numberNote}` };
  }
  if (freeText) return { role: "text", reason: `free text (${distinctText}, ${shape})` };
  if (share <= t.categoricalMaxShare) {
    return { role: "categorical", reason: `high-cardinality labels (${distinctText})${numberNote}` };
  }
  return {
    role: "text",
    reason: `high-cardinality strings (${distinctText}, ${(100 * share).toFixed(0)}% distinct)${numberNote}`,
  };
}

/** Checks user roles against the table; returns them merged with `target`. */
function userRoles(table: Table, facts: readonly ColumnFacts[], options: InferSchemaOptions): Map<string, ColumnRole> {
  const names = columnNames(table);
  const known = new Set(names);
  const unknown = (name: string, where: string) =>
    new DataError(`unknown column ${JSON.stringify(name)} in ${where} (columns: ${names.join(", ")})`);
  const roles = new Map<string, ColumnRole>();
  const given = options.roles ?? {};
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    throw new DataError(`invalid roles: ${JSON.stringify(given)} (must be an object mapping column names to roles)`);
  }
  for (const [name, role] of Object.entries(given)) {
    if (!known.has(name)) throw unknown(name, "roles");
    if (!isColumnRole(role)) {
      throw new DataError(
        `invalid role for column ${JSON.stringify(name)}: ${JSON.stringify(role)} (must be one of ${COLUMN_ROLES.join(", ")})`,
      );
    }
    const f = facts[names.indexOf(name)];
    if (role === "numeric" && f.kind !== "numeric") {
      throw new DataError(
        `cannot use column ${JSON.stringify(name)} as numeric: it was read as ${f.type}, not as numbers`,
      );
    }
    roles.set(name, role);
  }
  if (options.target !== undefined) {
    const target = options.target;
    if (!known.has(target)) throw unknown(target, "target");
    const other = roles.get(target);
    if (other !== undefined && other !== "target") {
      throw new DataError(`column ${JSON.stringify(target)} is the target but its role is set to ${other}`);
    }
    roles.set(target, "target");
  }
  const targets = [...roles].filter(([, role]) => role === "target").map(([name]) => name);
  if (targets.length > 1) {
    throw new DataError(`only one target column is allowed (got ${targets.map((t) => JSON.stringify(t)).join(", ")})`);
  }
  return roles;
}

/**
 * The schema from precomputed facts (one per table column, in order); used by `profileTable` so
 * that each column is scanned once.
 */
export function inferSchemaFromFacts(
  table: Table,
  facts: readonly ColumnFacts[],
  options: InferSchemaOptions = {},
): DatasetSchema {
  const t = thresholds(options);
  const roles = userRoles(table, facts, options);
  const columns = facts.map((f): ColumnSchema => {
    const inferred = inferRole(f, t);
    const user = roles.get(f.name);
    if (user === undefined) {
      return {
        name: f.name,
        type: f.type,
        role: inferred.role,
        reason: inferred.reason,
        inferredRole: inferred.role,
        userSet: false,
      };
    }
    const reason =
      user === "target" && options.target === f.name
        ? `named as the target (inferred: ${inferred.role}, ${inferred.reason})`
        : `set by the user (inferred: ${inferred.role}, ${inferred.reason})`;
    return { name: f.name, type: f.type, role: user, reason, inferredRole: inferred.role, userSet: true };
  });
  return {
    source: table.source,
    nRows: table.nRows,
    columns,
    features: columns.filter((c) => FEATURE_ROLES.includes(c.role)).map((c) => c.name),
    target: columns.find((c) => c.role === "target")?.name ?? null,
  };
}

/**
 * Infers the role of every column of a table (see `ColumnRole`), with the reason for each, then
 * applies the user's roles (`options.roles`, `options.target`). Rules, in order:
 *
 * 1. No observed value, or a single distinct value: `"constant"`.
 * 2. Numbers (DuckDB numeric types decide; numbers stored as text stay text):
 *    - whole numbers, unique per row, nothing missing, and either a key-like name (`id`, `*_id`,
 *      `userId`, `index`, ...) or values running in row order: `"identifier"`;
 *    - whole numbers with 2 distinct values, or at most `integerCodeMaxDistinct` (10) distinct
 *      values that are at most `integerCodeMaxShare` (10%) of the observed values: `"categorical"`
 *      (so `year` in penguins, 3 values in 344 rows, is categorical; set it to `"numeric"` to
 *      treat it as a number);
 *    - otherwise `"numeric"`.
 * 3. Other columns by DuckDB type: DATE/TIME/TIMESTAMP `"datetime"`; BOOLEAN `"categorical"`;
 *    nested or binary types `"text"` (unusable). Then strings:
 *    - unique per row with nothing missing: `"text"` when free text (mean length >
 *      `textMinMeanLength` (30) or mean spaces >= `textMinMeanSpaces` (2)), else `"identifier"`;
 *    - at most `categoricalMaxDistinct` (50) distinct values: `"categorical"`;
 *    - free text: `"text"`;
 *    - at most `categoricalMaxShare` (50%) distinct: `"categorical"` (high cardinality);
 *    - otherwise `"text"` (high-cardinality strings).
 *
 * Errors (`DataError`): a role or target naming an unknown column lists the columns; an unknown
 * role lists the roles; `"numeric"` for a column not read as numbers; more than one target.
 */
export function inferSchema(table: Table, options: InferSchemaOptions = {}): DatasetSchema {
  return inferSchemaFromFacts(table, table.columns.map(columnFacts), options);
}
