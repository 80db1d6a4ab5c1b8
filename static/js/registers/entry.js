/**
 * The desk page of a register entry: removing photos asks first (the question is the
 * form's ``data-confirm-remove``, written by the server in the page's language).
 */
const form = document.getElementById("entry-form");

form?.addEventListener("submit", (event) => {
  const removing = form.querySelectorAll("input[name=remove_photos]:checked").length > 0;
  if (removing && !window.confirm(form.dataset.confirmRemove)) event.preventDefault();
});
