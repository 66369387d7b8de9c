/* The review page's behaviour (writer_review.c embeds it; the page's CSP names its hash). It reads
 * only the page's own elements and attributes the writer made, and never turns text into markup
 * or code. */
(function () {
  'use strict';
  var body = document.body;
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[data-filter]'));
  function applyFilter() {
    boxes.forEach(function (box) {
      body.classList.toggle('hide-' + box.getAttribute('data-filter'), !box.checked);
    });
  }
  boxes.forEach(function (box) { box.addEventListener('change', applyFilter); });
  applyFilter();

  var current = null;
  function visibleProblems() {
    var rows = document.querySelectorAll('tr[data-status="failed"], tr[data-status="warning"]');
    return Array.prototype.filter.call(rows, function (row) { return row.getClientRects().length > 0; });
  }
  function step(by) {
    var rows = visibleProblems();
    if (!rows.length)
      return;
    var at = current ? rows.indexOf(current) : -1;
    at = at < 0 ? (by > 0 ? 0 : rows.length - 1) : (at + by + rows.length) % rows.length;
    if (current)
      current.classList.remove('current');
    current = rows[at];
    current.classList.add('current');
    current.focus({ preventScroll: true });
    current.scrollIntoView({ block: 'center' });
  }
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey)
      return;
    if (e.key === 'j' || e.key === 'n')
      step(1);
    else if (e.key === 'k' || e.key === 'p')
      step(-1);
    else
      return;
    e.preventDefault();
  });
})();
