import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { modelFromJSON, type PipelineModel } from "@clusterlab/core";
import { afterAll, describe, expect, it } from "vitest";
import {
  DataError,
  featureFrame,
  modelFromFile,
  predictTable,
  readModelFile,
  readTable,
  runSpec,
  toModelFile,
  UNASSIGNED,
  writeModelFile,
} from "../../src/index.js";
import { example, repoRoot, sameBytes, tempDir } from "./helpers.js";

const tmp = tempDir("clusterlab-model-");
afterAll(() => tmp.cleanup());

const coreDist = join(repoRoot, "packages/core/dist/index.js");

/**
 * Predicts in a separate Node process that loads only @clusterlab/core (built), from the model JSON
 * and the feature columns (numbers with null for NaN, or strings).
 */
function predictWithCoreOnly(
  modelPath: string,
  frame: { names: string[]; columns: unknown[]; rows: number },
): number[] {
  const framePath = join(tmp.dir, `frame-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    framePath,
    JSON.stringify({
      names: frame.names,
      rows: frame.rows,
      columns: frame.columns.map((c) =>
        c instanceof Float64Array ? { numeric: Array.from(c, (v) => (Number.isNaN(v) ? null : v)) } : { text: c },
      ),
    }),
  );
  const script = `
    import { readFileSync } from "node:fs";
    const core = await import(${JSON.stringify(coreDist)});
    const model = core.modelFromJSON(JSON.parse(readFileSync(${JSON.stringify(modelPath)}, "utf8")));
    const f = JSON.parse(readFileSync(${JSON.stringify(framePath)}, "utf8"));
    const columns = f.columns.map((c) => c.numeric ? Float64Array.from(c.numeric, (v) => v === null ? NaN : v) : c.text);
    process.stdout.write(JSON.stringify(Array.from(model.predict({ names: f.names, columns, rows: f.rows }))));
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as number[];
}

describe("model files", () => {
  it("predicts the same labels in Node (lab) and with core alone (iris kmeans, penguins gmm with missing values)", async () => {
    expect(existsSync(coreDist)).toBe(true);
    const specs = [
      {
        name: "iris",
        spec: {
          version: 1,
          data: { path: example("iris") },
          columns: { exclude: ["target", "target_name"] },
          algorithm: { name: "kmeans", params: { nClusters: 3 } },
        },
      },
      {
        name: "penguins",
        spec: {
          version: 1,
          data: { path: example("penguins") },
          columns: { target: "species" },
          algorithm: { name: "gmm", params: { nComponents: 3 } },
        },
      },
    ];
    for (const { name, spec } of specs) {
      const r = await runSpec(spec);
      const path = join(tmp.dir, `${name}.json`);
      await writeModelFile(path, toModelFile(r.analysis, { input: r.source, nSamples: r.rows.fitted }));
      const { analysis } = await readModelFile(path);
      const table = await readTable(example(name));
      const lab = predictTable(analysis, table);
      const core = predictWithCoreOnly(path, featureFrame(table, analysis.columns));
      expect(Array.from(lab)).toEqual(core);
      if (name === "iris") expect(sameBytes(lab, r.labels)).toBe(true);
    }
  });

  it("restores with modelFromJSON in this process too, and keeps the spec", async () => {
    const r = await runSpec({
      version: 1,
      data: { path: example("iris") },
      columns: { target: "target", exclude: ["target_name"] },
      algorithm: { name: "birch" },
      preprocessing: { transform: "yeoJohnson" },
    });
    const file = JSON.parse(JSON.stringify(toModelFile(r.analysis, { input: r.source, nSamples: 150 })));
    const pipeline = modelFromJSON<PipelineModel>(file);
    const table = await readTable(example("iris"));
    expect(Array.from(pipeline.predict(featureFrame(table, r.analysis.columns)))).toEqual(
      Array.from(predictTable(r.analysis, table)),
    );
    expect(modelFromFile(file).spec).toEqual(r.spec);
    expect(file.clusterlab).toMatchObject({
      format: "clusterlab-model",
      formatVersion: 1,
      columns: r.analysis.columns,
      nSamples: 150,
    });
  });

  it("leaves rows the model cannot take UNASSIGNED (missing values under drop)", async () => {
    const r = await runSpec({
      version: 1,
      data: { path: example("penguins") },
      columns: { target: "species" },
      preprocessing: { imputation: { numeric: "drop", categorical: "drop" } },
      algorithm: { name: "kmeans", params: { nClusters: 3 } },
    });
    const table = await readTable(example("penguins"));
    const predicted = predictTable(r.analysis, table);
    expect(predicted.filter((l) => l === UNASSIGNED)).toHaveLength(11);
  });

  it("refuses files that are not clusterlab models", async () => {
    expect(() => modelFromFile({ type: "PipelineModel" })).toThrow(DataError);
    await expect(readModelFile(join(tmp.dir, "none.json"))).rejects.toThrow(/model file not found/);
    const bad = join(tmp.dir, "bad.json");
    writeFileSync(bad, "{");
    await expect(readModelFile(bad)).rejects.toThrow(/not JSON/);
  });
});
