// aigov tools in the page. One module worker runs Python (Pyodide, self-hosted) and the guide's logic;
// every result is computed by aigov_widgets.core in the worker and this module only moves form state to
// the worker and puts the answers (HTML escaped by the core) in place. No eval, no inline script.
//
// What each tool is (its form type, whether its page is a tool page) and every constant this module
// needs (texts, answer codes, link prefix, size and time bounds) come from the page, written by the
// core's registry and frame: nothing here repeats them.
//
// When Python starts: on a tool page once the page is idle (unless the browser asks to save data); on
// other pages at the first touch of a tool, or at load when the reader has saved work there. Requests
// made while it starts wait for it, so the first answer gets its result at once.
//
// Nothing a reader did can disable a tool: a malformed link, stored value or file is set aside with a
// message, the reset stays reachable, and a start that fails or takes too long ends in the error state
// with the static content usable.

const widgets = [...document.querySelectorAll("[data-aigov-widget]")];
const contentRoot = new URL(document.documentElement.dataset.content_root ?? "./", document.baseURI);
const pending = new Map();
let worker = null;
let booting = null;
let nextRequest = 1;

function readConfig(widget) {
  try {
    return JSON.parse(widget.querySelector("script[data-aigov-page-config]").textContent);
  } catch {
    return { texts: {}, answer_codes: {}, link_prefix: "#", max_import: 0, boot_timeout: 60_000 };
  }
}
const configs = new Map(widgets.map((widget) => [widget, readConfig(widget)]));
const config = (widget) => configs.get(widget);

function announce(widget, text) {
  const status = widget.querySelector("[data-aigov-status]");
  if (status) status.textContent = text ?? "";
}

function say(widget, key) {
  announce(widget, config(widget).texts[key]);
}

// Something the reader must know that outlives the status line (a link or stored data set aside).
function notice(widget, key) {
  const box = widget.querySelector("[data-aigov-notice]");
  if (box) {
    box.textContent = config(widget).texts[key];
    box.hidden = false;
  }
  say(widget, key);
}

// data-aigov-state: static -> loading -> ready, or error (the static content stays usable).
function setState(state, textKey = null) {
  for (const widget of widgets) {
    widget.dataset.aigovState = state;
    if (state === "ready") say(widget, "stage_ready");
    if (state === "error") say(widget, textKey ?? "error_runtime");
  }
}

// --- the worker -------------------------------------------------------------------------------------

function boot() {
  if (booting) return booting;
  const first = widgets[0];
  const resolve = (path) => new URL(path, contentRoot).href;
  setState("loading");
  booting = new Promise((ready, failed) => {
    const timer = setTimeout(() => failed(Object.assign(new Error("timeout"), { textKey: "error_timeout" })),
      config(first).boot_timeout);
    worker = new Worker(resolve(first.dataset.aigovWorker), { type: "module" });
    worker.addEventListener("message", (event) => {
      const message = event.data;
      if (message.type === "stage") {
        for (const widget of widgets) say(widget, `stage_${message.stage}`);
      } else if (message.type === "ready") {
        clearTimeout(timer);
        setState("ready");
        ready();
      } else if (message.type === "failed") {
        clearTimeout(timer);
        failed(new Error(message.detail));
      } else if (message.type === "answer") {
        pending.get(message.id)?.(JSON.parse(message.response));
        pending.delete(message.id);
      }
    });
    worker.addEventListener("error", (event) => {
      clearTimeout(timer);
      failed(new Error(event.message || "worker"));
    });
    worker.postMessage({
      type: "init",
      pyodide: resolve(first.dataset.aigovPyodide),
      wheel: resolve(first.dataset.aigovWheel),
      kinds: [...new Set(widgets.map((each) => each.dataset.aigovWidget))],
    });
  }).catch((error) => {
    // The technical detail is for the console; the reader gets a sentence in the page's language.
    console.warn("aigov: the tools could not start:", error.message);
    worker?.terminate();
    setState("error", error.textKey);
    throw error;
  });
  return booting;
}

