// The metrics/internal.reference tests again with the JS kernels forced (the default run uses "auto").
import { setKernelBackend } from "../../src/index.js";

setKernelBackend("js");
await import("../metrics/internal.reference.test.js");
