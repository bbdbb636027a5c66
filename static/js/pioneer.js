// Progressive enhancement only: every page works without this file (docs/accessibility.md).
document.documentElement.classList.add("js");

// Where focus goes after the filter form reloads the page: the control that changed, or the results.
const FOCUS_KEY = "pioneer-filter-focus";

function rememberFocus(form, target) {
  const place = target ? { name: target.name, value: target.value } : { results: true };
  place.path = new URL(form.action, location.href).pathname;
  try { sessionStorage.setItem(FOCUS_KEY, JSON.stringify(place)); } catch { /* storage off: no harm */ }
}

function restoreFocus() {
  let place = null;
  try {
    place = JSON.parse(sessionStorage.getItem(FOCUS_KEY) || "null");
    sessionStorage.removeItem(FOCUS_KEY);
  } catch { return false; }
  if (!place || place.path !== location.pathname) return false;
  let target = null;
  if (!place.results) {
    for (const input of document.querySelectorAll("form[data-autosubmit] input")) {
      if (input.name === place.name && input.value === place.value) target = input;
    }
    const fold = target && target.closest("details");
    if (fold) fold.open = true;
  }
  // A value that no longer shows (its count fell to nothing) sends focus to the results, as applying does.
  if (!target) {
    target = document.getElementById("results");
    if (target && window.matchMedia("(max-width: 52rem)").matches) {
      for (const facet of document.querySelectorAll(".facets details")) facet.removeAttribute("open");
    }
  }
  if (target) target.focus();
  return Boolean(target);
}

function autosubmit(form) {
  // Arrow keys move through a radio group (and change its choice): they must not reload the page, or
  // a lower option could never be reached. A click or Space applies the choice; Enter applies the form.
  let arrowed = false;
  form.addEventListener("keydown", (event) => {
    arrowed = event.target.type === "radio" && event.key.startsWith("Arrow");
  });
  form.addEventListener("pointerdown", () => { arrowed = false; });
  form.addEventListener("change", (event) => {
    if (event.target.type === "radio" && arrowed) { arrowed = false; return; }
    rememberFocus(form, event.target);
    // Without the #results fragment: the browser would move focus to the results, away from this control.
    form.action = form.action.split("#")[0];
    form.requestSubmit();
  });
  form.addEventListener("submit", (event) => {
    // The Apply button, or Enter in the form (whose submitter is that button), ends on #results.
    if (event.submitter) rememberFocus(form, null);
  });
}

// Pickers: fill a field's <datalist> with suggestions as one types. The field works without this: the
// server reads titles and names, and answers "did you mean" with its own suggestions.
function suggestAsYouType(input) {
  const list = input.list;
  if (!list) return;
  const multiple = input.hasAttribute("data-suggest-multiple");
  let timer = null;
  let asked = "";
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const parts = multiple ? input.value.split(/[,;]/) : [input.value];
      const typed = parts[parts.length - 1].trim();
      // The user picked a suggestion ("Name (key)"), or typed too little to ask about.
      if (typed.length < 2 || /\([^()]+\)$/.test(typed) || typed === asked) return;
      asked = typed;
      const url = new URL(input.dataset.suggest, location.href);
      url.searchParams.set("q", typed);
      let suggestions = [];
      try {
        // Suggestions are public: no cookie goes or comes back, so an answer arriving after the form was
        // sent cannot overwrite the session (and the message the next page shows).
        const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" });
        if (response.ok) suggestions = (await response.json()).suggestions || [];
      } catch { return; }
      const before = parts.slice(0, -1).map((part) => part.trim()).filter(Boolean);
      list.replaceChildren(...suggestions.map((item) => {
        const option = document.createElement("option");
        option.value = [...before, item].join(", ");
        return option;
      }));
    }, 150);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("input[data-suggest]")) suggestAsYouType(input);
  for (const form of document.querySelectorAll("form[data-autosubmit]")) autosubmit(form);
  // After a failed form, put the cursor in the first field that needs another look.
  const problems = document.querySelector(".form-problems[data-focus]");
  const first = problems && document.getElementById(problems.dataset.focus);
  if (first) first.focus();
  const restored = restoreFocus();
  // On a phone, a signed-in visitor's account links fold into a menu so the header keeps to two rows.
  const menu = document.querySelector(".account-menu");
  // Signed out, "Sign in" and "Register" fit beside the search box: they stay as they are.
  if (menu && menu.querySelectorAll("li").length > 2 && window.matchMedia("(max-width: 40rem)").matches) {
    menu.classList.add("folded");
    menu.removeAttribute("open");
  }
  // On narrow screens, fold the facets so results come first into view.
  if (!restored && window.matchMedia("(max-width: 52rem)").matches) {
    for (const facet of document.querySelectorAll(".facets details")) {
      if (!facet.querySelector("input:checked:not([value=''])")) facet.removeAttribute("open");
    }
  }
});
