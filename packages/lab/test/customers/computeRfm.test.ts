import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ComputeRfmOptions,
  computeRfm,
  DataError,
  type RfmTable,
  type Table,
  writeTable,
} from "../../src/index.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clusterlab-rfm-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const cols: ComputeRfmOptions = { customerId: "customer_id", date: "order_date", amount: "amount" };

// Latest order 2024-03-10, so the default as-of date is 2024-03-11 (2024 is a leap year).
const TINY = `customer_id,order_date,amount,order_id
A,2024-01-01,10.00,1
A,2024-02-01,20.00,2
A,2024-03-01,30.00,3
B,2024-02-15,100.00,4
C,2024-01-10,5.00,5
C,2024-03-05,5.00,6
D,2024-03-10,50.00,7
D,2024-03-10,25.00,7
E,2023-12-01,200.00,8
`;

function byCustomer(rfm: RfmTable) {
  return Object.fromEntries(
    rfm.customerIds.map((id, i) => [
      id,
      {
        recency: rfm.recency[i],
        frequency: rfm.frequency[i],
        monetary: rfm.monetary[i],
        tenure: rfm.tenure[i],
        aov: rfm.averageOrderValue[i],
        first: rfm.firstOrder[i],
        last: rfm.lastOrder[i],
        scores: `${rfm.rScore[i]}${rfm.fScore[i]}${rfm.mScore[i]}`,
        segment: rfm.segment[i],
      },
    ]),
  );
}

