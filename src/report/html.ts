import {flattenSummary, formatValue} from './flatten.js'
import type {Report, ScoreLine} from './report.js'

/**
 * `report.html`: one self-contained file. The summary is rendered here; the row table is
 * drawn in the page from the embedded rows, one page at a time, so the file stays fast with
 * many rows (only the visible page has DOM nodes). No network requests.
 */
export function renderHtml(report: Report, rows: readonly ScoreLine[]): string {
  const title = `alignctl report — ${Object.keys(report.metrics).join(', ')}`
  const metricSections = Object.entries(report.metrics)
    .map(([id, metric]) => {
      const stats = flattenSummary(metric.summary)
        .map((s) => `<tr><th scope="row">${escapeHtml(s.path)}</th><td>${escapeHtml(formatValue(s.value))}</td></tr>`)
        .join('')
      const errors = metric.errors.length === 0 ? '' : `<details><summary>${metric.errors.length} row(s) without a score</summary><ul>${metric.errors
        .slice(0, 200)
        .map((e) => `<li>row ${e.row}${e.stage === 'input' ? ' (skipped)' : ''}: ${escapeHtml(e.message)}</li>`)
        .join('')}</ul></details>`
      return `<section class="metric" data-metric="${escapeHtml(id)}"><h2>${escapeHtml(id)} <small>${escapeHtml(metric.version)}</small></h2>
<table class="stats"><tbody>${stats}</tbody></table>
<p class="meta">${metric.rows} rows, ${metric.skipped} skipped · ${metric.timing.seconds.toFixed(2)} s (${metric.timing.rowsPerSecond} rows/s) · params <code>${escapeHtml(JSON.stringify(metric.params))}</code></p>${errors}</section>`
    })
    .join('\n')
  const gates = report.gates.length === 0 ? '' : `<section><h2>Gates</h2><table class="stats"><tbody>${report.gates
    .map((g) => `<tr class="${g.passed ? 'pass' : 'fail'}"><th scope="row"><code>${escapeHtml(g.expr)}</code></th><td>${g.value === null ? '—' : escapeHtml(formatValue(g.value))}</td><td>${g.passed ? 'pass' : 'FAIL'}</td></tr>`)
    .join('')}</tbody></table></section>`
  const inputs = Object.entries(report.inputs)
    .map(([name, i]) => `<li><code>${escapeHtml(name)}</code>: ${escapeHtml(i.path)} (${i.rows} rows, sha256 ${i.sha256.slice(0, 12)}…)</li>`)
    .join('')

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style></head>
<body><header><h1>${escapeHtml(title)}</h1>
<p class="verdict ${report.passed ? 'pass' : 'fail'}">${report.gates.length === 0 ? 'No gates.' : report.passed ? 'All gates passed.' : 'A gate failed.'}</p>
<p class="meta">${escapeHtml(report.tool.name)} ${escapeHtml(report.tool.version)} · ${escapeHtml(report.createdAt)}</p><ul class="inputs">${inputs}</ul></header>
<main>${gates}
${metricSections}
<section><h2>Rows</h2>
<div class="controls"><input id="search" type="search" placeholder="Search rows" aria-label="Search rows">
<span id="count"></span><button id="prev" type="button">Previous</button><button id="next" type="button">Next</button></div>
<table id="rows"><thead></thead><tbody></tbody></table></section></main>
<script type="application/json" id="alignctl-rows">${jsonForScript(rows)}</script>
<script>${SCRIPT}</script></body></html>
`
}

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')
}

/** JSON that cannot end the script element it sits in. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c').replaceAll('\u2028', '\\u2028').replaceAll('\u2029', '\\u2029')
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}
header,main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:20px;margin:8px 0}h2{font-size:16px;margin:0 0 8px}
section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px 16px;margin:12px 0}
table{border-collapse:collapse;width:100%}th,td{padding:4px 8px;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:top}
table.stats{width:auto}table.stats td{text-align:right;font-variant-numeric:tabular-nums}
.verdict.pass{color:#1a7f37}.verdict.fail,tr.fail{color:#cf222e}.meta{color:#57606a}
.controls{display:flex;gap:8px;align-items:center;margin-bottom:8px}#search{flex:1;padding:4px 8px}
#rows th{cursor:pointer;user-select:none;background:#f6f8fa}#rows td{max-width:420px;overflow-wrap:anywhere}
.err{color:#cf222e}`

// Plain browser JS (no modules, no network). Paging keeps the DOM at PAGE rows.
const SCRIPT = `
(function(){
  var rows = JSON.parse(document.getElementById('alignctl-rows').textContent);
  var PAGE = 100, page = 0, sortKey = 'row', sortDir = 1, query = '';
  var keys = ['row'];
  rows.forEach(function(r){ Object.keys(r).forEach(function(k){ if (keys.indexOf(k) < 0) keys.push(k); }); });
  var text = rows.map(function(r){ return JSON.stringify(r).toLowerCase(); });
  var thead = document.querySelector('#rows thead'), tbody = document.querySelector('#rows tbody');
  thead.innerHTML = '<tr>' + keys.map(function(k){ return '<th data-key="' + esc(k) + '">' + esc(k) + '</th>'; }).join('') + '</tr>';
  thead.addEventListener('click', function(e){
    var key = e.target && e.target.getAttribute('data-key'); if (!key) return;
    sortDir = key === sortKey ? -sortDir : 1; sortKey = key; page = 0; draw();
  });
  document.getElementById('search').addEventListener('input', function(e){ query = e.target.value.toLowerCase(); page = 0; draw(); });
  document.getElementById('prev').addEventListener('click', function(){ if (page > 0) { page--; draw(); } });
  document.getElementById('next').addEventListener('click', function(){ page++; draw(); });
  function esc(s){ return String(s).replace(/&/g,'&amp;').replace(/</g,'&lt;').replace(/>/g,'&gt;').replace(/"/g,'&quot;'); }
  function scalar(v){ if (v && typeof v === 'object' && typeof v.score === 'number') return v.score; return v; }
  function cell(v){
    if (v === undefined) return '';
    if (v && typeof v === 'object' && typeof v.error === 'string') return '<span class="err">' + esc(v.error) + '</span>';
    if (typeof v === 'number') return String(Number.isInteger(v) ? v : v.toFixed(4));
    return esc(typeof v === 'string' ? v : JSON.stringify(v));
  }
  function draw(){
    var idx = [];
    for (var i = 0; i < rows.length; i++) if (!query || text[i].indexOf(query) >= 0) idx.push(i);
    idx.sort(function(a, b){
      var x = scalar(rows[a][sortKey]), y = scalar(rows[b][sortKey]);
      if (x === y) return a - b; if (x === undefined) return 1; if (y === undefined) return -1;
      return (x < y ? -1 : 1) * sortDir;
    });
    var pages = Math.max(1, Math.ceil(idx.length / PAGE)); if (page >= pages) page = pages - 1;
    var html = '';
    idx.slice(page * PAGE, page * PAGE + PAGE).forEach(function(i){
      html += '<tr>' + keys.map(function(k){ return '<td>' + cell(rows[i][k]) + '</td>'; }).join('') + '</tr>';
    });
    tbody.innerHTML = html;
    document.getElementById('count').textContent = idx.length + ' of ' + rows.length + ' rows · page ' + (page + 1) + ' of ' + pages;
  }
  draw();
})();`
