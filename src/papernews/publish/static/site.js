// papernews site: theme toggle and bookmarks in localStorage. No inline script (CSP).
(function () {
  "use strict";
  var THEME = "papernews:theme", MARKS = "papernews:bookmarks";
  var root = document.documentElement;
  function load(key, fallback) {
    try { var v = localStorage.getItem(key); return v === null ? fallback : JSON.parse(v); } catch (e) { return fallback; }
  }
  function save(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ } }
  var theme = load(THEME, null);
  if (theme === "dark" || theme === "light") root.setAttribute("data-theme", theme);

  function isDark() {
    var t = root.getAttribute("data-theme");
    return t ? t === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
  }
  function marks() { var m = load(MARKS, {}); return m && typeof m === "object" && !Array.isArray(m) ? m : {}; }

  function paintBookmarks() {
    var m = marks();
    document.querySelectorAll("button.bookmark").forEach(function (b) {
      var on = Object.prototype.hasOwnProperty.call(m, b.dataset.id);
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.textContent = on ? "★ 북마크됨" : "☆ 북마크";
    });
    var list = document.getElementById("bookmark-list");
    if (list) {
      list.textContent = "";
      var base = document.querySelector("a.brand").getAttribute("href");
      Object.keys(m).sort().forEach(function (id) {
        var li = document.createElement("li"), a = document.createElement("a");
        // the page path saved with the bookmark when it is a plain `items/…/` path (an imported
        // file could hold anything else), else the id, as the site names pages of simple ids
        var path = String(m[id].path || "");
        a.href = base + (/^items\/[^:?#\\]+\/$/.test(path) && path.indexOf("..") < 0 ? path : "items/" + encodeURIComponent(id) + "/");
        a.textContent = String(m[id].title || id);
        li.appendChild(a); list.appendChild(li);
      });
      if (!list.children.length) { var li = document.createElement("li"); li.textContent = "북마크가 없습니다."; list.appendChild(li); }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.getElementById("theme-toggle");
    if (toggle) {
      toggle.setAttribute("aria-pressed", isDark() ? "true" : "false");
      toggle.addEventListener("click", function () {
        var next = isDark() ? "light" : "dark";
        root.setAttribute("data-theme", next); save(THEME, next);
        toggle.setAttribute("aria-pressed", next === "dark" ? "true" : "false");
      });
    }
    document.addEventListener("click", function (ev) {
      var b = ev.target.closest && ev.target.closest("button.bookmark");
      if (!b) return;
      var m = marks();
      if (m[b.dataset.id]) delete m[b.dataset.id]; else m[b.dataset.id] = { title: b.dataset.title || "", path: b.dataset.path || "" };
      save(MARKS, m); paintBookmarks();
    });
    var exp = document.getElementById("bookmark-export");
    if (exp) exp.addEventListener("click", function () {
      var blob = new Blob([JSON.stringify(marks(), null, 2)], { type: "application/json" });
      var a = document.createElement("a"); a.href = URL.createObjectURL(blob); a.download = "bookmarks.json"; a.click();
    });
    var imp = document.getElementById("bookmark-import");
    if (imp) imp.addEventListener("change", function () {
      var f = imp.files && imp.files[0]; if (!f) return;
      f.text().then(function (text) {
        var data = JSON.parse(text), m = marks();
        Object.keys(data || {}).forEach(function (id) { m[id] = { title: String((data[id] && data[id].title) || ""), path: String((data[id] && data[id].path) || "") }; });
        save(MARKS, m); paintBookmarks();
      }).catch(function () { alert("북마크 파일을 읽을 수 없습니다."); });
    });
    paintBookmarks();
    var box = document.getElementById("search");
    if (box && window.PagefindUI) {
      // Absolute paths: Pagefind resolves bundles and result URLs against the page, and the
      // site may live under a sub-path (GitHub Pages). Every shard after the first is merged.
      var rootPath = new URL(box.dataset.root || "./", window.location.href).pathname;
      var merge = (box.dataset.merge || "").split(/\s+/).filter(Boolean).map(function (dir) {
        return { bundlePath: rootPath + dir, baseUrl: rootPath };
      });
      var ui = new window.PagefindUI({ element: "#search", bundlePath: rootPath + (box.dataset.bundle || "pagefind/"),
                                       baseUrl: rootPath, mergeIndex: merge, showSubResults: false,
                                       showImages: false, resetStyles: false });
      var q = new URLSearchParams(window.location.search).get("q");
      if (q) ui.triggerSearch(q);
    }
  });
})();
