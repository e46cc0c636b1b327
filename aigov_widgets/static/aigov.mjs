// aigov widgets in the page. Nothing happens until a reader first touches a widget (focus, pointer
// or key): then ONE module worker starts Python (Pyodide, self-hosted) and the guide's logic. Every
// result is computed by aigov_widgets.core in the worker; this module only moves form state to the
// worker and puts the answers (HTML escaped by the core) in place. No eval, no inline script.

const widgets = [...document.querySelectorAll("[data-aigov-widget]")];
const contentRoot = new URL(document.documentElement.dataset.content_root ?? "./", document.baseURI);
const pending = new Map();
let worker = null;
let booting = null;
let nextRequest = 1;

const texts = new Map(widgets.map((widget) => [
  widget, JSON.parse(widget.querySelector("script[data-aigov-texts]").textContent),
]));

function announce(widget, text) {
  widget.querySelector("[data-aigov-status]").textContent = text;
}

function say(widget, key) {
  announce(widget, texts.get(widget)[key]);
}

// data-aigov-state: static -> loading -> ready, or error (the static content stays usable).
function setState(state, detail = "") {
  for (const widget of widgets) {
    widget.dataset.aigovState = state;
    if (state === "ready") say(widget, "stage_ready");
    if (state === "error") {
      const words = texts.get(widget);
      announce(widget, `${words.error_runtime} ${detail ? `(${words.error_detail}: ${detail})` : ""}`.trim());
    }
  }
}

// --- the worker -------------------------------------------------------------------------------------

function boot(widget) {
  if (booting) return booting;
  const resolve = (path) => new URL(path, contentRoot).href;
  setState("loading");
  booting = new Promise((ready, failed) => {
    worker = new Worker(resolve(widget.dataset.aigovWorker), { type: "module" });
    worker.addEventListener("message", (event) => {
      const message = event.data;
      if (message.type === "stage") {
        for (const other of widgets) say(other, `stage_${message.stage}`);
      } else if (message.type === "ready") {
        setState("ready");
        ready();
      } else if (message.type === "failed") {
        failed(new Error(message.detail));
      } else if (message.type === "answer") {
        pending.get(message.id)?.(JSON.parse(message.response));
        pending.delete(message.id);
      }
    });
    worker.addEventListener("error", (event) => failed(new Error(event.message || "worker")));
    worker.postMessage({
      type: "init",
      pyodide: resolve(widget.dataset.aigovPyodide),
      wheel: resolve(widget.dataset.aigovWheel),
      kinds: [...new Set(widgets.map((each) => each.dataset.aigovWidget))],
    });
  }).catch((error) => {
    setState("error", error.message);
    throw error;
  });
  return booting;
}

async function ask(widget, request) {
  await boot(widget);
  const id = nextRequest++;
  const answer = new Promise((resolve) => pending.set(id, resolve));
  worker.postMessage({
    type: "request",
    id,
    request: JSON.stringify({
      widget: widget.dataset.aigovWidget,
      config: widget.dataset.aigovConfig,
      lang: widget.dataset.aigovLang,
      today: new Date().toISOString().slice(0, 10),
      ...request,
    }),
  });
  return answer;
}

// --- applying answers -----------------------------------------------------------------------------

function apply(widget, answer) {
  if (answer.error) {
    announce(widget, answer.message ?? `${texts.get(widget).error_runtime} (${answer.detail ?? answer.error})`);
    return false;
  }
  if (answer.visible) {
    const visible = new Set(answer.visible);
    for (const question of widget.querySelectorAll("[data-aigov-question]")) {
      question.hidden = !visible.has(question.dataset.aigovQuestion);
    }
  }
  for (const [id, html] of Object.entries(answer.regions ?? {})) {
    const region = document.getElementById(id);
    if (region && widget.contains(region)) region.innerHTML = html;
  }
  if (answer.announce) announce(widget, answer.announce);
  if (answer.download) download(answer.download);
  return true;
}

// Put the answers in the address bar and in a field to copy: the fragment never reaches a server.
function share(widget, fragment) {
  history.replaceState(null, "", fragment);
  const box = widget.querySelector("[data-aigov-share]");
  const field = box.querySelector("[data-aigov-link]");
  box.hidden = false;
  field.value = location.href;
  field.focus();
  field.select();
}

function download({ filename, type, content }) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// --- state: the form <-> a language-independent object in localStorage ---------------------------

const forms = {
  checklist: {
    collect(widget) {
      const items = {};
      for (const field of widget.querySelectorAll("[data-aigov-form] [name]")) {
        const [kind, id] = field.name.split(/:(.*)/s);
        const entry = (items[id] ??= { done: false, note: "" });
        if (kind === "done") entry.done = field.checked;
        if (kind === "note") entry.note = field.value;
      }
      for (const [id, entry] of Object.entries(items)) if (!entry.done && !entry.note) delete items[id];
      return { items };
    },
    restore(widget, state) {
      for (const field of widget.querySelectorAll("[data-aigov-form] [name]")) {
        const [kind, id] = field.name.split(/:(.*)/s);
        const entry = state.items?.[id] ?? {};
        if (kind === "done") field.checked = entry.done === true;
        if (kind === "note") field.value = typeof entry.note === "string" ? entry.note : "";
      }
    },
  },
};

// Answers travel as y / n / u (in the form's radio values and in links): true, false, "unsure".
const ANSWER = { y: true, n: false, u: "unsure" };
const CODE = new Map([[true, "y"], [false, "n"], ["unsure", "u"]]);

function fields(widget) {
  return widget.querySelectorAll("[data-aigov-form] [name]");
}

