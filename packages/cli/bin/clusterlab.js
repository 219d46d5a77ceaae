#!/usr/bin/env node
import { main } from "../dist/main.js";

// `clusterlab ... | head` closes stdout early: stop quietly instead of printing an EPIPE stack trace.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
