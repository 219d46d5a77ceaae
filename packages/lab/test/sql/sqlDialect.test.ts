import { describe, expect, it } from "vitest";
import {
  argMinSql,
  clickhouseDialect,
  duckdbDialect,
  featureStatsSql,
  gmmStepSql,
  lloydStepSql,
  postgresDialect,
  predictSql,
  sqDistanceSql,
  sqlDialect,
} from "../../src/sql/index.js";

describe("SQL dialects (golden SQL)", () => {
  it("writes exact float64 literals that no engine reads as DECIMAL", () => {
    expect(duckdbDialect.number(0.1)).toBe("1e-1");
    expect(duckdbDialect.number(-2.5)).toBe("-2.5e+0");
    expect(duckdbDialect.number(0)).toBe("0e+0");
    expect(duckdbDialect.number(1 / 3)).toBe("3.333333333333333e-1");
    expect(postgresDialect.number(0.1)).toBe("float8 '1e-1'");
    expect(clickhouseDialect.number(123456789.125)).toBe("1.23456789125e+8");
    expect(clickhouseDialect.number(5e-324)).toBe("5e-324");
    for (const x of [0.1, 1 / 3, Math.PI * 1e200, -7.25e-300, 2 ** 53 + 2]) {
      expect(Number(duckdbDialect.number(x))).toBe(x);
    }
    expect(() => duckdbDialect.number(Number.NaN)).toThrow("cannot write NaN");
    expect(() => postgresDialect.number(Number.POSITIVE_INFINITY)).toThrow("must be finite");
  });

  it("quotes identifiers", () => {
    expect(duckdbDialect.ident('a"b')).toBe('"a""b"');
    expect(postgresDialect.ident("x y")).toBe('"x y"');
    expect(clickhouseDialect.ident("a`b")).toBe("`a\\`b`");
  });

  it("nests least/greatest on ClickHouse (balanced binary tree), variadic elsewhere", () => {
    expect(clickhouseDialect.least(["a", "b", "c", "d"])).toBe("least(least(a, b), least(c, d))");
    expect(clickhouseDialect.least(["a", "b", "c"])).toBe("least(least(a, b), c)");
    // Depth log2(n): 600 candidates nest 10 deep, under ClickHouse's AST depth limit.
    const many = clickhouseDialect.least(Array.from({ length: 600 }, (_, i) => `d${i}`));
    let depth = 0;
    let max = 0;
    for (const ch of many) {
      if (ch === "(") max = Math.max(max, ++depth);
      if (ch === ")") depth--;
    }
    expect(max).toBe(10);
    expect(clickhouseDialect.greatest(["a", "b"])).toBe("greatest(a, b)");
    expect(clickhouseDialect.least(["a"])).toBe("a");
    expect(duckdbDialect.least(["a", "b", "c"])).toBe("least(a, b, c)");
    expect(postgresDialect.greatest(["a", "b", "c"])).toBe("GREATEST(a, b, c)");
  });

  it("fences derived tables only on PostgreSQL", () => {
    expect(postgresDialect.fence("SELECT 1")).toBe("SELECT 1 OFFSET 0");
    expect(duckdbDialect.fence("SELECT 1")).toBe("SELECT 1");
    expect(clickhouseDialect.fence("SELECT 1")).toBe("SELECT 1");
  });

  it("spells logarithms, sums and variance per engine", () => {
    expect(clickhouseDialect.ln("x")).toBe("log(x)");
    expect(duckdbDialect.ln("x")).toBe("ln(x)");
    expect(postgresDialect.ln("x")).toBe("ln(x)");
    expect(clickhouseDialect.sum("x")).toBe("sumKahan(x)");
    expect(duckdbDialect.sum("x")).toBe("kahan_sum(x)");
    expect(postgresDialect.sum("x")).toBe("sum(x)");
    expect(clickhouseDialect.varPop("x")).toBe("varPop(x)");
  });

  it("samples rows by a seeded hash", () => {
    expect(clickhouseDialect.sampleRows("t", ["a", "b"], 10, 7)).toBe(
      "SELECT `a`, `b` FROM t ORDER BY cityHash64(7, `a`, `b`) LIMIT 10",
    );
    expect(duckdbDialect.sampleRows("t", ["a"], 3, 0)).toBe('SELECT "a" FROM t ORDER BY hash("a", 0) LIMIT 3');
    expect(postgresDialect.sampleRows("t", ["a", "b"], 3, 1)).toBe(
      `SELECT "a", "b" FROM t ORDER BY md5(concat_ws(',', 1, "a", "b")) LIMIT 3`,
    );
    expect(() => duckdbDialect.sampleRows("t", ["a"], 0, 0)).toThrow("invalid sample size: 0");
  });

  it("spells exp (clamped on PostgreSQL, which raises on underflow) and the seeded per-row uniform", () => {
    expect(duckdbDialect.exp("z")).toBe("exp(z)");
    expect(clickhouseDialect.exp("z")).toBe("exp(z)");
    expect(postgresDialect.exp("z")).toBe("(CASE WHEN (z) < -7.45e+2 THEN float8 '0' ELSE exp(z) END)");
    expect(duckdbDialect.uniform(["a", "b"], 3, 2)).toBe(
      '(CAST(hash("a", "b", 3, 2) >> 12 AS DOUBLE) + 5e-1) * 2.220446049250313e-16',
    );
    expect(postgresDialect.uniform(["a"], 3, 2)).toBe(
      "((('x' || substr(md5(concat_ws(',', 3, 2, \"a\")), 1, 13))::bit(52)::bigint)::float8 + 5e-1) * 2.220446049250313e-16",
    );
    expect(clickhouseDialect.uniform(["a"], 3, 2)).toBe(
      "(toFloat64(bitShiftRight(cityHash64(3, 2, `a`), 12)) + 5e-1) * 2.220446049250313e-16",
    );
    expect(Number("2.220446049250313e-16")).toBe(2 ** -52);
    expect(() => duckdbDialect.uniform(["a"], 0, -1)).toThrow("invalid salt: -1");
  });

  it("generates one-scan EM steps of the diagonal GMM (fenced on PostgreSQL)", () => {
    const src = { from: "pts", columns: ["x"] };
    const w = new Float64Array([0.5, 0.5]);
    const mu = new Float64Array([-1, 2]);
    const pc = new Float64Array([1, 0.5]);
    const pg = gmmStepSql(postgresDialect, src, w, mu, pc, 2);
    expect(pg.match(/OFFSET 0/g)?.length).toBe(4);
    expect(pg).toContain("(\"x\" + float8 '1e+0') * (\"x\" + float8 '1e+0') * float8 '1e+0'");
    expect(pg).toContain("sum(__cl_r1 * (\"x\" - float8 '2e+0') * (\"x\" - float8 '2e+0')) AS b1_0");
    const ch = gmmStepSql(clickhouseDialect, src, w, mu, pc, 2);
    expect(ch).toContain("greatest(__cl_l0, __cl_l1) AS __cl_x");
    expect(ch).toContain("__cl_x + log(exp(__cl_l0 - __cl_x) + exp(__cl_l1 - __cl_x)) AS __cl_z");
    expect(ch).toContain("sumKahan(__cl_z) AS lb");
    expect(ch).not.toContain("OFFSET");
  });

  it("creates tables (ClickHouse needs an engine)", () => {
    expect(clickhouseDialect.createTableAs("out", "SELECT 1")).toBe(
      "CREATE TABLE `out` ENGINE = MergeTree ORDER BY tuple() AS SELECT 1",
    );
    expect(postgresDialect.createTableAs("out", "SELECT 1")).toBe('CREATE TABLE "out" AS SELECT 1');
    expect(sqlDialect("clickhouse")).toBe(clickhouseDialect);
    expect(() => sqlDialect("oracle" as never)).toThrow('invalid dialect: "oracle"');
  });

  it("builds distance and arg-min expressions", () => {
    expect(sqDistanceSql(duckdbDialect, ["a", "b", "c"], [1.5, -2, 0])).toBe(
      '("a" - 1.5e+0) * ("a" - 1.5e+0) + ("b" + 2e+0) * ("b" + 2e+0) + "c" * "c"',
    );
    expect(argMinSql(["d0", "d1", "d2"], "m")).toBe("CASE WHEN d0 = m THEN 0 WHEN d1 = m THEN 1 ELSE 2 END");
    expect(argMinSql(["d0"], "m")).toBe("0");
  });

  it("generates one-scan Lloyd steps (golden ClickHouse and PostgreSQL SQL)", () => {
    const src = { from: "pts", columns: ["x", "y"] };
    expect(lloydStepSql(clickhouseDialect, src, [0.5, 1, -1, 2], 2)).toBe(
      "SELECT __cl_j AS j, COUNT(*) AS n, sumKahan(__cl_m) AS sse, sumKahan(`x`) AS s0, sumKahan(`y`) AS s1 " +
        "FROM (SELECT `x`, `y`, CASE WHEN __cl_d0 = __cl_mn THEN 0 ELSE 1 END AS __cl_j, __cl_mn * __cl_mn AS __cl_m " +
        "FROM (SELECT *, least(__cl_d0, __cl_d1) AS __cl_mn " +
        "FROM (SELECT `x`, `y`, L2Distance([assumeNotNull(`x`), assumeNotNull(`y`)], [5e-1, 1e+0]) AS __cl_d0, " +
        "L2Distance([assumeNotNull(`x`), assumeNotNull(`y`)], [-1e+0, 2e+0]) AS __cl_d1 FROM pts) AS __cl_q1) AS __cl_q2) AS __cl_a " +
        "GROUP BY __cl_j ORDER BY __cl_j",
    );
    const pg = lloydStepSql(postgresDialect, src, [0.5, 1, -1, 2], 2, [0, 0, 1, 1]);
    expect(pg.match(/OFFSET 0/g)?.length).toBe(2);
    expect(pg).toContain("(\"x\" - float8 '5e-1') * (\"x\" - float8 '5e-1') + (\"y\" - float8 '1e+0')");
    expect(pg).toContain("(SELECT *, LEAST(__cl_d0, __cl_d1) AS __cl_mn, LEAST(__cl_e0, __cl_e1) AS __cl_pm FROM");
    expect(pg).toContain("SUM(CASE WHEN __cl_pj <> __cl_j THEN 1 ELSE 0 END) AS changed");
    expect(pg).toContain("LEAST(__cl_e0, __cl_e1) AS __cl_pm");
    expect(() => lloydStepSql(duckdbDialect, src, [1, 2, 3], 2)).toThrow("expected 2 x 2 values, got 3");
  });

  it("generates the statistics scan and the prediction", () => {
    expect(featureStatsSql(clickhouseDialect, { from: "pts", columns: ["x"] })).toBe(
      "SELECT COUNT(*) AS n, COUNT(`x`) AS c0, AVG(`x`) AS m0, varPop(`x`) AS v0 FROM pts",
    );
    expect(predictSql(duckdbDialect, { from: "pts", columns: ["x", "y"] }, [1, 2], 1, ["id"], "cluster")).toBe(
      'SELECT "id", __cl_j AS "cluster" FROM (SELECT "id", 0 AS __cl_j, __cl_mn * __cl_mn AS __cl_m FROM ' +
        '(SELECT *, __cl_d0 AS __cl_mn FROM (SELECT *, array_distance(["x", "y"]::DOUBLE[2], [1e+0, 2e+0]::DOUBLE[2]) AS __cl_d0 ' +
        "FROM pts) AS __cl_q1) AS __cl_q2) AS __cl_p",
    );
    expect(postgresDialect.vectorDistance).toBeUndefined();
  });
});
