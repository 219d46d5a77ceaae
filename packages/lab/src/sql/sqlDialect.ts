import { DataError } from "../errors.js";

/** Names of the SQL dialects Clusterlab generates SQL for. */
export type SqlDialectName = "duckdb" | "postgres" | "clickhouse";

/**
 * How one SQL engine spells the few things pushed-down algorithms need. Every method returns SQL
 * text; none touches a connection, so the generated SQL can be tested as strings ("golden SQL").
 */
export interface SqlDialect {
  readonly name: SqlDialectName;
  /** A quoted identifier (column or table name). */
  ident(name: string): string;
  /**
   * An exact DOUBLE literal: the engine reads back the very same float64 (shortest round-trip digits
   * in exponent form, so DuckDB does not read a DECIMAL). Throws on NaN and infinities.
   */
  number(x: number): string;
  /** Row-wise minimum of the expressions (nested binary calls where the engine needs them). */
  least(exprs: readonly string[]): string;
  /** Row-wise maximum of the expressions. */
  greatest(exprs: readonly string[]): string;
  /**
   * A `SELECT` made safe to use as a derived table whose computed columns are referenced several
   * times: PostgreSQL pulls simple subqueries up into the outer query and then recomputes each
   * expression at every reference; `OFFSET 0` stops that. Identity elsewhere.
   */
  fence(select: string): string;
  /** Sum of a DOUBLE expression, compensated (Kahan) where the engine offers it. */
  sum(expr: string): string;
  /** Population variance aggregate. */
  varPop(expr: string): string;
  /**
   * Euclidean distance (not squared) between the columns and a constant vector with the engine's
   * vector function, when it has one (much faster than the expanded expression on DuckDB). The
   * engine sums in its own order: labels can differ from core's only at near-ties.
   */
  vectorDistance?(columns: readonly string[], centre: readonly number[]): string;
  /** Natural logarithm. */
  ln(expr: string): string;
  /**
   * `exp(expr)`, 0 where the result underflows (PostgreSQL raises an error on underflow instead of
   * returning 0, so its spelling clamps).
   */
  exp(expr: string): string;
  /**
   * A per-row pseudo-random number in (0, 1) from a seeded hash of the row values and `salt`:
   * deterministic for a given (seed, salt), 52 bits of the hash, never exactly 0 or 1.
   */
  uniform(columns: readonly string[], seed: number, salt: number): string;
  /**
   * Up to `n` rows of `from` (a FROM item) with the given columns, chosen by a seeded hash of the
   * row values: deterministic for a given seed, any table or view, one scan with a top-n.
   */
  sampleRows(from: string, columns: readonly string[], n: number, seed: number): string;
  /** A statement creating table `name` from a `SELECT`. */
  createTableAs(name: string, select: string): string;
}

/** Shortest round-trip exponent form of a finite float64, e.g. `1e-1`, `-2.5e+0`. */
function exponentLiteral(x: number): string {
  if (!Number.isFinite(x)) throw new DataError(`cannot write ${x} as a SQL number (must be finite)`);
  return x === 0 ? "0e+0" : x.toExponential();
}

function checkSample(n: number, seed: number): void {
  if (!Number.isInteger(n) || n < 1) throw new DataError(`invalid sample size: ${n} (must be an integer >= 1)`);
  if (!Number.isInteger(seed) || seed < 0) throw new DataError(`invalid seed: ${seed} (must be an integer >= 0)`);
}

/** 2^-52 as an exact literal: uniform() maps 52 hash bits b to (b + 0.5) 2^-52. */
const TWO_M52 = "2.220446049250313e-16";

function checkSalt(salt: number): number {
  if (!Number.isInteger(salt) || salt < 0) throw new DataError(`invalid salt: ${salt} (must be an integer >= 0)`);
  return salt;
}

function doubleQuoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** DuckDB (embedded; also reads Parquet/CSV files directly as FROM items). */
export const duckdbDialect: SqlDialect = {
  name: "duckdb",
  ident: doubleQuoted,
  number: exponentLiteral,
  least: (e) => (e.length === 1 ? e[0] : `least(${e.join(", ")})`),
  greatest: (e) => (e.length === 1 ? e[0] : `greatest(${e.join(", ")})`),
  fence: (select) => select,
  sum: (e) => `kahan_sum(${e})`,
  varPop: (e) => `var_pop(${e})`,
  vectorDistance: (columns, centre) =>
    `array_distance([${columns.map(doubleQuoted).join(", ")}]::DOUBLE[${columns.length}], ` +
    `[${centre.map(exponentLiteral).join(", ")}]::DOUBLE[${columns.length}])`,
  ln: (e) => `ln(${e})`,
  exp: (e) => `exp(${e})`,
  uniform(columns, seed, salt) {
    checkSample(1, seed);
    const cols = columns.map(doubleQuoted).join(", ");
    return `(CAST(hash(${cols}, ${seed}, ${checkSalt(salt)}) >> 12 AS DOUBLE) + 5e-1) * ${TWO_M52}`;
  },
  sampleRows(from, columns, n, seed) {
    checkSample(n, seed);
    const cols = columns.map(doubleQuoted).join(", ");
    return `SELECT ${cols} FROM ${from} ORDER BY hash(${cols}, ${seed}) LIMIT ${n}`;
  },
  createTableAs: (name, select) => `CREATE TABLE ${doubleQuoted(name)} AS ${select}`,
};