const questionnaire = {
  collect(widget) {
    const state = { answers: {} };
    for (const field of fields(widget)) {
      const [kind, id] = field.name.split(/:(.*)/s);
      if (kind === "q" && field.checked) state.answers[id] = ANSWER[field.value];
      if (kind === "ctx") (state.context ??= {})[id] = field.type === "checkbox" ? field.checked : field.value;
    }
    return state;
  },
  restore(widget, state) {
    for (const field of fields(widget)) {
      const [kind, id] = field.name.split(/:(.*)/s);
      if (kind === "q") field.checked = CODE.get(state.answers?.[id]) === field.value;
      if (kind === "ctx" && id in (state.context ?? {})) {
        if (field.type === "checkbox") field.checked = state.context[id] === true;
        else field.value = state.context[id] ?? "";
      }
    }
  },
  // "#aigov-<config>:art3.1=y&role=deployer&public_body=n" -> state (the core checks it again).
  fromLink(widget, hash) {
    const prefix = `#aigov-${widget.dataset.aigovConfig}:`;
    if (!hash.startsWith(prefix)) return null;
    const state = { answers: {}, context: {} };
    for (const [key, value] of new URLSearchParams(hash.slice(prefix.length))) {
      if (key in { role: 1, in_service_since: 1, date: 1 }) state.context[key] = value;
      else if (key === "public_body") state.context.public_body = value === "y";
      else if (value in ANSWER) state.answers[key] = ANSWER[value];
    }
    return state;
  },
};

// Plain forms: every named field is a key of the state ("o:tier" -> state.tier); a group of
// checkboxes with one name is a list, a lone checkbox a boolean.
const plain = {
  collect(widget) {
    const state = {};
    for (const field of fields(widget)) {
      const key = field.name.slice(field.name.indexOf(":") + 1);
      if (field.type === "checkbox" && field.value !== "on") {
        state[key] ??= [];
        if (field.checked) state[key].push(field.value);
      } else if (field.type === "checkbox") state[key] = field.checked;
      else if (field.type === "radio") { if (field.checked) state[key] = field.value; }
      else state[key] = field.value;
    }
    return state;
  },
  restore(widget, state) {
    for (const field of fields(widget)) {
      const key = field.name.slice(field.name.indexOf(":") + 1);
      if (!(key in state)) continue;
      if (field.type === "checkbox" && field.value !== "on") field.checked = state[key].includes(field.value);
      else if (field.type === "checkbox") field.checked = state[key] === true;
      else if (field.type === "radio") field.checked = state[key] === field.value;
      else field.value = state[key];
    }
  },
};

forms.classifier = questionnaire;
forms.roles = questionnaire;
forms.obligations = plain;

function save(widget, state) {
  try {
    localStorage.setItem(widget.dataset.aigovStorage, JSON.stringify(state));
  } catch {
    // Storage full or disabled: the widget still works for this visit.
  }
}

function stored(widget) {
  try {
    return JSON.parse(localStorage.getItem(widget.dataset.aigovStorage) ?? "null");
  } catch {
    return null;
  }
}

// --- wiring -----------------------------------------------------------------------------------------

function wire(widget) {
  const form = forms[widget.dataset.aigovWidget];
  const linked = form.fromLink?.(widget, decodeURIComponent(location.hash));
  const saved = linked ?? stored(widget);
  if (saved) form.restore(widget, saved);
  for (const hidden of widget.querySelectorAll("[data-aigov-actions], [data-aigov-idle], [data-aigov-status]")) hidden.removeAttribute("hidden");
  if (linked) say(widget, "prefilled");

  const start = () => {
    boot(widget).then(() => ask(widget, { action: "evaluate", state: form.collect(widget) }))
      .then((answer) => apply(widget, answer), () => {});
  };
  for (const type of ["focusin", "pointerdown", "keydown"]) widget.addEventListener(type, start, { once: true });

  const update = async () => {
    const state = form.collect(widget);
    save(widget, state);
    apply(widget, await ask(widget, { action: "evaluate", state }));
  };
  widget.querySelector("[data-aigov-form]").addEventListener("change", update);
  widget.querySelector("[data-aigov-form]").addEventListener("submit", (event) => event.preventDefault());

  for (const button of widget.querySelectorAll("button[data-aigov-action]")) {
    button.addEventListener("click", async () => {
      const action = button.dataset.aigovAction;
      if (action === "reset") {
        widget.querySelector("dialog").showModal();
        return;
      }
      if (action === "print") {
        window.print();
        return;
      }
      const answer = await ask(widget, { action, state: form.collect(widget) });
      apply(widget, answer);
      if (answer.link) share(widget, answer.link);
    });
  }

  const dialog = widget.querySelector("dialog");
  dialog?.addEventListener("close", async () => {
    if (dialog.returnValue !== "confirm") return;
    try { localStorage.removeItem(widget.dataset.aigovStorage); } catch { /* nothing stored */ }
    form.restore(widget, {});
    apply(widget, await ask(widget, { action: "evaluate", state: form.collect(widget) }));
    say(widget, "reset_done");
  });

  const importer = widget.querySelector("input[data-aigov-action=import]");
  importer?.addEventListener("change", async () => {
    const file = importer.files[0];
    importer.value = "";
    if (!file) return;
    if (file.size > 1_000_000) {
      say(widget, "import_too_large");
      return;
    }
    const answer = await ask(widget, { action: "import", text: await file.text() });
    if (apply(widget, answer) && answer.state) {
      form.restore(widget, answer.state);
      save(widget, answer.state);
    }
  });
}

widgets.forEach(wire);
