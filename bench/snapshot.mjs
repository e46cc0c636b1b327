// Benchmark experiment (item 10 "Faster"): a Pyodide memory snapshot made in Node at build time.
// Usage: node bench/snapshot.mjs <pyodide dir> <wheel file> <out file>
// Boots Pyodide with _makeSnapshot, imports aigov_widgets.core.runtime (so its modules are in the heap),
// prepares every tool, then writes pyodide.makeMemorySnapshot(). The snapshot holds the wasm memory only: files written to
// Emscripten's file system (the unpacked wheel) are not in it, so the worker unpacks the wheel again.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [pyodideDir, wheelPath, out] = process.argv.slice(2);
const indexURL = path.resolve(pyodideDir) + "/";
const { loadPyodide } = await import(pathToFileURL(indexURL + "pyodide.mjs").href);
let started = performance.now();
const pyodide = await loadPyodide({ indexURL, _makeSnapshot: true, stdout: () => {}, stderr: () => {} });
const booted = performance.now() - started;
pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel");
// Every tool's modules (and the data they load at import) go into the snapshot.
pyodide.runPython(`
import json
from aigov_widgets.core import runtime
from aigov_widgets.core.tools import REGISTRY
runtime.prepare(json.dumps(list(REGISTRY)))
`);
started = performance.now();
const snapshot = pyodide.makeMemorySnapshot();
writeFileSync(out, snapshot);
console.log(JSON.stringify({ boot_ms: Math.round(booted), snapshot_ms: Math.round(performance.now() - started), bytes: snapshot.length }));
