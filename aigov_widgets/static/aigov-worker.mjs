// The page's one Python worker: boots the self-hosted Pyodide, unpacks the wheel of aigov_widgets
// (no micropip, no package index) and answers the page's requests through aigov_widgets.core.runtime.
// Stages are reported as they really happen: downloads end, Python starts, our package loads.

let runtime = null;

const stage = (name) => self.postMessage({ type: "stage", stage: name });

// Resolves when the two large runtime files have been downloaded. Pyodide fetches them itself; we
// only watch their bodies stream past, so each byte is fetched once.
function watchDownloads(indexURL) {
  const big = ["pyodide.asm.wasm", "python_stdlib.zip"].map((name) => new URL(name, indexURL).href);
  const finished = new Set();
  let done;
  const allDone = new Promise((resolve) => { done = resolve; });
  const originalFetch = self.fetch.bind(self);
  self.fetch = async (input, init) => {
    const response = await originalFetch(input, init);
    const url = new URL(typeof input === "string" ? input : input.url, self.location.href).href;
    if (!big.includes(url) || !response.body) return response;
    const watcher = new TransformStream({
      flush() {
        finished.add(url);
        if (finished.size === big.length) done();
      },
    });
    return new Response(response.body.pipeThrough(watcher), {
      status: response.status, statusText: response.statusText, headers: response.headers,
    });
  };
  return allDone;
}

async function boot({ pyodide: indexURL, wheel }) {
  stage("download");
  const downloaded = watchDownloads(indexURL);
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  const starting = loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} });
  await Promise.race([downloaded, starting]);
  stage("start");
  const pyodide = await starting;
  stage("logic");
  const response = await fetch(wheel);
  if (!response.ok) throw new Error(`${new URL(wheel).pathname.split("/").pop()}: HTTP ${response.status}`);
  pyodide.unpackArchive(await response.arrayBuffer(), "wheel");
  runtime = pyodide.pyimport("aigov_widgets.core.runtime");
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
      response = JSON.stringify({ error: "internal", detail: String(error?.message ?? error).slice(0, 300) });
    }
    self.postMessage({ type: "answer", id: message.id, response });
  }
});
