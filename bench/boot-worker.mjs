// Benchmark only: bare Pyodide boot in a module worker, from the vendored files, nothing else.
self.addEventListener("message", async (event) => {
  const started = performance.now();
  const { loadPyodide } = await import(new URL("pyodide.mjs", event.data.indexURL).href);
  await loadPyodide({ indexURL: event.data.indexURL });
  self.postMessage({ ms: performance.now() - started });
});
