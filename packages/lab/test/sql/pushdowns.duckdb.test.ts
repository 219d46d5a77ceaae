import { describe } from "vitest";
import { openDuckDBEngine } from "../../src/sql/index.js";
import { pushdownConformance } from "./pushdowns.js";

describe("pushdowns on DuckDB (in process)", () => {
  pushdownConformance(() => openDuckDBEngine(":memory:", { config: { threads: "2" } }));
});
