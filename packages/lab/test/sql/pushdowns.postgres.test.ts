import { describe } from "vitest";
import { openPostgresEngine } from "../../src/sql/index.js";
import { findPostgres, type PgServer, startPostgres } from "./helpers.js";
import { pushdownConformance } from "./pushdowns.js";

const found = findPostgres();
if ("reason" in found) console.warn(`skipping PostgreSQL tests: ${found.reason}`);

describe.skipIf("reason" in found)("pushdowns on PostgreSQL (server on 127.0.0.1)", () => {
  let server: PgServer | undefined;
  pushdownConformance(async () => {
    if ("reason" in found) return undefined;
    server = await startPostgres(found.bin);
    const engine = await openPostgresEngine(server.url);
    const close = engine.close.bind(engine);
    engine.close = async () => {
      await close();
      await server?.stop();
    };
    return engine;
  });
});
