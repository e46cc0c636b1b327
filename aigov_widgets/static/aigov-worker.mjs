// The page's one Python worker: boots the self-hosted Pyodide, unpacks the wheel of aigov_widgets
// (no micropip, no package index) and answers the page's requests through aigov_widgets.core.runtime.
// Stages are reported as they really happen: downloads end, Python starts, our package loads.

let runtime = null;

const stage = (name) => self.postMessage({ type: "stage", stage: name });

// Resolves when the two large runtime files have been downloaded. Pyodide fetches them itself; the
// worker's resource timing tells when their last byte arrived, without touching the responses (a
// wrapped response would lose the browser's compiled-WebAssembly cache).
function watchDownloads(indexURL) {
  const big = new Set(["pyodide.asm.wasm", "python_stdlib.zip"].map((name) => new URL(name, indexURL).href));
  return new Promise((resolve) => {
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) big.delete(entry.name);
      if (big.size === 0) {
        observer.disconnect();
        resolve();
      }
    });
    observer.observe({ type: "resource", buffered: true });
  });
}

// A memory snapshot of Python with our package imported (written by tools/site_assets.py next to the wheel,
// so it changes with the wheel, and named by Pyodide's version). It is used only when the browser has it
// cached: a first visit boots normally and then fetches it for the next visits, so a first visit never
// waits for its 5 MB. Any failure of the snapshot path ends in a normal boot.
async function cachedSnapshot(url) {
  try {
    const response = await fetch(url, { cache: "only-if-cached", mode: "same-origin" });
    return response.ok ? await response.arrayBuffer() : null;
  } catch {
    return null;
  }
}

function keepSnapshotForNextVisit(url) {
  if (self.navigator?.connection?.saveData === true) return;
  fetch(url, { priority: "low" })
    .then((response) => (response.ok ? response.body?.pipeTo(new WritableStream()) : null))
    .catch(() => {});
}

async function boot({ pyodide: indexURL, wheel, kinds }) {
  stage("download");
  const downloaded = watchDownloads(indexURL);
  // Our wheel is small: fetch it while Python starts.
  const wheelBytes = fetch(wheel).then((response) => {
    if (!response.ok) throw new Error(`${new URL(wheel).pathname.split("/").pop()}: HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  wheelBytes.catch(() => {});  // reported below, once Python runs
  const { loadPyodide, version } = await import(new URL("pyodide.mjs", indexURL).href);
  const options = { indexURL, stdout: () => {}, stderr: () => {} };
  const snapshotURL = new URL(`pyodide-${version}.snapshot`, wheel).href;
  const snapshot = await cachedSnapshot(snapshotURL);
  if (snapshot) {
    try {
      const starting = loadPyodide({ ...options, _loadSnapshot: snapshot });
      await Promise.race([downloaded, starting]);
      stage("start");
      const pyodide = await starting;
      stage("logic");
      pyodide.unpackArchive(await wheelBytes, "wheel");  // the snapshot has the memory, not the files
      runtime = pyodide.pyimport("aigov_widgets.core.runtime");
      runtime.prepare(JSON.stringify(kinds));
      return;
    } catch {
      runtime = null;  // a normal boot follows
    }
  }
  const starting = loadPyodide(options);
  await Promise.race([downloaded, starting]);
  stage("start");
  const pyodide = await starting;
  stage("logic");
  pyodide.unpackArchive(await wheelBytes, "wheel");
  runtime = pyodide.pyimport("aigov_widgets.core.runtime");
  runtime.prepare(JSON.stringify(kinds));
  if (!snapshot) keepSnapshotForNextVisit(snapshotURL);
}

self.addEventListener("message", async (event) => {
  const message = event.data;
  if (message.type === "init") {
    try {
      await boot(message);
      self.postMessage({ type: "ready" });
    } catch (error) {
      self.postMessage({ type: "failed", detail: String(error?.message ?? error).slice(0, 300) });
    }
  } else if (message.type === "request") {
    let response;
    try {
      response = runtime.handle(message.request);
    } catch (error) {
      response = JSON.stringify({ error: "evaluation", detail: String(error?.message ?? error).slice(0, 300) });
    }
    self.postMessage({ type: "answer", id: message.id, response });
  }
});
