/* The search page: Pagefind UI over the site's search index.
 *
 * - The index lives in the bundle folder named by data-bundle (a relative
 *   link), so the page works under any sub-path.
 * - Pagefind writes one index per language (each with its own stemmer); the
 *   page searches the index of its own language and merges the others, so
 *   every article can be found from one page.
 * - A large archive is indexed in shards (data-bundles, generator/search.py),
 *   all merged. Articles are dealt to the shards in date order, so Pagefind's
 *   date sort, which ranks a result by its position within its shard, stays
 *   in date order when equal positions come in shard order: first shard
 *   first for the oldest first, last shard first for the newest first.
 * - ?q=… (and ?sort=…) in the address start a search, and typing updates
 *   them, so a search can be linked to.
 * - Results can be ordered by date (Pagefind sort key "date") on a
 *   one-language site; indexes of several languages are ranked by relevance.
 * - Filter names are keys (person, place, …): shown in the page's language.
 * - French elisions: "l’accord" is indexed as "l’ accord" so that "accord"
 *   finds it; the page takes the elided article off the query and the space
 *   off the excerpts.
 */
(function () {
  "use strict";
  var root = document.getElementById("search");
  var mount = document.getElementById("search-ui");
  if (!root || !mount || typeof PagefindUI === "undefined") return;

  var bundles = (root.getAttribute("data-bundles") || root.getAttribute("data-bundle")).split(/\s+/)
    .filter(Boolean).map(function (link) { return new URL(link, document.baseURI).href; });
  var labels = JSON.parse(root.getAttribute("data-labels") || "{}");
  var sortSelect = document.getElementById("search-sort");
  var params = new URLSearchParams(window.location.search);
  var ELISION_IN_TERM = /(?<![\p{L}\p{N}])(qu|jusqu|lorsqu|puisqu|quoiqu|presqu|[cdjlmnst])['’](?=[\p{L}\p{N}])/giu;
  var ELISION_IN_EXCERPT = /(?<![\p{L}\p{N}])(qu|jusqu|lorsqu|puisqu|quoiqu|presqu|[cdjlmnst])(['’]|&#39;|&#x27;) (?=<mark>|[\p{L}\p{N}])/giu;
  var term = params.get("q") || "";

  function setParam(name, value) {
    var url = new URL(window.location.href);
    if (value) url.searchParams.set(name, value); else url.searchParams.delete(name);
    window.history.replaceState(null, "", url.href);
  }

  function relabel() {
    var names = root.querySelectorAll(".pagefind-ui__filter-name, .pagefind-ui__filter-group-label");
    for (var i = 0; i < names.length; i++) {
      var el = names[i];
      // Pagefind UI shows the key with a capital letter ("Person")
      var key = el.getAttribute("data-filter") || el.textContent.trim().toLowerCase();
      var label = labels[key];
      // compare first: changing the text is itself a mutation we observe
      if (label && el.textContent !== label) {
        el.setAttribute("data-filter", key);
        el.textContent = label;
      }
    }
  }

  function sortOption(value) {
    if (value === "date-desc") return { date: "desc" };
    if (value === "date-asc") return { date: "asc" };
    return null;
  }

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
    var sort = null;
    if (sortSelect && Object.keys(languages).length <= 1) {
      document.getElementById("search-sort-control").hidden = false;
      var wanted = params.get("sort");
      if (wanted && sortOption(wanted)) sortSelect.value = wanted;
      sort = sortOption(sortSelect.value);
      // Pagefind UI takes its sort when it starts: start again with the new order
      sortSelect.addEventListener("change", function () {
        setParam("sort", sortSelect.value === "relevance" ? "" : sortSelect.value);
        window.location.reload();
      });
    }
    if (sort && sort.date === "desc") shards = shards.slice().reverse();
    var indexes = [];
    shards.forEach(function (shard) {
      Object.keys(shard.languages).forEach(function (lang) {
        indexes.push({ bundlePath: shard.bundle, language: lang });
      });
    });
    var first = indexes.filter(function (index) { return index.language === primary; })[0]
      || { bundlePath: shards[0].bundle, language: primary };
    var merged = indexes.filter(function (index) { return index !== first; });
    var options = {
      element: mount,
      bundlePath: first.bundlePath,
      showImages: false,
      showSubResults: false,
      resetStyles: false,
      mergeIndex: merged,
      processTerm: function (value) {
        setParam("q", value.trim());
        // the index holds "l’accord" as "l’ accord" (generator/search.py): search "accord"
        return value.replace(ELISION_IN_TERM, "");
      },
      processResult: function (result) {
        // …and shows it as written
        result.excerpt = result.excerpt.replace(ELISION_IN_EXCERPT, "$1$2");
        return result;
      }
    };
    if (sort) options.sort = sort;
    // Pagefind UI does not report an emptied search box: drop ?q= ourselves
    mount.addEventListener("input", function (event) {
      if (event.target.tagName === "INPUT" && event.target.type !== "checkbox" && !event.target.value.trim()) {
        setParam("q", "");
      }
    });
    new MutationObserver(relabel).observe(root, { childList: true, subtree: true, characterData: true });
    var ui = new PagefindUI(options);
    if (term) ui.triggerSearch(term);
    relabel();
  }

  Promise.all(bundles.map(function (bundle) {
    return fetch(bundle + "pagefind-entry.json")
      .then(function (response) { return response.ok ? response.json() : { languages: {} }; })
      .catch(function () { return { languages: {} }; })
      .then(function (entry) { return { bundle: bundle, languages: entry.languages || {} }; });
  })).then(start);
})();
