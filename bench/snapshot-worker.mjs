// Benchmark only (item 10 "Faster"): the boot of aigov-worker.mjs (Pyodide, our wheel, the runtime
// prepared), with or without a memory snapshot made in Node by bench/snapshot.mjs. With a snapshot the
// wasm memory comes from it (Pyodide's private `_loadSnapshot` option) but the file system does not:
// the wheel is unpacked again. Any failure of the snapshot path falls back to a normal boot.
self.addEventListener("message", async (event) => {
  const { pyodide: indexURL, wheel, kinds, snapshot } = event.data;
  const started = performance.now();
  const marks = {};
  try {
    const wheelBytes = fetch(wheel).then((response) => response.arrayBuffer());
    const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
    const options = { indexURL, stdout: () => {}, stderr: () => {} };
    let pyodide = null;
    let used = false;
    if (snapshot) {
      try {
        const bytes = fetch(snapshot).then((response) => {
          if (!response.ok) throw new Error(`snapshot: HTTP ${response.status}`);
          return response.arrayBuffer();
        });
        bytes.then(() => { marks.snapshot_fetched = performance.now() - started; }, () => {});
        pyodide = await loadPyodide({ ...options, _loadSnapshot: bytes });
        used = true;
      } catch (error) {
        marks.fallback = String(error?.message ?? error).slice(0, 200);
      }
    }
    pyodide ??= await loadPyodide(options);
    marks.python = performance.now() - started;
    const unpackStart = performance.now();
    pyodide.unpackArchive(await wheelBytes, "wheel");
    marks.unpack = performance.now() - unpackStart;
    const runtime = pyodide.pyimport("aigov_widgets.core.runtime");
    runtime.prepare(JSON.stringify(kinds));
    // One real request, so a snapshot that restored but cannot answer does not count as ready.
    const answer = JSON.parse(runtime.handle(JSON.stringify({
      widget: kinds[0], config: kinds[0], lang: "nl", today: "2026-12-06", action: "evaluate", state: {},
    })));
    self.postMessage({ ms: performance.now() - started, used, marks, answered: !answer.error, detail: answer.detail ?? null });
  } catch (error) {
    self.postMessage({ ms: null, error: String(error?.message ?? error).slice(0, 300), marks });
  }
});
