// The metrics/errors tests again with the WASM kernels forced (the default run uses "auto").
import { setKernelBackend } from "../../src/index.js";

setKernelBackend("wasm");
await import("../metrics/errors.test.js");
