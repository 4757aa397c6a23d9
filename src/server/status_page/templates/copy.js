function selectText(block) {
  var range = document.createRange();
  range.selectNodeContents(block);
  var selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  button.addEventListener("click", function () {
    var block = document.getElementById(button.dataset.copy);
    var fallback = function () { selectText(block); button.textContent = button.dataset.failed; };
    if (!navigator.clipboard) { fallback(); return; }
    navigator.clipboard.writeText(block.textContent).then(function () {
      button.textContent = button.dataset.done;
    }, fallback);
  });
});
