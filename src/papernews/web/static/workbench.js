// papernews workbench: keyboard shortcuts, drag to reorder, unsaved-edit guard, theme.
// Every page works without this file (plain forms); it only makes the same forms quicker to use.
// htmx (htmx.min.js, vendored) does the requests; this file never builds HTML from strings.
(function () {
  "use strict";
  var THEME = "papernews:theme"; // the public site's key: one choice for both
  var root = document.documentElement;

  function stored(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function store(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* private mode */ } }
  var theme = stored(THEME);
  if (theme === "\"dark\"" || theme === "dark") root.setAttribute("data-theme", "dark");
  if (theme === "\"light\"" || theme === "light") root.setAttribute("data-theme", "light");

  function isDark() {
    var t = root.getAttribute("data-theme");
    return t ? t === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  function typing(ev) {
    var t = ev.target;
    if (!t || !t.tagName) return false;
    var tag = t.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || t.isContentEditable;
  }

  // --- the inbox: j/k move, a/r/s decide, o or Enter open, ? help ------------------------------
  function rows() {
    var q = document.getElementById("queue");
    return q ? Array.prototype.slice.call(q.querySelectorAll(":scope > li[data-row]")) : [];
  }
  function selectedIndex(list) {
    for (var i = 0; i < list.length; i++) if (list[i].classList.contains("is-selected")) return i;
    return -1;
  }
  function select(list, i, focus) {
    if (!list.length) return;
    i = Math.max(0, Math.min(list.length - 1, i));
    list.forEach(function (li, n) {
      li.classList.toggle("is-selected", n === i);
      li.setAttribute("aria-selected", n === i ? "true" : "false");
    });
    if (focus !== false) {
      list[i].focus({ preventScroll: true });
      list[i].scrollIntoView({ block: "nearest" });
    }
  }
  function nextOpen(list, from) {
    for (var i = from; i < list.length; i++) if (!list[i].classList.contains("done")) return i;
    for (var j = from - 1; j >= 0; j--) if (!list[j].classList.contains("done")) return j;
    return Math.min(from, list.length - 1);
  }
  function press(row, key) {
    var b = row && row.querySelector("[data-key='" + key + "']");
    if (b && !b.disabled) { b.click(); return true; }
    return false;
  }
  function toggleHelp() {
    var d = document.getElementById("keys-help");
    if (!d || typeof d.showModal !== "function") return;
    if (d.open) d.close(); else d.showModal();
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.defaultPrevented) return;
    // Ctrl/Cmd+S saves the item being edited
    if ((ev.ctrlKey || ev.metaKey) && !ev.altKey && (ev.key === "s" || ev.key === "S")) {
      var save = document.querySelector("form[data-editor] button[data-save]");
      if (save) { ev.preventDefault(); save.click(); }
      return;
    }
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev)) return;
    if (ev.key === "?") { ev.preventDefault(); toggleHelp(); return; }
    var list = rows();
    if (!list.length) return;
    var i = selectedIndex(list);
    switch (ev.key) {
      case "j": ev.preventDefault(); select(list, i < 0 ? 0 : i + 1); break;
      case "k": ev.preventDefault(); select(list, i < 0 ? 0 : i - 1); break;
      case "a": case "r": case "s":
        if (i >= 0 && press(list[i], ev.key)) ev.preventDefault();
        break;
      case "o": case "Enter":
        if (i >= 0 && (ev.key === "o" || ev.target === list[i])) {
          var link = list[i].querySelector("a[data-open]");
          if (link) { ev.preventDefault(); link.click(); }
        }
        break;
    }
  });

  document.addEventListener("click", function (ev) {
    var li = ev.target.closest && ev.target.closest("#queue > li[data-row]");
    if (li) { var list = rows(); select(list, list.indexOf(li), false); }
    var toggle = ev.target.closest && ev.target.closest("#theme-toggle");
    if (toggle) {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      store(THEME, JSON.stringify(next));
      toggle.setAttribute("aria-pressed", next === "dark" ? "true" : "false");
    }
    var help = ev.target.closest && ev.target.closest("[data-help]");
    if (help) { ev.preventDefault(); toggleHelp(); }
    var go = ev.target.closest && ev.target.closest("button.goto[data-line]");
    if (go) { ev.preventDefault(); gotoLine(parseInt(go.getAttribute("data-line"), 10)); }
  });

  // after a decision replaced its row, the selection moves on to the next undecided candidate
  document.addEventListener("htmx:afterSettle", function (ev) {
    var t = ev.detail && ev.detail.elt;
    if (t && t.closest && t.closest("#queue")) {
      var list = rows();
      var done = list.indexOf(t.closest("#queue > li"));
      if (done < 0) done = selectedIndex(list);
      select(list, nextOpen(list, Math.max(done, 0)));
    }
    var auto = document.querySelector("[data-autofocus]");
    if (auto) { auto.removeAttribute("data-autofocus"); auto.focus(); }
  });

  // --- the editor: jump to a finding's line; warn before leaving unsaved text ------------------
  function gotoLine(n) {
    var ta = document.getElementById("markdown");
    if (!ta || !n) return;
    var lines = ta.value.split("\n"), start = 0;
    for (var i = 0; i < n - 1 && i < lines.length; i++) start += lines[i].length + 1;
    var end = start + (lines[n - 1] || "").length;
    ta.focus();
    ta.setSelectionRange(start, end);
  }
  var dirty = false;
  document.addEventListener("input", function (ev) {
    if (ev.target.closest && ev.target.closest("form[data-editor]")) dirty = true;
  });
  document.addEventListener("submit", function (ev) {
    if (ev.target.matches && ev.target.matches("form[data-editor]")) {
      var by = ev.submitter;
      if (!by || by.hasAttribute("data-save")) dirty = false;
    }
  });
  window.addEventListener("beforeunload", function (ev) {
    if (dirty) { ev.preventDefault(); ev.returnValue = ""; }
  });

  // --- a week: drag a row to reorder, then the order form is sent ------------------------------
  var dragged = null;
  document.addEventListener("dragstart", function (ev) {
    var li = ev.target.closest && ev.target.closest("ol.order > li");
    if (!li) return;
    dragged = li;
    li.classList.add("dragging");
    ev.dataTransfer.effectAllowed = "move";
    ev.dataTransfer.setData("text/plain", li.getAttribute("data-id") || "");
  });
  document.addEventListener("dragover", function (ev) {
    var li = dragged && ev.target.closest && ev.target.closest("ol.order > li");
    if (!li || li === dragged) return;
    ev.preventDefault();
    document.querySelectorAll("ol.order > li.drop-before").forEach(function (x) { x.classList.remove("drop-before"); });
    li.classList.add("drop-before");
  });
  document.addEventListener("drop", function (ev) {
    var li = dragged && ev.target.closest && ev.target.closest("ol.order > li");
    if (!li) return;
    ev.preventDefault();
    li.classList.remove("drop-before");
    if (li !== dragged) {
      var rect = li.getBoundingClientRect();
      var after = ev.clientY > rect.top + rect.height / 2;
      li.parentNode.insertBefore(dragged, after ? li.nextSibling : li);
      var form = li.closest("form");
      if (form) { if (form.requestSubmit) form.requestSubmit(); else form.submit(); }
    }
  });
  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    document.querySelectorAll("ol.order > li.drop-before").forEach(function (x) { x.classList.remove("drop-before"); });
    dragged = null;
  });

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.getElementById("theme-toggle");
    if (toggle) toggle.setAttribute("aria-pressed", isDark() ? "true" : "false");
    var list = rows();
    if (list.length) select(list, 0, false);
    var auto = document.querySelector("[data-autofocus]");
    if (auto) { auto.removeAttribute("data-autofocus"); auto.focus(); }
  });
})();
