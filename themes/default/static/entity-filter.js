/* The entity index's filter box: fetches entities/index.json (name, kind,
   slug, count of every entity, most mentioned first) once, and shows the
   names whose every typed word appears in them — case, accents and
   apostrophes ignored — in place of the page's lists: names where each
   word starts a word first, then the others, each group most mentioned first. Without JavaScript
   the box stays hidden and the lists are the page. */
(function () {
  "use strict";
  var SHOWN = 100; // names listed at most; the status says how many match
  var box = document.querySelector("[data-entity-filter]");
  if (!box || !window.fetch || !window.Intl) return;
  var input = box.querySelector("input");
  var status = box.querySelector("[role=status]");
  var results = box.querySelector(".entity-results");
  var lists = document.querySelectorAll("[data-entity-static]");
  var strings = JSON.parse(box.getAttribute("data-strings"));
  var scope = box.getAttribute("data-scope");
  var root = box.getAttribute("data-root");
  var lang = box.getAttribute("data-lang") || "en";
  var rules = new Intl.PluralRules(lang);
  var numbers = new Intl.NumberFormat(lang);
  var index = null;
  var loading = null;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[\u2019'`\u00b4\u2010-\u2014.\-]/g, " ").replace(/\s+/g, " ").trim();
  }

  function load() {
    if (!loading) {
      loading = fetch(box.getAttribute("data-index")).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      }).then(function (data) {
        var at = {};
        data.fields.forEach(function (field, i) { at[field] = i; });
        index = data.entities.filter(function (row) {
          return !scope || row[at.kind] === scope;
        }).map(function (row) {
          return {name: row[at.name], kind: row[at.kind], count: row[at.count], key: fold(row[at.name]),
                  url: root + data.dirs[row[at.kind]] + "/" + row[at.slug] + "/"};
        });
      });
    }
    return loading;
  }

  function say(text) { status.textContent = text; }

  function show(query) {
    var words = fold(query).split(" ").filter(Boolean);
    if (!words.length) {
      results.hidden = true;
      results.textContent = "";
      say("");
      lists.forEach(function (list) { list.hidden = false; });
      return;
    }
    var found = index.filter(function (entity) {
      return words.every(function (word) { return entity.key.indexOf(word) !== -1; });
    });
    // names where every word starts a word first ("mar": Marie Leclercq before Omar Robin), each group most mentioned first
    var starts = found.filter(function (entity) {
      return words.every(function (word) { return (" " + entity.key).indexOf(" " + word) !== -1; });
    });
    var first = new Set(starts);
    found = starts.concat(found.filter(function (entity) { return !first.has(entity); }));
    results.textContent = "";
    found.slice(0, SHOWN).forEach(function (entity) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = entity.url;
      link.textContent = entity.name;
      item.appendChild(link);
      var count = document.createElement("span");
      count.className = "count";
      count.textContent = numbers.format(entity.count);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(count);
      if (!scope) {
        var kind = document.createElement("span");
        kind.className = "entity-kind tag-" + entity.kind;
        kind.textContent = strings[entity.kind];
        item.appendChild(document.createTextNode(" "));
        item.appendChild(kind);
      }
      results.appendChild(item);
    });
    lists.forEach(function (list) { list.hidden = true; });
    results.hidden = false;
    if (!found.length) {
      say(strings.none);
    } else {
      var text = strings[rules.select(found.length) === "one" ? "found_one" : "found_other"]
        .replace("{n}", numbers.format(found.length));
      if (found.length > SHOWN) text += " — " + strings.shown.replace("{shown}", numbers.format(SHOWN));
      say(text);
    }
  }

  function update() {
    var query = input.value;
    load().then(function () {
      if (input.value === query) show(query);
    }, function () {
      say(strings.error);
    });
  }

  box.addEventListener("submit", function (event) { event.preventDefault(); });
  input.addEventListener("input", update);
  input.addEventListener("focus", function () { load().catch(function () {}); }, {once: true});
  box.hidden = false;
  if (input.value) update(); // a value the browser restored on going back
})();
