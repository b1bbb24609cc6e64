/* The search page: our own interface over Pagefind's JS API (pagefind.js).
 *
 * - The state — query, filters, sort, page — lives in the address
 *   (?q=…&person=…&place=…&sort=date-desc&page=2): a reload or a shared link
 *   opens the same search, and each filter, sort or page change is a history
 *   entry, so Back returns to the previous state (typing replaces the entry).
 * - Filters: the values with the most results first, the first few shown,
 *   a "more" button for the rest and a box to find one by name; the active
 *   filters are chips above the results, each removes its filter. On a phone
 *   the filters fold into a <details> closed by default.
 * - Each result shows its date and the entities that matched: the chosen
 *   filters and the names that contain a searched word.
 * - The index lives in the bundle folder named by data-bundle (a relative
 *   link), so the page works under any sub-path.
 * - Pagefind writes one index per language (each with its own stemmer); the
 *   page searches the index of its own language and merges the others.
 * - A large archive is indexed in shards (data-bundles, generator/site/search.py),
 *   all merged. Articles are dealt to the shards in date order, so Pagefind's
 *   date sort, which ranks a result by its position within its shard, stays
 *   in date order when equal positions come in shard order: first shard
 *   first for the oldest first, last shard first for the newest first. That
 *   order is set when the indexes load: a new sort reloads the page.
 * - Results can be ordered by date (Pagefind sort key "date") on a
 *   one-language site; indexes of several languages are ranked by relevance.
 * - French elisions: "l’accord" is indexed as "l’ accord" so that "accord"
 *   finds it; the page takes the elided article off the query and the space
 *   off the excerpts.
 */
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root) return;

  var PAGE_SIZE = 10;
  var SHOWN = 6; // filter values shown before "more"
  var FIND_FROM = 10; // a group with more values than this gets a box to find one
  var GROUPS = ["person", "place", "organization", "year", "language"];
  var CHRONOLOGICAL = { year: true }; // newest first, not by count
  var RESERVED = { q: true, sort: true, page: true };
  var ELISION_IN_TERM = /(?<![\p{L}\p{N}])(qu|jusqu|lorsqu|puisqu|quoiqu|presqu|[cdjlmnst])['’](?=[\p{L}\p{N}])/giu;
  var ELISION_IN_EXCERPT = /(?<![\p{L}\p{N}])(qu|jusqu|lorsqu|puisqu|quoiqu|presqu|[cdjlmnst])(['’]|&#39;|&#x27;) (?=<mark>|[\p{L}\p{N}])/giu;

  var labels = JSON.parse(root.getAttribute("data-labels") || "{}");
  var s = JSON.parse(root.getAttribute("data-strings") || "{}");
  var bundles = (root.getAttribute("data-bundles") || root.getAttribute("data-bundle")).split(/\s+/)
    .filter(Boolean).map(function (link) { return new URL(link, document.baseURI).href; });
  var siteRoot = new URL(root.getAttribute("data-root") || "../", document.baseURI).pathname;
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var sortSelect = document.getElementById("search-sort");
  var layout = document.getElementById("search-layout");
  var filtersBox = document.getElementById("search-filters");
  var filterGroups = document.getElementById("search-filter-groups");
  var filtersCount = document.getElementById("search-filters-count");
  var chips = document.getElementById("search-chips");
  var statusLine = document.getElementById("search-status");
  var resultList = document.getElementById("search-results");
  var pages = document.getElementById("search-pages");
  // on a phone, under the filters: fold them and go to the results
  var showButton = document.createElement("button");
  showButton.type = "button";
  showButton.className = "search-filters-show";
  showButton.addEventListener("click", function () {
    filtersBox.open = false;
    statusLine.scrollIntoView({ block: "start" });
    filtersBox.querySelector("summary").focus();
  });

  var pagefind = null;
  var canSort = false;
  var loadedSort = "relevance"; // the order the indexes were merged in
  var allFilters = {}; // every filter value with its number of articles
  var expanded = {}; // groups whose "more" is open
  var finding = {}; // text typed in each group's find box
  var lastCounts = {};
  var generation = 0;
  var isReady = false;
  var typing = null; // the timer of a query being typed, not yet searched
  var markReady;
  var ready = new Promise(function (resolve) { markReady = resolve; }); // the indexes are loaded

  function fill(text, values) {
    return String(text).replace(/\[(\w+)\]/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all;
    });
  }

  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else if (attrs[name] !== null && attrs[name] !== undefined && attrs[name] !== false) node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  // ---------------------------------------------------------------- the state in the address

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var state = { q: params.get("q") || "", sort: params.get("sort") || "relevance", page: 1, filters: {} };
    var page = parseInt(params.get("page") || "1", 10);
    if (page > 1) state.page = page;
    params.forEach(function (value, name) {
      // only the index's filters: anything else in the address (a tracking tag…) is no filter
      if (RESERVED[name] || !value || (GROUPS.indexOf(name) < 0 && !allFilters[name])) return;
      (state.filters[name] = state.filters[name] || []);
      if (state.filters[name].indexOf(value) < 0) state.filters[name].push(value);
    });
    // (before the indexes load, whether the date order is offered is not known yet)
    if (["date-desc", "date-asc"].indexOf(state.sort) < 0 || (isReady && !canSort)) state.sort = "relevance";
    return state;
  }

  function stateUrl(state) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    Object.keys(state.filters).sort(function (a, b) { return order(a) - order(b); }).forEach(function (name) {
      state.filters[name].forEach(function (value) { params.append(name, value); });
    });
    if (state.sort && state.sort !== "relevance") params.set("sort", state.sort);
    if (state.page > 1) params.set("page", String(state.page));
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "") + window.location.hash;
  }

  function order(group) {
    var i = GROUPS.indexOf(group);
    return i < 0 ? GROUPS.length : i;
  }

  // push: a new history entry (filters, sort, page); else the entry is replaced (typing)
  function go(state, push) {
    var url = stateUrl(state);
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      if (push) window.history.pushState(null, "", url); else window.history.replaceState(null, "", url);
    }
    if (isReady && state.sort !== loadedSort) {
      window.location.reload();
      return;
    }
    return render(state);
  }

  // after a filter is chosen: the results back in view when they scrolled out above
  function resultsInView() {
    if (statusLine.getBoundingClientRect().top < 0) statusLine.scrollIntoView({ block: "start" });
  }

  function current() { return readState(); }

  function withFilter(state, group, value, on) {
    var next = { q: state.q, sort: state.sort, page: 1, filters: {} };
    Object.keys(state.filters).forEach(function (name) { next.filters[name] = state.filters[name].slice(); });
    var values = next.filters[group] || [];
    var at = values.indexOf(value);
    if (on && at < 0) values.push(value);
    if (!on && at >= 0) values.splice(at, 1);
    if (values.length) next.filters[group] = values; else delete next.filters[group];
    return next;
  }

  function activeCount(state) {
    return Object.keys(state.filters).reduce(function (n, name) { return n + state.filters[name].length; }, 0);
  }

  // ---------------------------------------------------------------- searching

  function searchTerm(q) {
    // the index holds "l’accord" as "l’ accord" (generator/site/search.py): search "accord"
    var term = q.replace(ELISION_IN_TERM, "").trim();
    return term;
  }

  function options(state) {
    var opts = { filters: {} };
    Object.keys(state.filters).forEach(function (name) { opts.filters[name] = state.filters[name].slice(); });
    if (state.sort === "date-desc") opts.sort = { date: "desc" };
    if (state.sort === "date-asc") opts.sort = { date: "asc" };
    return opts;
  }

  // what the address says, on the page (whatever is typed before the index loads is kept)
  function render(state) {
    var mine = ++generation;
    return ready.then(function () {
      if (mine === generation) return show(state, mine);
    });
  }

  function show(state, mine) {
    if (typing === null && input.value.trim() !== state.q) input.value = state.q;
    if (canSort) sortSelect.value = state.sort;
    var term = searchTerm(state.q);
    var filtered = activeCount(state) > 0;
    renderChips(state);
    if (!term && !filtered) {
      renderFilters(state, null);
      statusLine.textContent = s.prompt;
      resultList.textContent = "";
      pages.hidden = true;
      return Promise.resolve();
    }
    root.setAttribute("aria-busy", "true");
    return pagefind.search(term || null, options(state)).then(function (search) {
      if (mine !== generation || !search) return;
      renderFilters(state, search.filters);
      var total = search.results.length;
      var last = Math.max(1, Math.ceil(total / PAGE_SIZE));
      var page = Math.min(state.page, last);
      var shown = search.results.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
      return Promise.all(shown.map(function (result) { return result.data(); })).then(function (data) {
        if (mine !== generation) return;
        var count = total === 0 ? s.zero : total === 1 ? s.result : fill(s.results, { N: total });
        statusLine.textContent = count + (state.q ? " " + fill(s["for"], { Q: state.q }) : "");
        showButton.textContent = total === 0 ? s.zero : total === 1 ? s.show_one : fill(s.show, { N: total });
        resultList.textContent = "";
        resultList.setAttribute("start", String((page - 1) * PAGE_SIZE + 1));
        data.forEach(function (item) { resultList.appendChild(resultItem(item, state, term)); });
        renderPages(state, page, last);
      });
    }).finally(function () {
      if (mine === generation) root.removeAttribute("aria-busy");
    });
  }

  function matchedEntities(item, state, term) {
    var words = fold(term).split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length >= 3; });
    var found = [];
    ["person", "place", "organization"].forEach(function (group) {
      ((item.filters || {})[group] || []).forEach(function (name) {
        var chosen = (state.filters[group] || []).indexOf(name) >= 0;
        var folded = fold(name);
        var named = words.some(function (w) { return folded.split(/[^\p{L}\p{N}]+/u).some(function (part) { return part.indexOf(w) === 0; }); });
        if (chosen || named) found.push({ group: group, name: name });
      });
    });
    return found;
  }

  function resultItem(item, state, term) {
    var url = item.url;
    var link = el("a", { href: url, "class": "search-result-link", text: (item.meta && item.meta.title) || url });
    var date = (item.meta && item.meta.date) || s.undated;
    var meta = el("p", { "class": "search-result-meta" }, [el("span", { "class": "search-result-date", text: date })]);
    var matched = matchedEntities(item, state, term);
    if (matched.length) {
      var list = el("span", { "class": "search-result-matched" }, [document.createTextNode(s.matched + " ")]);
      matched.forEach(function (entity, i) {
        if (i) list.appendChild(document.createTextNode(", "));
        list.appendChild(el("span", { "class": "tag tag-" + entity.group, "data-group": entity.group, text: entity.name }));
      });
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(list);
    }
    var excerpt = el("p", { "class": "search-result-excerpt" });
    // Pagefind's excerpt is escaped text with <mark> around the matches
    excerpt.innerHTML = (item.excerpt || "").replace(ELISION_IN_EXCERPT, "$1$2");
    return el("li", { "class": "search-result" }, [el("h2", { "class": "search-result-title" }, [link]), meta, excerpt]);
  }

  function renderPages(state, page, last) {
    pages.textContent = "";
    pages.hidden = last <= 1;
    if (last <= 1) return;
    function pageLink(n, text, rel) {
      if (n < 1 || n > last) return el("span", { "class": "search-page-off", "aria-hidden": "true", text: text });
      var next = { q: state.q, sort: state.sort, page: n, filters: state.filters };
      var a = el("a", { href: stateUrl(next), rel: rel, "class": "search-page-link", text: text });
      a.addEventListener("click", function (event) {
        event.preventDefault();
        go(next, true);
        statusLine.scrollIntoView({ block: "start" });
      });
      return a;
    }
    pages.appendChild(pageLink(page - 1, "← " + s.previous, "prev"));
    pages.appendChild(el("span", { "class": "search-page-current", "aria-current": "page", text: fill(s.page, { P: page, N: last }) }));
    pages.appendChild(pageLink(page + 1, s.next + " →", "next"));
  }

  // ---------------------------------------------------------------- filters and chips

  function renderChips(state) {
    var list = chips.querySelector("ul");
    list.textContent = "";
    var n = activeCount(state);
    chips.hidden = n === 0;
    filtersCount.textContent = n ? "(" + n + ")" : "";
    Object.keys(state.filters).sort(function (a, b) { return order(a) - order(b); }).forEach(function (group) {
      state.filters[group].forEach(function (value) {
        var button = el("button", {
          type: "button", "class": "search-chip", "data-group": group, "data-value": value,
          "aria-label": s.remove + " " + (labels[group] || group) + " : " + value
        }, [
          el("span", { "class": "search-chip-group", text: (labels[group] || group) + " " }),
          el("span", { "class": "search-chip-value", text: value }),
          el("span", { "class": "search-chip-x", "aria-hidden": "true", text: " ×" })
        ]);
        button.addEventListener("click", function () {
          go(withFilter(current(), group, value, false), true);
          input.focus();
        });
        list.appendChild(el("li", {}, [button]));
      });
    });
    if (n > 1) {
      var clear = el("button", { type: "button", "class": "search-chip search-chip-clear", text: s.clear });
      clear.addEventListener("click", function () {
        var state = current();
        go({ q: state.q, sort: state.sort, page: 1, filters: {} }, true);
        input.focus();
      });
      list.appendChild(el("li", {}, [clear]));
    }
  }

  // counts: the results each value would give with the current search (null: every article)
  function renderFilters(state, counts) {
    lastCounts = counts || allFilters;
    var groups = Object.keys(allFilters).sort(function (a, b) { return order(a) - order(b) || a.localeCompare(b); });
    var focused = document.activeElement && filterGroups.contains(document.activeElement)
      ? { id: document.activeElement.id } : null;
    filterGroups.textContent = "";
    groups.forEach(function (group) {
      var fieldset = renderGroup(group, state);
      if (fieldset) filterGroups.appendChild(fieldset);
    });
    if (counts) filterGroups.appendChild(showButton);
    if (focused && focused.id) {
      var again = document.getElementById(focused.id);
      if (again) again.focus();
    }
  }

  function renderGroup(group, state) {
    var chosen = state.filters[group] || [];
    var counts = lastCounts[group] || {};
    var names = Object.keys(allFilters[group] || {});
    chosen.forEach(function (value) { if (names.indexOf(value) < 0) names.push(value); });
    var values = names.map(function (name) {
      return { name: name, count: counts[name] || 0, chosen: chosen.indexOf(name) >= 0 };
    }).filter(function (v) { return v.chosen || v.count > 0; });
    if (!values.length) return null;
    values.sort(function (a, b) {
      if (a.chosen !== b.chosen) return a.chosen ? -1 : 1;
      if (CHRONOLOGICAL[group]) return b.name.localeCompare(a.name);
      return b.count - a.count || a.name.localeCompare(b.name);
    });
    var label = labels[group] || group;
    var legend = el("legend", { "class": "search-filter-name", "data-filter": group, text: label });
    var fieldset = el("fieldset", { "class": "search-filter", "data-group": group }, [legend]);
    var needle = fold(finding[group] || "");
    var shown = values;
    if (values.length > FIND_FROM) {
      var findId = "search-find-" + group;
      var find = el("input", { type: "search", id: findId, "class": "search-filter-find", autocomplete: "off", value: finding[group] || "", placeholder: fill(s.find, { GROUP: label }) });
      find.addEventListener("input", function () {
        finding[group] = find.value;
        var fresh = renderGroup(group, current());
        fieldset.replaceWith(fresh);
        var box = document.getElementById(findId);
        box.focus();
        box.setSelectionRange(box.value.length, box.value.length);
      });
      fieldset.appendChild(el("p", { "class": "search-filter-find-row" }, [
        el("label", { "for": findId, "class": "visually-hidden", text: fill(s.find, { GROUP: label }) }), find]));
      if (needle) shown = values.filter(function (v) { return v.chosen || fold(v.name).indexOf(needle) >= 0; });
    }
    var hidden = 0;
    if (!needle && !expanded[group] && shown.length > SHOWN) {
      var keep = Math.max(SHOWN, chosen.length);
      hidden = shown.length - keep;
      shown = shown.slice(0, keep);
    }
    var list = el("ul", { "class": "search-filter-values" });
    shown.forEach(function (value) {
      var id = "search-f-" + group + "-" + fold(value.name).replace(/[^a-z0-9]+/g, "-") + "-" + hash(value.name);
      var box = el("input", { type: "checkbox", id: id, name: group, value: value.name, checked: value.chosen ? "checked" : null });
      box.checked = value.chosen;
      box.addEventListener("change", function () {
        var done = go(withFilter(current(), group, value.name, box.checked), true);
        if (done) done.then(resultsInView);
      });
      list.appendChild(el("li", {}, [box, el("label", { "for": id }, [
        el("span", { "class": "search-filter-value", text: value.name }),
        document.createTextNode(" "),
        el("span", { "class": "count", text: String(value.count) })
      ])]));
    });
    if (needle && !shown.length) list.appendChild(el("li", { "class": "search-filter-none", text: s.none_match }));
    fieldset.appendChild(list);
    if (hidden > 0 || (expanded[group] && !needle && values.length > SHOWN)) {
      var more = el("button", {
        type: "button", "class": "search-filter-more", id: "search-more-" + group, "aria-expanded": expanded[group] ? "true" : "false",
        text: expanded[group] ? s.less : hidden === 1 ? s.more_one : fill(s.more, { N: hidden })
      });
      more.addEventListener("click", function () {
        expanded[group] = !expanded[group];
        var fresh = renderGroup(group, current());
        fieldset.replaceWith(fresh);
        var again = document.getElementById("search-more-" + group);
        if (again) again.focus();
      });
      fieldset.appendChild(more);
    }
    return fieldset;
  }

  function hash(text) {
    var h = 0;
    for (var i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
    return (h >>> 0).toString(36);
  }

  // ---------------------------------------------------------------- start

  // the index Pagefind picks for this page: its language, else the largest one
  function primaryLanguage(languages) {
    var lang = (document.documentElement.getAttribute("lang") || "unknown").toLowerCase();
    if (languages[lang]) return lang;
    if (languages[lang.split("-")[0]]) return lang.split("-")[0];
    var names = Object.keys(languages).sort(function (a, b) {
      return languages[b].page_count - languages[a].page_count;
    });
    return names[0];
  }

  // shards: [{bundle, languages}] in shard order
  function start(shards) {
    var languages = {};
    shards.forEach(function (shard) {
      Object.keys(shard.languages).forEach(function (lang) {
        languages[lang] = { page_count: (languages[lang] ? languages[lang].page_count : 0) + shard.languages[lang].page_count };
      });
    });
    var primary = primaryLanguage(languages);
    // indexes of several languages come back ranked by score, whatever the
    // sort: offer the date order only for a one-language archive
    canSort = Object.keys(languages).length <= 1;
    document.getElementById("search-sort-control").hidden = !canSort;
    var state = readState();
    loadedSort = canSort ? state.sort : "relevance";
    if (loadedSort === "date-desc") shards = shards.slice().reverse();
    var indexes = [];
    shards.forEach(function (shard) {
      Object.keys(shard.languages).forEach(function (lang) {
        indexes.push({ bundlePath: shard.bundle, language: lang });
      });
    });
    var first = indexes.filter(function (index) { return index.language === primary; })[0]
      || { bundlePath: shards[0].bundle, language: primary };
    var merged = indexes.filter(function (index) { return index !== first; });
    return import(first.bundlePath + "pagefind.js").then(function (module) {
      pagefind = module;
      return pagefind.options({ baseUrl: siteRoot, excerptLength: 30 });
    }).then(function () {
      return Promise.all(merged.map(function (index) {
        return pagefind.mergeIndex(index.bundlePath, { language: index.language, baseUrl: siteRoot });
      }));
    }).then(function () {
      return pagefind.filters();
    }).then(function (filters) {
      allFilters = filters || {};
      layout.hidden = false;
      // on a phone the filters fold away; open beside the results on a wide screen
      filtersBox.open = window.matchMedia("(min-width: 48em)").matches;
      isReady = true;
      markReady();
      return render(readState());
    });
  }

  function wire() {
    input.addEventListener("input", function () {
      window.clearTimeout(typing);
      typing = window.setTimeout(function () {
        typing = null;
        var state = current();
        state.q = input.value.trim();
        state.page = 1;
        go(state, false);
      }, 250);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(typing);
      typing = null;
      var state = current();
      if (state.q === input.value.trim()) return;
      state.q = input.value.trim();
      state.page = 1;
      go(state, true);
    });
    sortSelect.addEventListener("change", function () {
      if (canSort) {
        var state = current();
        state.sort = sortSelect.value;
        state.page = 1;
        go(state, true);
      }
    });
    window.addEventListener("popstate", function () {
      var state = readState();
      if (isReady && state.sort !== loadedSort) window.location.reload();
      else render(state);
    });
  }

  wire();
  Promise.all(bundles.map(function (bundle) {
    return fetch(bundle + "pagefind-entry.json")
      .then(function (response) { return response.ok ? response.json() : { languages: {} }; })
      .catch(function () { return { languages: {} }; })
      .then(function (entry) { return { bundle: bundle, languages: entry.languages || {} }; });
  })).then(start).catch(function (error) {
    statusLine.textContent = String(error);
    layout.hidden = false;
  });
})();
