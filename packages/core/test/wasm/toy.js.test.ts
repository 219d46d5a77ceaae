// The metrics/toy tests again with the JS kernels forced (the default run uses "auto").
import { setKernelBackend } from "../../src/index.js";

setKernelBackend("js");
await import("../metrics/toy.test.js");