describe("computeRfm", () => {
  it("computes recency, frequency, monetary, tenure, AOV, NTILE scores and segments by hand", async () => {
    const rfm = await computeRfm(file("tiny.csv", TINY), cols);
    expect(rfm.asOf).toBe("2024-03-11");
    expect(rfm.asOfDefault).toBe(true);
    expect(rfm.nRows).toBe(9);
    expect(rfm.n).toBe(5);
    expect(rfm.customerIds).toEqual(["A", "B", "C", "D", "E"]);
    // Recency: days from the last order to 2024-03-11; tenure: from the first.
    // Scores (NTILE(5) over 5 customers = ranks): R by recency descending, F and M ascending,
    // ties broken by customer id (B and E both have 1 order: B gets F=1, E F=2).
    expect(byCustomer(rfm)).toEqual({
      A: {
        recency: 10,
        frequency: 3,
        monetary: 60,
        tenure: 70,
        aov: 20,
        first: "2024-01-01",
        last: "2024-03-01",
        scores: "352",
        segment: "Loyal Customers",
      },
      B: {
        recency: 25,
        frequency: 1,
        monetary: 100,
        tenure: 25,
        aov: 100,
        first: "2024-02-15",
        last: "2024-02-15",
        scores: "214",
        segment: "Hibernating",
      },
      C: {
        recency: 6,
        frequency: 2,
        monetary: 10,
        tenure: 61,
        aov: 5,
        first: "2024-01-10",
        last: "2024-03-05",
        scores: "431",
        segment: "Potential Loyalists",
      },
      D: {
        recency: 1,
        frequency: 2,
        monetary: 75,
        tenure: 1,
        aov: 37.5,
        first: "2024-03-10",
        last: "2024-03-10",
        scores: "543",
        segment: "Champions",
      },
      E: {
        recency: 101,
        frequency: 1,
        monetary: 200,
        tenure: 101,
        aov: 200,
        first: "2023-12-01",
        last: "2023-12-01",
        scores: "125",
        segment: "Lost",
      },
    });
  });

  it("rank scores give tied customers the same score", async () => {
    const rfm = await computeRfm(file("tiny-rank.csv", TINY), { ...cols, scoreMethod: "rank" });
    // F ranks: B, E tied at 1 -> 1; C, D tied at rank 3 -> 1 + floor(5 * 2 / 5) = 3; A rank 5 -> 5.
    expect(Array.from(rfm.fScore)).toEqual([5, 1, 3, 3, 1]);
    expect(Array.from(rfm.rScore)).toEqual([3, 2, 4, 5, 1]);
  });

  it("NTILE(5) of 7 customers makes groups of 2, 2, 1, 1, 1", async () => {
    const lines = ["id,day,amt"];
    for (let i = 1; i <= 7; i++) lines.push(`c${i},2024-01-0${i},${i}`);
    const rfm = await computeRfm(file("seven.csv", `${lines.join("\n")}\n`), {
      customerId: "id",
      date: "day",
      amount: "amt",
    });
    expect(Array.from(rfm.mScore)).toEqual([1, 1, 2, 2, 3, 4, 5]);
    // c1 bought longest ago: lowest R.
    expect(Array.from(rfm.rScore)).toEqual([1, 1, 2, 2, 3, 4, 5]);
    expect(Array.from(rfm.recency)).toEqual([7, 6, 5, 4, 3, 2, 1]);
  });

  it("counts distinct order ids and leaves out rows after --as-of", async () => {
    const path = file("tiny-orders.csv", TINY);
    const byOrder = await computeRfm(path, { ...cols, orderId: "order_id" });
    expect(byCustomer(byOrder).D).toMatchObject({ frequency: 1, monetary: 75, aov: 75 });
    const early = await computeRfm(path, { ...cols, asOf: "2024-03-05" });
    expect(early.asOf).toBe("2024-03-05");
    expect(early.asOfDefault).toBe(false);
    expect(early.nExcludedAfterAsOf).toBe(2);
    expect(early.customerIds).toEqual(["A", "B", "C", "E"]);
    expect(byCustomer(early).C).toMatchObject({ recency: 0, tenure: 55, frequency: 2 });
  });

  it("reads Parquet with native DATE columns and text dates in another layout", async () => {
    const table: Table = {
      source: "t",
      nRows: 3,
      columns: [
        { name: "cid", type: "BIGINT", kind: "numeric", values: new Float64Array([7, 7, 8]) },
        { name: "day", type: "DATE", kind: "string", values: ["2024-05-01", "2024-05-11", "2024-05-06"] },
        { name: "total", type: "DOUBLE", kind: "numeric", values: new Float64Array([1.5, 2.5, 4]) },
      ],
    };
    const pq = join(dir, "tx.parquet");
    await writeTable(pq, table);
    const rfm = await computeRfm(pq, { customerId: "cid", date: "day", amount: "total" });
    expect(rfm.customerIds).toEqual(["7", "8"]);
    expect(Array.from(rfm.recency)).toEqual([1, 6]);
    expect(Array.from(rfm.monetary)).toEqual([4, 4]);
    expect(Array.from(rfm.tenure)).toEqual([11, 6]);

    const dmy = file("dmy.csv", "c,d,a\nx,01/02/2024,1\nx,13/02/2024,2\ny,02/01/2024,3\n");
    const r2 = await computeRfm(dmy, { customerId: "c", date: "d", amount: "a", dateFormat: "%d/%m/%Y" });
    expect(r2.asOf).toBe("2024-02-14");
    expect(r2.firstOrder).toEqual(["2024-02-01", "2024-01-02"]);
  });

  it("keeps customer ids as text (leading zeros) and accepts timestamps", async () => {
    const path = file(
      "ts.csv",
      "cid,ts,amount\n007,2024-01-01 10:00:00,1\n007,2024-01-03 23:59:00,2\n010,2024-01-02T08:00:00,3\n",
    );
    const rfm = await computeRfm(path, { customerId: "cid", date: "ts", amount: "amount" });
    expect(rfm.customerIds).toEqual(["007", "010"]);
    expect(rfm.asOf).toBe("2024-01-04");
    expect(Array.from(rfm.recency)).toEqual([1, 2]);
  });
});

