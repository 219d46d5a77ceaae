import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { type AppOptions, createApp } from "../src/app.js";

export const IRIS_CSV = fileURLToPath(new URL("../../../examples/data/iris.csv", import.meta.url));

export const IRIS_FEATURES = ["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"];

/** A fresh app on a temporary data directory; `cleanup` closes it and removes the directory. */
export async function testApp(options: AppOptions = {}): Promise<{
  app: FastifyInstance;
  dataDir: string;
  cleanup: () => Promise<void>;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), "clusterlab-server-"));
  const app = await createApp({ dataDir, workers: 1, ...options });
  return {
    app,
    dataDir,
    cleanup: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Uploads `body` as a file named `name` (the raw-body protocol of `POST /api/datasets`). */
export function upload(app: FastifyInstance, name: string, body: string | Buffer, query = "") {
  return app.inject({
    method: "POST",
    url: `/api/datasets?name=${encodeURIComponent(name)}${query}`,
    headers: { "content-type": "application/octet-stream" },
    payload: body,
  });
}

/** Three well-separated blobs of 20 points in 3 dimensions, plus an id column, as CSV. */
export function blobsCsv(): string {
  const lines = ["id,x,y,z,group"];
  const centres = [
    [0, 0, 0],
    [10, 10, 0],
    [0, 10, 10],
  ];
  let id = 0;
  centres.forEach((c, g) => {
    for (let i = 0; i < 20; i++) {
      // deterministic jitter
      const a = Math.sin(id * 12.9898) * 0.8;
      const b = Math.cos(id * 78.233) * 0.8;
      const d = Math.sin(id * 3.7) * 0.8;
      lines.push(`${id},${(c[0] + a).toFixed(3)},${(c[1] + b).toFixed(3)},${(c[2] + d).toFixed(3)},g${g}`);
      id++;
    }
  });
  return `${lines.join("\n")}\n`;
}
