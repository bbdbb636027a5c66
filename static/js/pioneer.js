// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  // Apply a filter as soon as it is ticked; the "Apply filters" button does the same without script.
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    form.addEventListener("change", () => form.requestSubmit());
  }
  // After a failed form, put the cursor in the first field that needs another look.
  const problems = document.querySelector(".form-problems[data-focus]");
  const first = problems && document.getElementById(problems.dataset.focus);
  if (first) first.focus();
  // On narrow screens, fold the facets so results come first into view.
  if (window.matchMedia("(max-width: 52rem)").matches) {
    for (const facet of document.querySelectorAll(".facets details")) {
      if (!facet.querySelector("input:checked:not([value=''])")) facet.removeAttribute("open");
    }
  }
});