/** PostgreSQL. */
export const postgresDialect: SqlDialect = {
  name: "postgres",
  ident: doubleQuoted,
  number: (x) => `float8 '${exponentLiteral(x)}'`,
  least: (e) => (e.length === 1 ? e[0] : `LEAST(${e.join(", ")})`),
  greatest: (e) => (e.length === 1 ? e[0] : `GREATEST(${e.join(", ")})`),
  fence: (select) => `${select} OFFSET 0`,
  sum: (e) => `sum(${e})`,
  varPop: (e) => `var_pop(${e})`,
  ln: (e) => `ln(${e})`,
  exp: (e) => `(CASE WHEN (${e}) < -7.45e+2 THEN float8 '0' ELSE exp(${e}) END)`,
  uniform(columns, seed, salt) {
    checkSample(1, seed);
    const cols = columns.map(doubleQuoted).join(", ");
    const hex = `substr(md5(concat_ws(',', ${seed}, ${checkSalt(salt)}, ${cols})), 1, 13)`;
    return `((('x' || ${hex})::bit(52)::bigint)::float8 + 5e-1) * ${TWO_M52}`;
  },
  sampleRows(from, columns, n, seed) {
    checkSample(n, seed);
    const cols = columns.map(doubleQuoted);
    // float8 text output is the shortest round-trip form (PostgreSQL >= 12), so the hash is stable.
    const key = `md5(concat_ws(',', ${seed}, ${cols.join(", ")}))`;
    return `SELECT ${cols.join(", ")} FROM ${from} ORDER BY ${key} LIMIT ${n}`;
  },
  createTableAs: (name, select) => `CREATE TABLE ${doubleQuoted(name)} AS ${select}`,
};

/**
 * ClickHouse: binary least/greatest nested as a balanced tree (portable to old servers), Kahan sums, `log` for ln,
 * `L2Distance` on `assumeNotNull` columns (it refuses Nullable arrays, e.g. columns read from
 * Parquet; NULLs are rejected by the statistics scan before any distance is computed).
 */
export const clickhouseDialect: SqlDialect = {
  name: "clickhouse",
  ident: (name) => `\`${name.replace(/\\/g, "\\\\").replace(/`/g, "\\`")}\``,
  number: exponentLiteral,
  least: (e) => nest("least", e),
  greatest: (e) => nest("greatest", e),
  fence: (select) => select,
  sum: (e) => `sumKahan(${e})`,
  varPop: (e) => `varPop(${e})`,
  vectorDistance: (columns, centre) =>
    `L2Distance([${columns.map((c) => `assumeNotNull(${clickhouseDialect.ident(c)})`).join(", ")}], [${centre.map(exponentLiteral).join(", ")}])`,
  ln: (e) => `log(${e})`,
  exp: (e) => `exp(${e})`,
  uniform(columns, seed, salt) {
    checkSample(1, seed);
    const cols = columns.map((c) => clickhouseDialect.ident(c)).join(", ");
    return `(toFloat64(bitShiftRight(cityHash64(${seed}, ${checkSalt(salt)}, ${cols}), 12)) + 5e-1) * ${TWO_M52}`;
  },
  sampleRows(from, columns, n, seed) {
    checkSample(n, seed);
    const cols = columns.map((c) => clickhouseDialect.ident(c)).join(", ");
    return `SELECT ${cols} FROM ${from} ORDER BY cityHash64(${seed}, ${cols}) LIMIT ${n}`;
  },
  createTableAs: (name, select) =>
    `CREATE TABLE ${clickhouseDialect.ident(name)} ENGINE = MergeTree ORDER BY tuple() AS ${select}`,
};

/**
 * Binary calls as a balanced tree, `f(f(a, b), f(c, d))`: depth log2(n), so hundreds of
 * expressions (the k-means|| candidates) stay under ClickHouse's AST depth limit (1000), which a
 * right-nested chain exceeds at about 300.
 */
function nest(f: string, e: readonly string[]): string {
  if (e.length === 0) throw new DataError(`${f} of no expressions`);
  if (e.length === 1) return e[0];
  const mid = Math.ceil(e.length / 2);
  return `${f}(${nest(f, e.slice(0, mid))}, ${nest(f, e.slice(mid))})`;
}

/** The dialect with the given name. */
export function sqlDialect(name: SqlDialectName): SqlDialect {
  switch (name) {
    case "duckdb":
      return duckdbDialect;
    case "postgres":
      return postgresDialect;
    case "clickhouse":
      return clickhouseDialect;
    default:
      throw new DataError(`invalid dialect: ${JSON.stringify(name)} (expected duckdb, postgres or clickhouse)`);
  }
}
