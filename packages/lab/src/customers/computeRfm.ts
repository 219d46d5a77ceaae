import { stat } from "node:fs/promises";
import { invalid } from "@clusterlab/core";
import { sqlIdent, sqlString, withDuckDB } from "../duckdb.js";
import { DataError } from "../errors.js";
import { fileScanSql, plural, queryRows, quoteValue, scanFailure } from "../fileScan.js";
import { detectFormat, isNumericType, type ReadTableOptions } from "../readTable.js";
import { type RfmSegment, rfmSegment } from "./rfmSegment.js";

/** How RFM scores are cut into quintiles (see `computeRfm`). */
export type RfmScoreMethod = "ntile" | "rank";

/** Options for `computeRfm`: which columns hold what, and how to read the file. */
export interface ComputeRfmOptions extends ReadTableOptions {
  /** Column with the customer id (read as text, so `007` stays `007`). Required. */
  customerId: string;
  /** Column with the order date: a DATE or TIMESTAMP, or text holding dates (see `dateFormat`). Required. */
  date: string;
  /** Column with the order amount: numbers >= 0. Required. */
  amount: string;
  /**
   * Column with an order id: frequency then counts distinct order ids (several rows of one order,
   * e.g. order lines, count once). Default: none, every row is one order.
   */
  orderId?: string;
  /**
   * The analysis date `YYYY-MM-DD`: recency and tenure are counted in days up to it, and rows dated
   * after it are left out (counted in `nExcludedAfterAsOf`). Default: the day after the latest order.
   */
  asOf?: string;
  /**
   * `strptime` format of a text date column (e.g. `"%d/%m/%Y"`). Default: ISO dates and timestamps
   * (`2024-03-12`, `2024-03-12 10:30:00`), or the column's own type when the file has one.
   */
  dateFormat?: string;
  /** How quintile scores are cut. Default `"ntile"` (see `computeRfm`). */
  scoreMethod?: RfmScoreMethod;
  /** How to name the date-format option in the unparseable-date error. Default `"the dateFormat option"`. */
  dateFormatHint?: string;
}

/** The user's column mapping, as used. */
export interface RfmColumnMapping {
  customerId: string;
  date: string;
  amount: string;
  orderId: string | null;
}