describe("computeRfm errors", () => {
  const fails = async (name: string, text: string, options: Partial<ComputeRfmOptions> = {}) => {
    const path = file(name, text);
    const error = await computeRfm(path, { ...cols, ...options }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataError);
    const message = (error as Error).message;
    expect(message).not.toContain("\n");
    return message.replace(dir, "<dir>");
  };

  it("names a missing mapped column and lists the available ones", async () => {
    expect(await fails("cols.csv", TINY, { customerId: "cust" })).toBe(
      'customer id column "cust" not found in <dir>/cols.csv (columns: customer_id, order_date, amount, order_id)',
    );
    expect(await fails("cols2.csv", TINY, { amount: "price" })).toContain('amount column "price" not found');
  });

  it("refuses dates that are not dates, with count, row and value", async () => {
    const text = "customer_id,order_date,amount\nA,2024-01-01,1\nA,yesterday,2\nB,2024-13-01,3\n";
    expect(await fails("baddate.csv", text)).toBe(
      'date column "order_date" has 2 values that are not a date (first at row 2: "yesterday"); expected ISO dates like 2024-03-12; for other layouts set the dateFormat option, e.g. %d/%m/%Y',
    );
    expect(await fails("numdate.csv", "customer_id,order_date,amount\nA,20240101,1\n")).toBe(
      'date column "order_date" in <dir>/numdate.csv is not a date (type BIGINT); map a column of dates',
    );
    expect(await fails("nulldate.csv", "customer_id,order_date,amount\nA,2024-01-01,1\nB,,2\n")).toBe(
      'date column "order_date" has 1 missing value (first at row 2)',
    );
  });

  it("refuses negative, NaN, missing and non-numeric amounts", async () => {
    const head = "customer_id,order_date,amount\n";
    expect(await fails("neg.csv", `${head}A,2024-01-01,5\nA,2024-01-02,-5\nB,2024-01-03,-0.5\n`)).toBe(
      'amount column "amount" has 2 negative values (first at row 2: "-5"); remove refunds or net them into their orders first',
    );
    expect(await fails("nan.csv", `${head}A,2024-01-01,5\nA,2024-01-02,NaN\n`)).toBe(
      'amount column "amount" has 1 NaN value (first at row 2)',
    );
    expect(await fails("missing.csv", `${head}A,2024-01-01,5\nA,2024-01-02,\nB,2024-01-02,\n`)).toBe(
      'amount column "amount" has 2 missing values (first at row 2)',
    );
    expect(await fails("text.csv", `${head}A,2024-01-01,5\nA,2024-01-02,$12\n`)).toBe(
      'amount column "amount" has 1 value that is not a number (first at row 2: "$12")',
    );
  });

  it("refuses empty files, missing ids and clashing mappings", async () => {
    expect(await fails("empty.csv", "")).toBe("empty file: <dir>/empty.csv (no rows)");
    expect(await fails("header.csv", "customer_id,order_date,amount\n")).toBe("empty file: <dir>/header.csv (no rows)");
    expect(await fails("noid.csv", "customer_id,order_date,amount\nA,2024-01-01,1\n,2024-01-01,1\n")).toBe(
      'customer id column "customer_id" has 1 missing value (first at row 2)',
    );
    expect(await fails("twice.csv", TINY, { amount: "order_date" })).toBe(
      'column "order_date" is mapped to both date and amount',
    );
    expect(await fails("late.csv", TINY, { asOf: "2020-01-01" })).toBe(
      "no transactions on or before the as-of date 2020-01-01 (the first is on 2023-12-01)",
    );
    const missing = await computeRfm(join(dir, "nope.csv"), cols).catch((e: Error) => e.message);
    expect(String(missing).replace(dir, "<dir>")).toBe("file not found: <dir>/nope.csv");
  });

  it("reports malformed CSV rows like readTable", async () => {
    expect(await fails("ragged.csv", "customer_id,order_date,amount\nA,2024-01-01,1\nB,2024-01-02\n")).toMatch(
      /^malformed row in <dir>\/ragged\.csv: line 3 has 2 fields, expected 3/,
    );
  });
});