async function ask(widget, request) {
  await boot();
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

function resultRegion(widget) {
  return widget.querySelector("[data-aigov-result]");
}

function apply(widget, answer) {
  if (answer.error) {
    if (answer.detail) console.warn(`aigov ${widget.dataset.aigovWidget}:`, answer.detail);
    if (answer.error === "evaluation") {
      resultRegion(widget)?.setAttribute("data-aigov-result", "error");
      say(widget, "error_evaluation");
    } else if (answer.error === "state_invalid") {
      setAsideCurrent(widget);
    } else {
      announce(widget, answer.message ?? config(widget).texts.error_evaluation);
    }
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
    // A region belongs to the tool, or to its running result moved beside the article.
    if (region && (widget.contains(region) || region.closest("[data-aigov-aside]"))) region.innerHTML = html;
  }
  if (answer.status) resultRegion(widget)?.setAttribute("data-aigov-result", answer.status);
  guides.get(widget)?.refresh();
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

// Copy the share link: the Clipboard API where the browser allows it, else the selected field.
async function copyLink(widget) {
  const field = widget.querySelector("[data-aigov-link]");
  if (!field?.value) return;
  try {
    await navigator.clipboard.writeText(field.value);
  } catch {
    field.focus();
    field.select();
    document.execCommand("copy");
  }
  say(widget, "link_copied");
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

// --- form adapters: the form <-> a language-independent state (checked again by the core) ------------

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
const fields = (widget) => widget.querySelectorAll("[data-aigov-form] [name]");
const splitName = (name) => name.split(/:(.*)/s);

const adapters = {
  // Quizzes (core/tools/quiz.py): the draw (seed and ids on the list the core rendered), the options
  // chosen, the learner's name, and what the core marked as finished or checked (hidden fields it renders).
  // A stored or imported attempt with another draw asks the core for that draw's questions first. Every
  // answer of the core that replaces a part of the form is saved, and answered-and-checked questions lock.
  quiz: {
    waiting: new WeakMap(),
    watched: new WeakSet(),
    collect(widget) {
      adapters.quiz.watch(widget);
      const waiting = adapters.quiz.waiting.get(widget);
      if (waiting) return waiting;
      const list = widget.querySelector("[data-aigov-seed]");
      const state = {
        seed: Number(list?.dataset.aigovSeed ?? 0),
        ids: (list?.dataset.aigovIds ?? "").split(" ").filter(Boolean),
        answers: {}, finished: false, name: "", checked: [],
      };
      for (const field of fields(widget)) {
        const [kind, id] = splitName(field.name);
        if (kind === "q" && field.checked) (state.answers[id] ??= []).push(field.value);
        else if (field.name === "quiz:name") state.name = field.value;
        else if (field.name === "quiz:finished") state.finished = field.value === "1";
        else if (field.name === "quiz:checked") state.checked = field.value.split(" ").filter(Boolean);
      }
      return state;
    },
    restore(widget, state) {
      adapters.quiz.watch(widget);
      const list = widget.querySelector("[data-aigov-seed]");
      const ids = Array.isArray(state.ids) ? state.ids : [];
      const same = list && Number(list.dataset.aigovSeed) === state.seed && list.dataset.aigovIds === ids.join(" ");
      if (!same && Number.isInteger(state.seed) && ids.length) {
        adapters.quiz.waiting.set(widget, state);
        ask(widget, { action: "render", state }).then((answer) => {
          adapters.quiz.waiting.delete(widget);
          if (apply(widget, answer)) adapters.quiz.fill(widget, answer.state ?? state);
        }, () => adapters.quiz.waiting.delete(widget));
        return;
      }
      adapters.quiz.fill(widget, state);
    },
    fill(widget, state) {
      const answers = isObject(state.answers) ? state.answers : {};
      for (const field of fields(widget)) {
        const [kind, id] = splitName(field.name);
        // The default follows too, so that the reset (which returns to the defaults) clears a rendered attempt.
        if (kind === "q") field.checked = field.defaultChecked = Array.isArray(answers[id]) && answers[id].includes(field.value);
        else if (field.name === "quiz:name") field.value = typeof state.name === "string" ? state.name : "";
        else if (field.name === "quiz:finished") field.value = state.finished === true ? "1" : "";
        else if (field.name === "quiz:checked") field.value = Array.isArray(state.checked) ? state.checked.join(" ") : "";
      }
      adapters.quiz.lock(widget);
    },
    // A finished quiz, and in immediate mode a checked question, cannot be changed any more.
    lock(widget) {
      const state = adapters.quiz.collect(widget);
      for (const item of widget.querySelectorAll("[data-aigov-question-id]")) {
        const fieldset = item.querySelector("fieldset");
        if (fieldset) fieldset.disabled = state.finished || state.checked.includes(item.dataset.aigovQuestionId);
      }
    },
    watch(widget) {
      if (adapters.quiz.watched.has(widget)) return;
      adapters.quiz.watched.add(widget);
      const form = widget.querySelector("[data-aigov-form]");
      const region = widget.querySelector("[data-aigov-static-seed]");
      new MutationObserver(() => {
        if (adapters.quiz.waiting.has(widget)) return;
        adapters.quiz.lock(widget);
        const state = adapters.quiz.collect(widget);
        const fresh = String(state.seed) === region?.dataset.aigovStaticSeed && !state.finished && !state.name
          && !Object.keys(state.answers).length;
        if (!fresh) save(widget, state);
      }).observe(form, { childList: true, subtree: true });
    },
  },

  // The trainer's page (core/tools/quiz_records.py): the records chosen are read here and merged by the
  // core, which answers with the summary and the CSV to download.
  "quiz-records": {
    collect(widget) {
      const input = widget.querySelector("input[data-aigov-records]");
      const files = [...(input?.files ?? [])];
      if (files.length) {
        input.value = "";
        const limit = config(widget).max_import;
        Promise.all(files.map(async (file) => ({ name: file.name, text: file.size > limit ? null : await file.text() })))
          .then((read) => ask(widget, { action: "merge", files: read }))
          .then((answer) => apply(widget, answer), () => {});
      }
      return {};
    },
    restore() {},
  },

  // The register of AI systems (core/tools/register_tool.py): the register file itself sits in a hidden field;
  // the form holds the system being edited (its fields, the classifier's answers and context), the sort and
  // the filters. Saving, editing, duplicating and removing a system and importing a file are actions of the
  // core; an answer that carries a state is shown and saved. An import shows the core's merge preview in a
  // dialog and changes nothing unless the reader confirms; a removal and an import can be undone.
  register: {
    watched: new WeakSet(),
    pending: new WeakMap(),
    collect(widget) {
      adapters.register.watch(widget);
      const codes = config(widget).answer_codes;
      let register = "";
      try {
        register = JSON.parse(widget.querySelector("[data-aigov-register-data]")?.value || '""');
      } catch {
        register = "";
      }
      const state = { register, editing: widget.querySelector("[data-aigov-register-editing]")?.value ?? "",
        draft: { fields: {}, answers: {}, context: {} }, view: {}, organisation: {} };
      const value = (field) => (field.type === "checkbox" ? field.checked : field.value);
      for (const field of fields(widget)) {
        const [kind, id] = splitName(field.name);
        if (kind === "sys") state.draft.fields[id] = value(field);
        else if (kind === "q" && field.checked && field.value in codes) state.draft.answers[id] = codes[field.value];
        else if (kind === "ctx") state.draft.context[id] = value(field);
        else if (kind === "view") state.view[id] = field.value;
        else if (kind === "org") state.organisation[id] = field.value;
      }
      return state;
    },
    restore(widget, state) {
      adapters.register.watch(widget);
      const codes = config(widget).answer_codes;
      const draft = isObject(state.draft) ? state.draft : {};
      const given = (value) => (isObject(value) ? value : {});
      const values = { sys: given(draft.fields), ctx: given(draft.context), view: given(state.view) };
      const register = isObject(state.register) ? state.register : null;
      // The institution's fields: as typed (an older version kept the name alone), else the register's.
      const typed = typeof state.organisation === "string" ? { name: state.organisation } : state.organisation;
      const organisation = isObject(typed) ? typed : given(register?.organisation);
      widget.querySelector("[data-aigov-register-data]").value = register ? JSON.stringify(register) : "";
      widget.querySelector("[data-aigov-register-editing]").value = typeof state.editing === "string" ? state.editing : "";
      const answers = given(draft.answers);
      for (const field of fields(widget)) {
        const [kind, id] = splitName(field.name);
        let value = kind === "org" ? (organisation[id] === "-" ? "" : organisation[id]) : values[kind]?.[id];
        if (kind === "q") field.checked = id in answers && codes[field.value] === answers[id];
        else if (field.type === "checkbox") field.checked = typeof value === "boolean" ? value : field.defaultChecked;
        else if (field.tagName === "SELECT") {
          if (typeof value === "boolean") value = value ? "y" : "n";
          if ([...field.options].some((option) => option.value === value)) field.value = value;
          else for (const option of field.options) option.selected = option.defaultSelected;
        } else field.value = typeof value === "string" ? value : field.defaultValue;
      }
    },
    // An answer of the core that carries a new state: show it, put it in the form and save it.
    take(widget, answer, undoable) {
      if (undoable && answer.state) offerUndo(widget, readLibrary(widget), "reset_done");
      if (apply(widget, answer) && answer.state) {
        adapters.register.restore(widget, answer.state);
        save(widget, answer.state);
      }
    },
    watch(widget) {
      if (adapters.register.watched.has(widget)) return;
      adapters.register.watched.add(widget);
      const self = adapters.register;
      widget.querySelector("[data-aigov-register-buttons]")?.removeAttribute("hidden");
      widget.addEventListener("click", async (event) => {
        const button = event.target.closest("button[data-aigov-register]");
        if (!button || !widget.contains(button)) return;
        const action = button.dataset.aigovRegister;
        const answer = await ask(widget, { action, system: button.dataset.aigovSystem ?? "",
          document: button.dataset.aigovDocument ?? "", state: self.collect(widget) });
        self.take(widget, answer, action === "remove");
        if (answer.state && (action === "edit" || action === "new-system")) {
          widget.querySelector("[name='sys:name']")?.focus();
        }
        if (answer.focus) document.getElementById(answer.focus)?.focus();
      });
      // A document filled for one system prints alone: the page's other content is left off the paper.
      widget.addEventListener("click", (event) => {
        const button = event.target.closest("button[data-aigov-print-document]");
        if (!button) return;
        const path = [];
        for (let node = button.closest("section")?.parentElement; node && node !== document.body; node = node.parentElement) {
          node.dataset.aigovPrintPath = "";
          path.push(node);
        }
        document.documentElement.dataset.aigovPrintDocument = "";
        window.addEventListener("afterprint", () => {
          delete document.documentElement.dataset.aigovPrintDocument;
          for (const node of path) delete node.dataset.aigovPrintPath;
        }, { once: true });
        window.print();
      });
      const input = widget.querySelector("input[data-aigov-register-import]");
      const dialog = widget.querySelector("dialog[data-aigov-register-dialog]");
      input?.addEventListener("change", async () => {
        const file = input.files[0];
        input.value = "";
        if (!file) return;
        if (file.size > config(widget).max_import) {
          say(widget, "import_too_large");
          return;
        }
        const text = await file.text();
        const answer = await ask(widget, { action: "import-preview", text, state: self.collect(widget) });
        if (!apply(widget, answer) || !answer.preview) return;
        self.pending.set(widget, text);
        dialog.returnValue = "";
        dialog.showModal();
      });
      dialog?.addEventListener("close", async () => {
        const text = self.pending.get(widget);
        self.pending.delete(widget);
        if (!text) return;
        if (dialog.returnValue !== "confirm" && dialog.returnValue !== "merge") {
          announce(widget, dialog.dataset.aigovCancelled);
          return;
        }
        const action = dialog.returnValue === "merge" ? "import-merge" : "import-apply";
        self.take(widget, await ask(widget, { action, text, state: self.collect(widget) }), true);
      });
    },
  },

  checklist: {
    collect(widget) {
      const items = {};
      for (const field of fields(widget)) {
        const [kind, id] = splitName(field.name);
        const entry = (items[id] ??= { done: false, note: "" });
        if (kind === "done") entry.done = field.checked;
        if (kind === "note") entry.note = field.value;
      }
      for (const [id, entry] of Object.entries(items)) if (!entry.done && !entry.note) delete items[id];
      return { items };
    },
    restore(widget, state) {
      const items = isObject(state.items) ? state.items : {};
      for (const field of fields(widget)) {
        const [kind, id] = splitName(field.name);
        const entry = isObject(items[id]) ? items[id] : {};
        if (kind === "done") field.checked = entry.done === true;
        if (kind === "note") field.value = typeof entry.note === "string" ? entry.note : "";
      }
    },
  },

  questionnaire: {
    collect(widget) {
      const codes = config(widget).answer_codes;
      const state = { answers: {} };
      for (const field of fields(widget)) {
        const [kind, id] = splitName(field.name);
        if (kind === "q" && field.checked && field.value in codes) state.answers[id] = codes[field.value];
        if (kind === "ctx") (state.context ??= {})[id] = field.type === "checkbox" ? field.checked : field.value;
      }
      return state;
    },
    restore(widget, state) {
      const codes = config(widget).answer_codes;
      const answers = isObject(state.answers) ? state.answers : {};
      const context = isObject(state.context) ? state.context : {};
      for (const field of fields(widget)) {
        const [kind, id] = splitName(field.name);
        if (kind === "q") field.checked = id in answers && codes[field.value] === answers[id];
        if (kind === "ctx" && id in context) {
          if (field.type === "checkbox") field.checked = context[id] === true;
          else field.value = typeof context[id] === "string" ? context[id] : "";
        }
      }
    },
    // "#aigov-<config>:art3.1=y&role=deployer&public_body=n" -> state, or "bad" when it cannot be read.
    fromLink(widget) {
      const { link_prefix: prefix, answer_codes: codes } = config(widget);
      let hash;
      try {
        hash = decodeURIComponent(location.hash);
      } catch {
        return location.hash.startsWith(prefix.slice(0, 7)) ? "bad" : null;
      }
      if (!hash.startsWith(prefix)) return null;
      const names = new Set([...fields(widget)].map((field) => field.name));
      const state = { answers: {}, context: {} };
      for (const [key, value] of new URLSearchParams(hash.slice(prefix.length))) {
        if (names.has(`q:${key}`) && value in codes) state.answers[key] = codes[value];
        else if (names.has(`ctx:${key}`)) {
          const field = widget.querySelector(`[name="ctx:${CSS.escape(key)}"]`);
          state.context[key] = field.type === "checkbox" ? codes[value] === true : value;
        } else return "bad";
      }
      return state;
    },
  },

  // Plain forms: every named field is a key of the state ("o:tier" -> state.tier); a group of
  // checkboxes with one name is a list, a lone checkbox a boolean.
  plain: {
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
        const value = state[key];
        if (field.type === "checkbox" && field.value !== "on") field.checked = Array.isArray(value) && value.includes(field.value);
        else if (field.type === "checkbox") field.checked = value === true;
        else if (field.type === "radio") field.checked = value === field.value;
        else if (typeof value === "string" && (field.tagName !== "SELECT" || [...field.options].some((o) => o.value === value))) field.value = value;
      }
    },
  },
};

// --- saved work: several named assessments per tool, in this browser ------------------------------
//
// Under "<storage>.saved": {"version": 1, "current": id, "entries": [{id, name, state, updated, rules}]}: `rules`
// is the rules version the state was saved under; the first save under newer rules keeps the older state
// in `previous` (the core reads older states, filling what new questions add). A state
// stored by an older version under "<storage>" itself becomes the first entry. Nothing the reader saved is
// ever dropped: unreadable data is set aside under "<storage>.set-aside" with a message, a link or an
// import opens as a new entry, and a reset or a deletion can be undone.

const undoable = new Map();
const today = () => new Date().toISOString().slice(0, 10);

function storageGet(key) {
  try { return localStorage.getItem(key); } catch { return null; }
}
function storageSet(key, value) {
  try { localStorage.setItem(key, value); } catch { /* storage full or disabled: this visit still works */ }
}
function storageRemove(key) {
  try { localStorage.removeItem(key); } catch { /* nothing stored */ }
}

// Something stored that cannot be used is kept aside (never silently lost) and the reader is told.
function setAside(widget, key, raw) {
  if (raw !== null) storageSet(`${widget.dataset.aigovStorage}.set-aside`, raw);
  storageRemove(key);
  notice(widget, "storage_bad");
}

// Saved work the core no longer accepts (a register that stopped validating after a change of the data):
// the entry is kept aside whole, the form starts empty, and the reader is told.
function setAsideCurrent(widget) {
  const library = readLibrary(widget);
  const entry = currentEntry(library);
  if (entry) {
    storageSet(`${widget.dataset.aigovStorage}.set-aside`, JSON.stringify(entry));
    library.entries = library.entries.filter((each) => each !== entry);
    library.current = library.entries[0]?.id ?? null;
    writeLibrary(widget, library);
  }
  adapters[widget.dataset.aigovFormType]?.restore(widget, {});
  showLibrary(widget, library);
  notice(widget, "storage_bad");
}

function readLibrary(widget) {
  const key = `${widget.dataset.aigovStorage}.saved`;
  const raw = storageGet(key);
  if (raw !== null) {
    try {
      const library = JSON.parse(raw);
      if (isObject(library) && Array.isArray(library.entries)
          && library.entries.every((entry) => isObject(entry) && typeof entry.id === "string" && isObject(entry.state))) {
        return library;
      }
    } catch { /* below */ }
    setAside(widget, key, raw);
  }
  const library = { version: 1, current: null, entries: [] };
  // The single state an earlier version kept.
  const legacyKey = widget.dataset.aigovStorage;
  const legacy = storageGet(legacyKey);
  if (legacy !== null) {
    let state = null;
    try { state = JSON.parse(legacy); } catch { /* below */ }
    if (isObject(state)) {
      addEntry(widget, library, state, fill(config(widget).texts.saved_default, { n: 1 }));
      writeLibrary(widget, library);
      storageRemove(legacyKey);
    } else {
      setAside(widget, legacyKey, legacy);
    }
  }
  return library;
}

function writeLibrary(widget, library) {
  storageSet(`${widget.dataset.aigovStorage}.saved`, JSON.stringify(library));
}

function addEntry(widget, library, state, name) {
  const id = `a${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  library.entries.push({ id, name: name ?? fill(config(widget).texts.saved_default, { n: library.entries.length + 1 }),
    state, updated: today(), rules: config(widget).rules_version });
  library.current = id;
  return id;
}

const currentEntry = (library) => library.entries.find((entry) => entry.id === library.current) ?? null;

function stored(widget) {
  const library = readLibrary(widget);
  return currentEntry(library)?.state ?? null;
}

function save(widget, state) {
  const library = readLibrary(widget);
  const entry = currentEntry(library);
  if (entry) {
    // Work saved under earlier rules is kept as it was before the first save under the new ones.
    const rules = config(widget).rules_version;
    if (entry.rules !== rules && !entry.previous) entry.previous = { rules: entry.rules ?? null, state: entry.state };
    entry.rules = rules;
    entry.state = state;
    entry.updated = today();
  } else {
    addEntry(widget, library, state);
  }
  writeLibrary(widget, library);
  showLibrary(widget, library);
}

// A state from a link or a file becomes a new entry, never written over the reader's own (the same state
// as the current entry, e.g. after a reload of a shared link, is not added twice).
function adopt(widget, state, nameKey) {
  const library = readLibrary(widget);
  const entry = currentEntry(library);
  if (entry && JSON.stringify(entry.state) === JSON.stringify(state)) return false;
  addEntry(widget, library, state, fill(config(widget).texts[nameKey], { date: today() }));
  writeLibrary(widget, library);
  return true;
}

function showLibrary(widget, library = readLibrary(widget)) {
  const select = widget.querySelector("[data-aigov-saved-select]");
  const name = widget.querySelector("[data-aigov-saved-name]");
  if (!select || !name) return;
  select.replaceChildren(...library.entries.map((entry) => {
    const option = document.createElement("option");
    option.value = entry.id;
    option.textContent = `${entry.name} (${entry.updated ?? ""})`;
    option.selected = entry.id === library.current;
    return option;
  }));
  const entry = currentEntry(library);
  if (document.activeElement !== name) name.value = entry?.name ?? "";
  for (const button of widget.querySelectorAll("[data-aigov-saved-action=duplicate], [data-aigov-saved-action=delete]")) {
    button.disabled = !entry;
  }
}

function offerUndo(widget, library, messageKey) {
  undoable.set(widget, JSON.stringify(library));
  widget.querySelector("[data-aigov-undo-box]")?.removeAttribute("hidden");
  say(widget, messageKey);
}

// --- the guided flow: one step (a section with a question that still matters) at a time -----------

const guides = new Map();
const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");

function guide(widget, form) {
  const box = widget.querySelector("[data-aigov-steps]");
  const buttons = widget.querySelector("[data-aigov-step-buttons]");
  if (!box || !buttons) return null;
  const texts = config(widget).texts;
  const label = box.querySelector("[data-aigov-step-label]");
  const list = box.querySelector("[data-aigov-step-list]");
  // The questions come first; the reader's situation (role, dates), which only the duties depend on, last.
  const all = [...form.querySelectorAll("[data-aigov-section]")];
  const sections = [...all.filter((section) => section.querySelector("[data-aigov-question]")),
    ...all.filter((section) => !section.querySelector("[data-aigov-question]"))];
  const questions = (section) => [...section.querySelectorAll("[data-aigov-question]")].filter((q) => !q.hidden);
  const open = (section) => questions(section).filter((q) => !q.querySelector("input:checked"));
  // A section is a step while it holds a question that still matters (the context is always one).
  const steps = () => sections.filter((section) => !section.querySelector("[data-aigov-question]") || questions(section).length);
  const title = (section) => section.querySelector("legend")?.textContent.trim() ?? "";
  let current = sections[0]?.dataset.aigovSection;

  function show(id, moveFocus = false) {
    const live = steps();
    if (!live.length) return;
    let index = live.findIndex((section) => section.dataset.aigovSection === id);
    if (index < 0) {
      // The step went away (an answer made it irrelevant): the next one that still matters, else the last.
      const position = sections.findIndex((section) => section.dataset.aigovSection === id);
      index = live.findIndex((section) => sections.indexOf(section) > position);
      if (index < 0) index = live.length - 1;
    }
    const step = live[index];
    current = step.dataset.aigovSection;
    for (const section of sections) section.classList.toggle("aigov-step-off", section !== step);
    label.textContent = `${fill(texts.step_of, { n: index + 1, total: live.length })}: ${title(step)}`;
    buttons.querySelector("[data-aigov-step=prev]").disabled = index === 0;
    buttons.querySelector("[data-aigov-step=next]").disabled = index === live.length - 1;
    buttons.querySelector("[data-aigov-step=none]").hidden = open(step).length === 0;
    list.replaceChildren(...live.map((section) => {
      const item = document.createElement("li");
      const go = document.createElement("button");
      go.type = "button";
      go.className = "link";
      const state = open(section).length ? texts.step_open : texts.step_done;
      go.textContent = `${title(section)} (${section.querySelector("[data-aigov-question]") ? state : "✓"})`;
      if (section === step) go.setAttribute("aria-current", "step");
      go.addEventListener("click", () => show(section.dataset.aigovSection, true));
      item.append(go);
      return item;
    }));
    if (moveFocus) {
      step.tabIndex = -1;
      step.focus({ preventScroll: true });
      step.scrollIntoView({ block: "start" });
    }
  }

  function move(delta) {
    const live = steps();
    const index = live.findIndex((section) => section.dataset.aigovSection === current);
    const next = live[Math.min(Math.max(index + delta, 0), live.length - 1)];
    if (next) show(next.dataset.aigovSection, true);
  }

  buttons.querySelector("[data-aigov-step=prev]").addEventListener("click", () => move(-1));
  buttons.querySelector("[data-aigov-step=next]").addEventListener("click", () => move(1));
  // "None of these applies": an explicit "no" to the step's open questions, given by the reader.
  buttons.querySelector("[data-aigov-step=none]").addEventListener("click", () => {
    const step = sections.find((section) => section.dataset.aigovSection === current);
    for (const question of open(step)) {
      const no = question.querySelector("input[type=radio][value=n]");
      if (no) no.checked = true;
    }
    form.dispatchEvent(new Event("change", { bubbles: true }));
  });

  widget.classList.add("aigov-guided");
  box.hidden = false;
  buttons.hidden = false;
  show(current);
  return { refresh: () => show(current) };
}

// --- wiring -----------------------------------------------------------------------------------------

const started = new Set();

function evaluateNow(widget) {
  if (started.has(widget)) return;
  started.add(widget);
  const adapter = adapters[widget.dataset.aigovFormType];
  ask(widget, { action: "evaluate", state: adapter.collect(widget) })
    .then((answer) => apply(widget, answer), () => {});
}

function wire(widget) {
  // First what must work whatever follows: the controls (reset included) become visible.
  for (const hidden of widget.querySelectorAll("[data-aigov-actions], [data-aigov-idle], [data-aigov-status]")) {
    hidden.removeAttribute("hidden");
  }
  const adapter = adapters[widget.dataset.aigovFormType];
  const form = widget.querySelector("[data-aigov-form]");
  if (!adapter || !form) return;

  const linked = adapter.fromLink?.(widget) ?? null;
  let opened = false;
  if (linked && linked !== "bad") {
    opened = adopt(widget, linked, "saved_from_link");
    // The link has been taken in: a reload shows the saved entry, not a second copy.
    history.replaceState(null, "", location.pathname + location.search);
  }
  const saved = linked && linked !== "bad" ? linked : stored(widget);
  if (saved) {
    try {
      adapter.restore(widget, saved);
    } catch {
      adapter.restore(widget, {});
      const key = `${widget.dataset.aigovStorage}.saved`;
      setAside(widget, key, storageGet(key));
    }
  }
  const steps = guide(widget, form);
  if (steps) guides.set(widget, steps);
  if (linked === "bad") notice(widget, "link_bad");
  else if (linked && opened) notice(widget, "saved_opened");
  else if (linked) say(widget, "prefilled");
  showLibrary(widget);
  if (saved && Object.keys(saved).length) widget.dataset.aigovHasWork = "";

  for (const type of ["focusin", "pointerdown", "keydown"]) {
    widget.addEventListener(type, () => evaluateNow(widget), { once: true });
  }

  form.addEventListener("change", async () => {
    started.add(widget);
    const state = adapter.collect(widget);
    save(widget, state);
    apply(widget, await ask(widget, { action: "evaluate", state }));
  });
  form.addEventListener("submit", (event) => event.preventDefault());

  for (const button of widget.querySelectorAll("button[data-aigov-action]")) {
    button.addEventListener("click", async () => {
      const action = button.dataset.aigovAction;
      if (action === "reset") {
        widget.querySelector("dialog")?.showModal();
        return;
      }
      if (action === "print") {
        window.print();
        return;
      }
      const answer = await ask(widget, { action, state: adapter.collect(widget) });
      apply(widget, answer);
      if (answer.link) share(widget, answer.link);
    });
  }

  const clearForm = () => {
    adapter.restore(widget, {});
    for (const field of fields(widget)) {
      if (field.type === "radio" || field.type === "checkbox") field.checked = field.defaultChecked;
      else if (field.tagName === "SELECT") for (const option of field.options) option.selected = option.defaultSelected;
      else field.value = field.defaultValue;
    }
  };
  const show = async (state) => {
    clearForm();
    if (state) adapter.restore(widget, state);
    apply(widget, await ask(widget, { action: "evaluate", state: adapter.collect(widget) }));
  };

  widget.querySelector("[data-aigov-copy]")?.addEventListener("click", () => copyLink(widget));

  const dialog = widget.querySelector("dialog");
  dialog?.addEventListener("close", async () => {
    if (dialog.returnValue !== "confirm") return;
    const library = readLibrary(widget);
    const before = JSON.stringify(library);
    const entry = currentEntry(library);
    if (entry) {
      clearForm();
      entry.state = adapter.collect(widget);
      writeLibrary(widget, library);
    }
    await show(null);
    undoable.set(widget, before);
    widget.querySelector("[data-aigov-undo-box]")?.removeAttribute("hidden");
    say(widget, "reset_done");
  });

  widget.querySelector("[data-aigov-undo]")?.addEventListener("click", async () => {
    const previous = undoable.get(widget);
    if (!previous) return;
    storageSet(`${widget.dataset.aigovStorage}.saved`, previous);
    undoable.delete(widget);
    widget.querySelector("[data-aigov-undo-box]")?.setAttribute("hidden", "");
    const library = readLibrary(widget);
    showLibrary(widget, library);
    await show(currentEntry(library)?.state);
    say(widget, "saved_undone");
  });

  widget.querySelector("[data-aigov-saved-select]")?.addEventListener("change", async (event) => {
    const library = readLibrary(widget);
    library.current = event.target.value;
    writeLibrary(widget, library);
    showLibrary(widget, library);
    await show(currentEntry(library)?.state);
  });
  widget.querySelector("[data-aigov-saved-name]")?.addEventListener("change", (event) => {
    const library = readLibrary(widget);
    const entry = currentEntry(library);
    const name = event.target.value.trim().slice(0, 120);
    if (entry && name) {
      entry.name = name;
      writeLibrary(widget, library);
    }
    showLibrary(widget, library);
  });
  for (const button of widget.querySelectorAll("[data-aigov-saved-action]")) {
    button.addEventListener("click", async () => {
      const library = readLibrary(widget);
      const entry = currentEntry(library);
      const action = button.dataset.aigovSavedAction;
      if (action === "new") {
        addEntry(widget, library, {});
      } else if (action === "duplicate" && entry) {
        addEntry(widget, library, JSON.parse(JSON.stringify(entry.state)),
          fill(config(widget).texts.saved_copy, { name: entry.name }));
      } else if (action === "delete" && entry) {
        const before = JSON.stringify(library);
        library.entries = library.entries.filter((each) => each.id !== entry.id);
        library.current = library.entries.at(-1)?.id ?? null;
        writeLibrary(widget, library);
        showLibrary(widget, library);
        await show(currentEntry(library)?.state);
        undoable.set(widget, before);
        widget.querySelector("[data-aigov-undo-box]")?.removeAttribute("hidden");
        say(widget, "saved_deleted");
        return;
      }
      writeLibrary(widget, library);
      showLibrary(widget, library);
      await show(currentEntry(library)?.state);
    });
  }

  const importer = widget.querySelector("input[data-aigov-action=import]");
  importer?.addEventListener("change", async () => {
    const file = importer.files[0];
    importer.value = "";
    if (!file) return;
    if (file.size > config(widget).max_import) {
      say(widget, "import_too_large");
      return;
    }
    const answer = await ask(widget, { action: "import", text: await file.text() });
    if (apply(widget, answer) && answer.state) {
      // An import never replaces the reader's work: it becomes a new assessment.
      adopt(widget, answer.state, "saved_imported");
      showLibrary(widget);
      clearForm();
      adapter.restore(widget, answer.state);
      say(widget, "import_as_new");
    }
  });
}

function whenIdle(callback) {
  const idle = () => (window.requestIdleCallback ? requestIdleCallback(callback, { timeout: 3000 }) : setTimeout(callback, 200));
  if (document.readyState === "complete") idle();
  else window.addEventListener("load", idle, { once: true });
}

widgets.forEach(wire);

// On wide screens a guided tool's running result (summary and steps) sits in the column beside the article,
// in place of "On this page"; on narrow screens it goes back above the step, inside the tool.
const aside = document.querySelector("[data-aigov-aside]");
const guideBox = document.querySelector(".aigov-guided [data-aigov-steps]");
if (aside && guideBox) {
  const home = document.createComment("aigov-guide");
  guideBox.before(home);
  const wide = window.matchMedia("(min-width: 68.01rem)");
  const place = () => (wide.matches ? aside.append(guideBox) : home.after(guideBox));
  wide.addEventListener("change", place);
  place();
}

// On paper every note and folded part of a tool shows; they fold back after printing.
const unfolded = [];
window.addEventListener("beforeprint", () => {
  for (const details of document.querySelectorAll("[data-aigov-widget] details:not([open])")) {
    details.open = true;
    unfolded.push(details);
  }
});
window.addEventListener("afterprint", () => {
  for (const details of unfolded.splice(0)) details.open = false;
});

// A tool page starts Python when idle, unless the browser asks to save data; any page with saved work in
// one of its tools starts it at load, so the result of that work shows without a click.
const toolPage = widgets.some((widget) => widget.hasAttribute("data-aigov-tool-page"));
const saveData = navigator.connection?.saveData === true;
const withWork = widgets.filter((widget) => widget.hasAttribute("data-aigov-has-work"));
if ((toolPage && !saveData) || withWork.length) {
  whenIdle(() => (toolPage && !saveData ? widgets : withWork).forEach(evaluateNow));
}
