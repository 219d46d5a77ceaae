// The committed WebAssembly module (src/wasm/kernels.generated.ts) was compiled from the current
// AssemblyScript sources: its source hash matches, and a fresh compile gives the same module.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile, render, sourceHash } from "../../scripts/build-wasm.mjs";
import { KERNELS_SOURCE_HASH } from "../../src/wasm/kernels.generated.js";

const generated = new URL("../../src/wasm/kernels.generated.ts", import.meta.url);

describe("generated WebAssembly module", () => {
  it("records the hash of the current sources", () => {
    expect(KERNELS_SOURCE_HASH).toBe(sourceHash());
  });

  it("equals a fresh compile of packages/core/assembly", async () => {
    const hash = sourceHash();
    const { SHARED_FLAGS, FLAGS } = await import("../../scripts/build-wasm.mjs");
    const fresh = render(await compile(FLAGS), await compile(SHARED_FLAGS), hash);
    expect(fresh).toBe(readFileSync(generated, "utf8"));
  });
});