/** Per-customer RFM table (one entry per customer in every array, customers sorted by id). */
export interface RfmTable {
  /** The file read. */
  source: string;
  columns: RfmColumnMapping;
  /** The analysis date `YYYY-MM-DD`. */
  asOf: string;
  /** Whether `asOf` was the default (the day after the latest order). */
  asOfDefault: boolean;
  scoreMethod: RfmScoreMethod;
  /** Rows of the file. */
  nRows: number;
  /** Rows dated after `asOf`, left out. */
  nExcludedAfterAsOf: number;
  /** Number of customers. */
  n: number;
  customerIds: string[];
  /** Days from the customer's latest order to `asOf`. */
  recency: Float64Array;
  /** Number of orders (rows, or distinct order ids with `orderId`). */
  frequency: Float64Array;
  /** Total amount. */
  monetary: Float64Array;
  /** Days from the customer's first order to `asOf`. */
  tenure: Float64Array;
  /** Average order value: monetary / frequency. */
  averageOrderValue: Float64Array;
  /** Dates `YYYY-MM-DD` of the first and the latest order. */
  firstOrder: string[];
  lastOrder: string[];
  /** Quintile scores 1-5 (5 = best: most recent, most frequent, highest spend). */
  rScore: Int32Array;
  fScore: Int32Array;
  mScore: Int32Array;
  /** The named RFM segment of each customer (from its R and F scores, see `rfmSegment`). */
  segment: RfmSegment[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkAsOf(value: string): void {
  const ms = ISO_DATE.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw invalid("asOf", value, "must be a date YYYY-MM-DD");
  }
}

const DATE_TYPES = /^(DATE|TIMESTAMP.*)$/;

/**
 * Computes recency, frequency, monetary value, tenure and average order value per customer from a
 * transactions file (CSV/TSV/Parquet/JSON), with SQL in DuckDB (`GROUP BY` the customer over the
 * file read by `read_csv`/`read_parquet`), then the RFM quintile scores and the named segments.
 *
 * - **recency** = days from the customer's latest order to `asOf`; **tenure** = days from the first
 *   order to `asOf`; **frequency** = orders (rows, or distinct `orderId`s); **monetary** = total
 *   amount; **average order value** = monetary / frequency. Dates are days (a timestamp's time of
 *   day is dropped). Rows dated after `asOf` are left out.
 * - **Scores 1-5** per measure. `"ntile"` (default): SQL `NTILE(5)` over the customers sorted by the
 *   measure (ties broken by customer id), i.e. five groups whose sizes differ by at most one, the
 *   larger groups first; with fewer than 5 customers only scores 1..n occur. Equal values can fall
 *   into adjacent scores. `"rank"`: ties share a score,
 *   `1 + floor(5 * (RANK() - 1) / n)`. Recency is reversed: the most recent customers score 5.
 * - **Segment**: `rfmSegment(r, f)` (the R/F score grid).
 *
 * Errors (`DataError`, one line): file not found, empty file (`empty file: x.csv (no rows)`), a
 * mapped column missing (the message lists the available columns), a date column that is not a
 * date (its type, or the count of unparseable values with the first row and value), missing
 * customer ids, and missing, non-numeric, NaN, infinite or negative amounts (count, first row and
 * value). Row numbers count data rows from 1 (a CSV's line number is one more, for the header).
 */
export async function computeRfm(path: string, options: ComputeRfmOptions): Promise<RfmTable> {
  const scoreMethod = options.scoreMethod ?? "ntile";
  if (scoreMethod !== "ntile" && scoreMethod !== "rank") {
    throw invalid("scoreMethod", scoreMethod, 'must be "ntile" or "rank"');
  }
  if (options.asOf !== undefined) checkAsOf(options.asOf);
  const mapping: [string, string | undefined][] = [
    ["customer id", options.customerId],
    ["date", options.date],
    ["amount", options.amount],
    ["order id", options.orderId],
  ];
  for (const [role, name] of mapping) {
    if (name !== undefined && (typeof name !== "string" || name === "")) {
      throw invalid(`${role} column`, name, "must be a column name");
    }
  }
  if (!options.customerId || !options.date || !options.amount) {
    throw new DataError("computeRfm needs the customer id, date and amount columns");
  }
  const used = mapping.filter((m): m is [string, string] => m[1] !== undefined);
  for (let i = 0; i < used.length; i++) {
    for (let j = 0; j < i; j++) {
      if (used[i][1] === used[j][1]) {
        throw new DataError(`column ${JSON.stringify(used[i][1])} is mapped to both ${used[j][0]} and ${used[i][0]}`);
      }
    }
  }

  try {
    const s = await stat(path);
    if (!s.isFile()) throw new DataError(`not a file: ${path}`);
    if (s.size === 0) throw new DataError(`empty file: ${path} (no rows)`);
  } catch (error) {
    if (error instanceof DataError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new DataError(`file not found: ${path}`);
    throw new DataError(`cannot read ${path}: ${(error as Error).message}`);
  }
  detectFormat(path, options);

  const notADate = (type: string) =>
    new DataError(
      `date column ${JSON.stringify(options.date)} in ${path} is not a date (type ${type}); map a column of dates`,
    );
  return withDuckDB(async (connection) => {
    // 1. The columns of the file, and the mapped ones in it.
    let described: unknown[][];
    try {
      described = await queryRows(connection, `DESCRIBE SELECT * FROM ${fileScanSql(path, options, [])}`);
    } catch (error) {
      throw await scanFailure(path, options, error);
    }
    const names = described.map((r) => String(r[0]));
    for (const [role, name] of used) {
      if (!names.includes(name)) {
        throw new DataError(
          `${role} column ${JSON.stringify(name)} not found in ${path} (columns: ${names.join(", ")})`,
        );
      }
    }
    const detectedDateType = String(described[names.indexOf(options.date)][1]);
    if (options.dateFormat === undefined && isNumericType(detectedDateType)) throw notADate(detectedDateType);

    // 2. Stage the mapped columns with a row number; text files give text, parsed below.
    const columns = used.map(([, name]) => name);
    const scan = fileScanSql(path, options, columns);
    const orderId = options.orderId;
    try {
      await connection.run(
        `CREATE TEMP TABLE raw AS SELECT row_number() OVER () AS row_no, ` +
          `CAST(${sqlIdent(options.customerId)} AS VARCHAR) AS cid, ${sqlIdent(options.date)} AS d_raw, ` +
          `${sqlIdent(options.amount)} AS a_raw` +
          (orderId !== undefined ? `, CAST(${sqlIdent(orderId)} AS VARCHAR) AS oid` : "") +
          ` FROM ${scan}`,
      );
    } catch (error) {
      throw await scanFailure(path, options, error);
    }
    const types = await queryRows(connection, "SELECT typeof(d_raw), typeof(a_raw) FROM raw LIMIT 1");
    if (types.length === 0) throw new DataError(`empty file: ${path} (no rows)`);
    const [dateType, amountType] = types[0].map(String);

    let dateExpr: string;
    if (dateType === "DATE") dateExpr = "d_raw";
    else if (DATE_TYPES.test(dateType)) dateExpr = "CAST(d_raw AS DATE)";
    else if (dateType === "VARCHAR" || dateType === '"NULL"' || dateType === "NULL") {
      const text = "trim(CAST(d_raw AS VARCHAR))";
      dateExpr =
        options.dateFormat !== undefined
          ? `CAST(try_strptime(${text}, ${sqlString(options.dateFormat)}) AS DATE)`
          : `COALESCE(TRY_CAST(${text} AS DATE), CAST(TRY_CAST(${text} AS TIMESTAMP) AS DATE))`;
    } else {
      throw notADate(dateType);
    }
    let amountExpr: string;
    if (isNumericType(amountType)) amountExpr = "CAST(a_raw AS DOUBLE)";
    else if (amountType === "VARCHAR" || amountType === "NULL" || amountType === '"NULL"') {
      amountExpr = "TRY_CAST(trim(CAST(a_raw AS VARCHAR)) AS DOUBLE)";
    } else {
      throw new DataError(
        `amount column ${JSON.stringify(options.amount)} in ${path} is not numeric (type ${amountType}); map a column of amounts`,
      );
    }
    await connection.run(
      `CREATE TEMP TABLE tx AS SELECT row_no, cid, d_raw, a_raw, ${dateExpr} AS d, ${amountExpr} AS amount` +
        (orderId !== undefined ? ", oid" : "") +
        " FROM raw",
    );

    // 3. Check every row: one pass counting each problem with its first row and value.
    const problems: [string, string][] = [
      ["cid_missing", "cid IS NULL"],
      ["date_missing", "d_raw IS NULL"],
      ["date_bad", "d_raw IS NOT NULL AND d IS NULL"],
      ["amount_missing", "a_raw IS NULL"],
      ["amount_bad", "a_raw IS NOT NULL AND amount IS NULL"],
      ["amount_nan", "isnan(amount)"],
      ["amount_inf", "isinf(amount)"],
      ["amount_negative", "amount < 0"],
    ];
    const checkSql = problems
      .map(
        ([key, cond]) =>
          `count(*) FILTER (WHERE ${cond}) AS ${key}_n, min(row_no) FILTER (WHERE ${cond}) AS ${key}_row, ` +
          `arg_min(CAST(${key.startsWith("date") ? "d_raw" : "a_raw"} AS VARCHAR), row_no) FILTER (WHERE ${cond}) AS ${key}_value`,
      )
      .join(", ");
    const [check] = await queryRows(connection, `SELECT count(*) AS n, ${checkSql} FROM tx`);
    const nRows = Number(check[0]);
    if (nRows === 0) throw new DataError(`empty file: ${path} (no rows)`);
    const problem = (key: string) => {
      const i = problems.findIndex((p) => p[0] === key);
      return { n: Number(check[1 + 3 * i]), row: Number(check[2 + 3 * i]), value: check[3 + 3 * i] };
    };
    const at = (p: { row: number; value: unknown }, withValue = true) =>
      `first at row ${p.row}${withValue ? `: ${quoteValue(p.value)}` : ""}`;
    const cid = JSON.stringify(options.customerId);
    const date = JSON.stringify(options.date);
    const amount = JSON.stringify(options.amount);
    let p = problem("cid_missing");
    if (p.n > 0) throw new DataError(`customer id column ${cid} has ${plural(p.n, "missing value")} (${at(p, false)})`);
    p = problem("date_missing");
    if (p.n > 0) throw new DataError(`date column ${date} has ${plural(p.n, "missing value")} (${at(p, false)})`);
    p = problem("date_bad");
    if (p.n > 0) {
      const expected =
        options.dateFormat !== undefined
          ? `dates in the format ${JSON.stringify(options.dateFormat)}`
          : `ISO dates like 2024-03-12; for other layouts set ${options.dateFormatHint ?? "the dateFormat option"}, e.g. %d/%m/%Y`;
      throw new DataError(
        `date column ${date} has ${plural(p.n, "value")} that ${p.n === 1 ? "is" : "are"} not a date (${at(p)}); expected ${expected}`,
      );
    }
    p = problem("amount_missing");
    if (p.n > 0) throw new DataError(`amount column ${amount} has ${plural(p.n, "missing value")} (${at(p, false)})`);
    p = problem("amount_bad");
    if (p.n > 0) {
      throw new DataError(
        `amount column ${amount} has ${plural(p.n, "value")} that ${p.n === 1 ? "is" : "are"} not a number (${at(p)})`,
      );
    }
    p = problem("amount_nan");
    if (p.n > 0) throw new DataError(`amount column ${amount} has ${plural(p.n, "NaN value")} (${at(p, false)})`);
    p = problem("amount_inf");
    if (p.n > 0) throw new DataError(`amount column ${amount} has ${plural(p.n, "infinite value")} (${at(p)})`);
    p = problem("amount_negative");
    if (p.n > 0) {
      throw new DataError(
        `amount column ${amount} has ${plural(p.n, "negative value")} (${at(p)}); remove refunds or net them into their orders first`,
      );
    }

    // 4. The analysis date.
    const [[maxDate, minDate]] = await queryRows(
      connection,
      "SELECT CAST(max(d) + 1 AS VARCHAR), CAST(min(d) AS VARCHAR) FROM tx",
    );
    const asOf = options.asOf ?? String(maxDate);
    const asOfSql = `DATE ${sqlString(asOf)}`;
    const [[excluded]] = await queryRows(connection, `SELECT count(*) FROM tx WHERE d > ${asOfSql}`);
    const nExcludedAfterAsOf = Number(excluded);
    if (nExcludedAfterAsOf === nRows) {
      throw new DataError(`no transactions on or before the as-of date ${asOf} (the first is on ${minDate})`);
    }

    // 5. RFM per customer, and the quintile scores.
    const freq = orderId !== undefined ? "count(DISTINCT oid)" : "count(*)";
    const score = (measure: string, direction: "ASC" | "DESC") =>
      scoreMethod === "ntile"
        ? `ntile(5) OVER (ORDER BY ${measure} ${direction}, cid)`
        : `1 + floor(5 * (rank() OVER (ORDER BY ${measure} ${direction}) - 1) / count(*) OVER ())`;
    const result = await connection.runAndReadAll(
      `WITH per AS (
         SELECT cid,
                CAST(date_diff('day', max(d), ${asOfSql}) AS DOUBLE) AS recency,
                CAST(${freq} AS DOUBLE) AS frequency,
                fsum(amount) AS monetary,
                CAST(date_diff('day', min(d), ${asOfSql}) AS DOUBLE) AS tenure,
                CAST(min(d) AS VARCHAR) AS first_order,
                CAST(max(d) AS VARCHAR) AS last_order
         FROM tx WHERE d <= ${asOfSql} GROUP BY cid
       )
       SELECT cid, recency, frequency, monetary, tenure, monetary / frequency AS aov, first_order, last_order,
              CAST(${score("recency", "DESC")} AS INTEGER) AS r_score,
              CAST(${score("frequency", "ASC")} AS INTEGER) AS f_score,
              CAST(${score("monetary", "ASC")} AS INTEGER) AS m_score
       FROM per ORDER BY cid`,
    );
    const cols = result.getColumnsJS() as unknown[][];
    const n = cols[0].length;
    const floats = (j: number) => Float64Array.from(cols[j] as number[]);
    const ints = (j: number) => Int32Array.from(cols[j] as number[]);
    const rScore = ints(8);
    const fScore = ints(9);
    return {
      source: path,
      columns: {
        customerId: options.customerId,
        date: options.date,
        amount: options.amount,
        orderId: orderId ?? null,
      },
      asOf,
      asOfDefault: options.asOf === undefined,
      scoreMethod,
      nRows,
      nExcludedAfterAsOf,
      n,
      customerIds: cols[0] as string[],
      recency: floats(1),
      frequency: floats(2),
      monetary: floats(3),
      tenure: floats(4),
      averageOrderValue: floats(5),
      firstOrder: cols[6] as string[],
      lastOrder: cols[7] as string[],
      rScore,
      fScore,
      mScore: ints(10),
      segment: Array.from(rScore, (r, i) => rfmSegment(r, fScore[i])),
    };
  });
}
