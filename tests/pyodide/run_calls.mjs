// Runs aigov_widgets.core under Pyodide in Node — the same npm package the site serves — and prints
// the results of a list of calls, so tests can compare them with CPython's.
// Usage: node run_calls.mjs WHEEL CALLS.json   (CALLS: [{"module", "function", "args"}])
import { readFile } from "node:fs/promises";
import { loadPyodide } from "pyodide";

const [wheelPath, callsPath] = process.argv.slice(2);
const pyodide = await loadPyodide();
// Node's Buffer is not a typed array Pyodide accepts: wrap it.
pyodide.unpackArchive(new Uint8Array(await readFile(wheelPath)), "wheel");
pyodide.globals.set("calls_json", await readFile(callsPath, "utf8"));
const result = pyodide.runPython(`
import importlib, json, sys
results = []
for call in json.loads(calls_json):
    function = getattr(importlib.import_module(call["module"]), call["function"])
    results.append(function(*call["args"]))
json.dumps({"python": sys.version.split()[0], "results": results}, sort_keys=True, ensure_ascii=False)
`);
process.stdout.write(result);
