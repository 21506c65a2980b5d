// The training worker. The page posts the URLs of its own build (the JavaScript module and the
// wasm file it loaded itself), so the worker runs the very same build: nothing is compiled or
// downloaded twice. `worker_main` then takes over the worker's messages (src/runner/worker.rs).
self.onmessage = async (event) => {
  self.onmessage = null;
  try {
    const { module, wasm } = event.data;
    const build = await import(module);
    const exports = await build.default({ module_or_path: wasm });
    // Read by the soak check (scripts/soak.sh): the worker's wasm memory in bytes.
    self.wasmMemoryBytes = () => exports.memory.buffer.byteLength;
    build.worker_main();
  } catch (error) {
    self.postMessage({ failed: String(error && error.message ? error.message : error) });
  }
};
