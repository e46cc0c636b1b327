/* aigov search: the order of Sphinx's search results, and the no-result text in the page's language.
 *
 * Loaded by search.html before searchtools.js, which keeps a `Scorer` that is already defined. Sphinx's own
 * score is the best single word (a word in a title or heading 15, in the text 5): a page with one query word
 * in a heading outranks a page whose title holds the whole query, and ties are sorted by name. Here a
 * page scores by ALL the query's words: each word in its title, a heading or its synonyms (added to the
 * index at build time, aigov_widgets/sphinx/search.py) counts most, in the text less; a page that has every
 * word in its title, headings or synonyms gets a bonus, the page that answers a group of synonyms
 * holding every query word (its `pages`, written into the index as `aigov_answers`) a larger one, and a
 * page whose own title contains the whole query another. Sphinx's score only breaks ties. Which pages are found does not change: searchtools.js still
 * lists only the pages that contain every word.
 *
 * No eval, no inline script, no request: CSP-clean. Without JavaScript the search page says so (noscript).
 */
"use strict";

var Scorer = (() => {
  const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
  // An index entry is one file number or a list of them.
  const has = (entry, file) => entry !== undefined && (Array.isArray(entry) ? entry.includes(file) : entry === file);
  const normalise = (text) => text.normalize("NFC").toLowerCase()
    .split(/[^\p{Letter}\p{Number}_]+/u).filter(Boolean).join(" ");
  const plainText = (html) => new DOMParser().parseFromString(html, "text/html").body.textContent || "";

  let prepared = null;

  // The query's words as searchtools.js makes them (split, lower case, no stop words or numbers, stemmed).
  const prepare = () => {
    const query = new URLSearchParams(window.location.search).get("q") || "";
    if (prepared && prepared.query === query) return prepared;
    const index = Search._index;
    const stemmer = new Stemmer();
    const words = [];
    splitQuery(query.trim()).forEach((raw) => {
      const lower = raw.toLowerCase();
      if (stopwords.indexOf(lower) !== -1 || /^\d+$/.test(raw)) return;
      const word = stemmer.stemWord(lower);
      if (word && word[0] !== "-" && !words.includes(word)) words.push(word);
    });
    const partial = (mapping, word) =>
      word.length > 2 && !hasOwn(mapping, word) ? Object.keys(mapping).filter((key) => key.includes(word)) : [];
    const answers = new Set();
    for (const [groupWords, files] of index.aigov_answers || []) {
      if (words.length && words.every((word) => groupWords.includes(word))) files.forEach((f) => answers.add(f));
    }
    prepared = {
      query,
      answers,
      phrase: normalise(query),
      words,
      files: new Map(index.docnames.map((name, number) => [name, number])),
      titles: new Map(),
      partialTitle: new Map(words.map((word) => [word, partial(index.titleterms, word)])),
      partialText: new Map(words.map((word) => [word, partial(index.terms, word)])),
    };
    return prepared;
  };

  const pageTitle = (state, file) => {
    if (!state.titles.has(file)) state.titles.set(file, normalise(plainText(Search._index.titles[file] || "")));
    return state.titles.get(file);
  };

  const score = (result) => {
    const [docname, , anchor, , sphinxScore] = result;
    const state = prepare();
    const index = Search._index;
    const file = state.files.get(docname);
    if (file === undefined || state.words.length === 0) return sphinxScore;
    let points = 0;
    let inTitles = 0;
    for (const word of state.words) {
      if (has(index.titleterms[word], file)) {
        points += 10;
        inTitles += 1;
      } else if (state.partialTitle.get(word).some((key) => has(index.titleterms[key], file))) {
        points += 6;
        inTitles += 1;
      } else if (has(index.terms[word], file)) {
        points += 3;
      } else if (state.partialText.get(word).some((key) => has(index.terms[key], file))) {
        points += 1;
      }
    }
    if (inTitles === state.words.length) points += 20;
    // The page that answers a group of synonyms (search-synonyms.<lang>.toml `pages`) when every query
    // word belongs to that group: above pages that only have the words in a heading.
    if (state.answers.has(file)) points += 25;
    if (state.phrase && ` ${pageTitle(state, file)} `.includes(` ${state.phrase} `)) points += 15;
    // A section whose heading holds the query (Sphinx's title search) comes right after its page.
    if (anchor) points -= 1;
    return points * 10 + Math.min(Math.max(sphinxScore, 0), 9);
  };

  // Sphinx's defaults (searchtools.js), used for the object search and as the tie-breaker above.
  return {
    objNameMatch: 11,
    objPartialMatch: 6,
    objPrio: { 0: 15, 1: 5, 2: -5 },
    objPrioDefault: 0,
    title: 15,
    partialTitle: 7,
    term: 5,
    partialTerm: 2,
    score,
  };
})();

// Sphinx's no-result text speaks of "categories" this site does not have: ours, from ui.toml, in the page's
// language (search.html puts it on #search-results).
(() => {
  const results = document.getElementById("search-results");
  const text = results && results.dataset.noResults;
  if (text && typeof Documentation !== "undefined") {
    Documentation.TRANSLATIONS[
      "Your search did not match any documents. Please make sure that all words are spelled correctly and that you've selected enough categories."
    ] = text;
  }
})();
