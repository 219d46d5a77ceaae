// One worker of createNodeExecutor (nodeExecutor.mjs): instantiates the shared-memory kernels on
// the memory it is given, then takes calls of each run from the run's shared counter, writing
// their results and done flags to the run's shared arrays.
import { parentPort } from "node:worker_threads";

let exports = null;

parentPort.on("message", (m) => {
  if (m.type === "attach") {
    exports = new WebAssembly.Instance(m.module, { env: { memory: m.memory } }).exports;
    return;
  }
  const counter = new Int32Array(m.counter);
  const flags = new Int32Array(m.flags);
  const results = new Float64Array(m.results);
  const n = m.calls.length;
  for (let c = Atomics.add(counter, 0, 1); c < n; c = Atomics.add(counter, 0, 1)) {
    let status = 1;
    try {
      const [name, ...args] = m.calls[c];
      results[c] = exports[name](...args);
    } catch (e) {
      status = 2;
      console.error(e);
    }
    Atomics.store(flags, c, status);
    Atomics.notify(flags, c);
  }
});
