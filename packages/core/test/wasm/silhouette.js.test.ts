// The metrics/silhouette tests again with the JS kernels forced (the default run uses "auto").
import { setKernelBackend } from "../../src/index.js";

setKernelBackend("js");
await import("../metrics/silhouette.test.js");
