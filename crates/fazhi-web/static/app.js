// What the pages do with script, none of it needed to use them: each cell of a table learns
// its column's heading, shown before it when a narrow screen stacks the rows as cards; a
// print button prints the page.
document.querySelectorAll('table').forEach((table) => {
  const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
  if (heads.length === 0) return;
  table.classList.add('labelled');
  table.querySelectorAll('tbody tr').forEach((tr) => {
    let col = 0;
    [...tr.children].forEach((cell) => {
      if (heads[col] && !cell.hasAttribute('data-label')) cell.setAttribute('data-label', heads[col]);
      col += cell.colSpan || 1;
    });
  });
});
document.querySelectorAll('[data-print]').forEach((b) => b.addEventListener('click', () => window.print()));
