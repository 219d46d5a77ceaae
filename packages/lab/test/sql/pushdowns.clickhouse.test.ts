import { describe } from "vitest";
import { openChdbEngine } from "../../src/sql/index.js";
import { findChdb } from "./helpers.js";
import { pushdownConformance } from "./pushdowns.js";

const chdb = await findChdb();
if (chdb) console.warn(`skipping ClickHouse (chdb) tests: ${chdb}`);

describe.skipIf(chdb !== undefined)("pushdowns on ClickHouse (chdb, embedded)", () => {
  pushdownConformance(() => openChdbEngine());
});
