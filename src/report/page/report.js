// The report page's script: draws the charts (Chart.js, inlined before this script) and the
// row table. Plain browser JavaScript, no modules and no network. The table keeps only the
// visible page in the DOM; filtering and sorting work on index arrays, cached per column.
(function () {
  'use strict';
  var PALETTE = ['#0969da', '#bf8700', '#2da44e', '#8250df', '#cf222e', '#1b7c83', '#8c959f'];

  // ---- charts ---------------------------------------------------------------------------

  function drawCharts(specs) {
    var ids = Object.keys(specs);
    if (ids.length === 0) return;
    if (typeof Chart === 'undefined') throw new Error('alignctl report: Chart.js is missing from the page.');
    ids.forEach(function (id) {
      var canvas = document.getElementById(id);
      if (canvas) new Chart(canvas, specs[id].kind === 'heatmap' ? heatmapConfig(specs[id]) : specs[id].kind === 'line' ? lineConfig(specs[id]) : barConfig(specs[id]));
    });
  }

  function title(text) {
    return {display: true, text: text, font: {size: 13, weight: '600'}};
  }

  function axisTitle(text) {
    return text ? {display: true, text: text} : {display: false};
  }

  function barConfig(spec) {
    var horizontal = !!spec.horizontal;
    var valueAxis = {beginAtZero: true, stacked: !!spec.stacked, title: axisTitle(horizontal ? spec.xTitle : spec.yTitle)};
    // The declared range of the stat, so a bar of 0.4 out of 1 does not fill the chart.
    if (spec.valueRange && typeof spec.valueRange.min === 'number') valueAxis.min = spec.valueRange.min;
    if (spec.valueRange && typeof spec.valueRange.max === 'number') valueAxis.max = spec.valueRange.max;
    var labelAxis = {stacked: !!spec.stacked, title: axisTitle(horizontal ? spec.yTitle : spec.xTitle), grid: {display: false}};
    return {
      type: 'bar',
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s, i) {
          return {
            label: s.label,
            data: s.data,
            backgroundColor: s.colors || s.color || PALETTE[i % PALETTE.length],
            borderWidth: 0,
            barPercentage: spec.histogram ? 1 : 0.9,
            categoryPercentage: spec.histogram ? 1 : 0.8
          };
        })
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? 'y' : 'x',
        plugins: {legend: {display: spec.series.length > 1}, title: title(spec.title)},
        scales: horizontal ? {x: valueAxis, y: labelAxis} : {x: labelAxis, y: valueAxis}
      }
    };
  }

  function range(axis, r, text) {
    axis.title = axisTitle(text);
    if (r && typeof r.min === 'number') axis.min = r.min;
    if (r && typeof r.max === 'number') axis.max = r.max;
    return axis;
  }

  // Lines through points over fixed axes (a ROC curve and its dashed chance line).
  function lineConfig(spec) {
    return {
      type: 'scatter',
      data: {datasets: spec.series.map(function (s, i) {
        var color = s.color || PALETTE[i % PALETTE.length];
        return {
          label: s.label,
          data: s.points.map(function (p) { return {x: p[0], y: p[1]}; }),
          showLine: true,
          borderColor: color,
          backgroundColor: color,
          borderDash: s.dashed ? [6, 4] : [],
          borderWidth: s.dashed ? 1.5 : 2,
          pointRadius: 0,
          pointHitRadius: 4,
          fill: false
        };
      })},
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: {legend: {display: spec.series.length > 1}, title: title(spec.title)},
        scales: {x: range({type: 'linear'}, spec.xRange, spec.xTitle), y: range({type: 'linear'}, spec.yRange, spec.yTitle)}
      }
    };
  }

  function heatmapConfig(spec) {
    var cells = [];
    var max = 1;
    spec.yLabels.forEach(function (y, i) {
      spec.xLabels.forEach(function (x, j) {
        var v = spec.values[i][j];
        if (v > max) max = v;
        cells.push({x: x, y: y, v: v});
      });
    });
    var shade = function (v) { return 'rgba(9,105,218,' + (0.06 + 0.84 * v / max).toFixed(3) + ')'; };
    return {
      type: 'matrix',
      data: {datasets: [{
        label: spec.title,
        data: cells,
        backgroundColor: function (c) { return shade(c.raw ? c.raw.v : 0); },
        borderColor: '#ffffff',
        borderWidth: 1,
        width: function (c) { var a = c.chart.chartArea; return a ? a.width / spec.xLabels.length - 2 : 0; },
        height: function (c) { var a = c.chart.chartArea; return a ? a.height / spec.yLabels.length - 2 : 0; }
      }]},
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: {display: false},
          title: title(spec.title),
          tooltip: {callbacks: {
            title: function () { return ''; },
            label: function (c) { return spec.yTitle + ' ' + c.raw.y + ', ' + spec.xTitle + ' ' + c.raw.x + ': ' + c.raw.v; }
          }}
        },
        scales: {
          x: {type: 'category', labels: spec.xLabels, offset: true, grid: {display: false}, title: axisTitle(spec.xTitle)},
          // First label at the top, as confusion matrices are read.
          y: {type: 'category', labels: spec.yLabels, offset: true, reverse: true, grid: {display: false}, title: axisTitle(spec.yTitle)}
        }
      },
      plugins: [{
        // The count in each cell, dark on light cells and light on dark ones.
        id: 'alignctlCellLabels',
        afterDatasetsDraw: function (chart) {
          var ctx = chart.ctx;
          ctx.save();
          ctx.textAlign = 'center';
          ctx.textBaseline = 'middle';
          ctx.font = '600 13px system-ui, sans-serif';
          chart.getDatasetMeta(0).data.forEach(function (element, i) {
            var v = cells[i].v;
            var p = element.getCenterPoint();
            ctx.fillStyle = v / max > 0.55 ? '#ffffff' : '#1b1f24';
            ctx.fillText(String(v), p.x, p.y);
          });
          ctx.restore();
        }
      }]
    };
  }

  // ---- row table --------------------------------------------------------------------------

  // Characters of an input field shown before "more".
  var SHORT = 240;

  function rowTable(rows, data, inputs, lines) {
    var hasId = rows.some(function (r) { return r.id !== undefined; });
    var hasInput = inputs.some(function (x) { return x && x.fields.length > 0; });
    var columns = ['row'].concat(hasId ? ['id'] : [], hasInput ? ['input'] : [], data.metrics);
    // Fields expanded by the reader, by row index and field name; kept across pages and sorting.
    var expanded = {};
    var thead = document.querySelector('#rows thead');
    var tbody = document.querySelector('#rows tbody');
    var count = document.getElementById('count');
    var search = document.getElementById('search');
    var pageSize = document.getElementById('page-size');
    var state = {page: 0, size: Number(pageSize.value), sortKey: 'row', sortDir: 1, query: ''};
    var sortCache = {};
    var texts = null;
    var view = null;

    thead.innerHTML = '<tr>' + columns.map(function (c) {
      if (c === 'input') return '<th scope="col" class="nosort">input</th>';
      return '<th scope="col" data-key="' + esc(c) + '" aria-sort="' + (c === 'row' ? 'ascending' : 'none') + '">' + esc(c) + '</th>';
    }).join('') + '</tr>';

    thead.addEventListener('click', function (e) {
      var key = e.target && e.target.getAttribute && e.target.getAttribute('data-key');
      if (!key) return;
      state.sortDir = key === state.sortKey ? -state.sortDir : 1;
      state.sortKey = key;
      thead.querySelectorAll('th').forEach(function (th) {
        th.setAttribute('aria-sort', th.getAttribute('data-key') !== key ? 'none' : state.sortDir > 0 ? 'ascending' : 'descending');
      });
      refilter();
    });
    tbody.addEventListener('click', function (e) {
      var button = e.target && e.target.closest && e.target.closest('button.more');
      if (!button) return;
      var key = button.getAttribute('data-expand');
      expanded[key] = !expanded[key];
      var td = button.closest('td');
      var index = Number(button.closest('tr').getAttribute('data-index'));
      td.innerHTML = inputCell(index);
    });
    var timer = 0;
    search.addEventListener('input', function () {
      clearTimeout(timer);
      // Waits for a pause in typing: one filter pass per word, not per key, at 100,000 rows.
      timer = setTimeout(function () { state.query = search.value.trim().toLowerCase(); refilter(); }, 120);
    });
    pageSize.addEventListener('change', function () { state.size = Number(pageSize.value); state.page = 0; draw(); });
    document.getElementById('first').addEventListener('click', function () { go(0); });
    document.getElementById('prev').addEventListener('click', function () { go(state.page - 1); });
    document.getElementById('next').addEventListener('click', function () { go(state.page + 1); });
    document.getElementById('last').addEventListener('click', function () { go(Infinity); });

    refilter();
    return {
      state: state,
      shown: function () { return view.length; },
      pages: pages
    };

    function pages() { return Math.max(1, Math.ceil(view.length / state.size)); }

    function go(page) {
      state.page = Math.max(0, Math.min(pages() - 1, page));
      draw();
    }

    function refilter() {
      var order = sorted(state.sortKey, state.sortDir);
      if (state.query === '') {
        view = order;
      } else {
        if (texts === null) texts = rows.map(function (r, i) { return (JSON.stringify(r) + (inputs[i] ? JSON.stringify(inputs[i].fields) : '')).toLowerCase(); });
        var q = state.query;
        var out = [];
        for (var i = 0; i < order.length; i++) if (texts[order[i]].indexOf(q) >= 0) out.push(order[i]);
        view = out;
      }
      state.page = 0;
      draw();
    }

    // All row indices in the column's order; computed once per column and direction.
    function sorted(key, dir) {
      var cacheKey = key + '\u0000' + dir;
      if (sortCache[cacheKey]) return sortCache[cacheKey];
      var n = rows.length;
      var index = new Array(n);
      for (var i = 0; i < n; i++) index[i] = i;
      if (key !== 'row' || dir !== 1) {
        var keys = rows.map(function (r) { return sortValue(r[key]); });
        index.sort(function (a, b) {
          var x = keys[a], y = keys[b];
          if (x === y) return a - b;
          if (x === undefined) return 1;
          if (y === undefined) return -1;
          if (typeof x !== typeof y) return (typeof x === 'number' ? -1 : 1);
          return (x < y ? -1 : 1) * dir;
        });
      }
      sortCache[cacheKey] = index;
      return index;
    }

    function draw() {
      if (state.page >= pages()) state.page = pages() - 1;
      var start = state.page * state.size;
      var end = Math.min(view.length, start + state.size);
      var html = '';
      for (var i = start; i < end; i++) {
        var r = rows[view[i]];
        html += '<tr data-row="' + esc(String(r.row)) + '" data-index="' + view[i] + '">';
        for (var c = 0; c < columns.length; c++) {
          var name = columns[c];
          html += '<td>' + (name === 'row' ? rowCell(view[i]) : name === 'input' ? inputCell(view[i]) : cell(name, r[name])) + '</td>';
        }
        html += '</tr>';
      }
      tbody.innerHTML = html;
      count.textContent = view.length + ' of ' + rows.length + ' rows' + (view.length > 0 ? ' · ' + (start + 1) + '–' + end : '') + ' · page ' + (state.page + 1) + ' of ' + pages();
    }

    function cell(column, v) {
      if (v === undefined || v === null) return '';
      if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(4);
      if (typeof v !== 'object') return esc(String(v));
      if (typeof v.error === 'string') return '<span class="err">' + esc(v.error) + '</span>';
      var html = '';
      if (typeof v.score === 'number') html += '<span class="score">' + v.score.toFixed(4) + '</span> ';
      var spans = data.spans[column] || [];
      var skip = {score: true};
      spans.forEach(function (s) { skip[s.path.split('.')[0]] = true; });
      var rest = fields(v, '', [], skip);
      if (rest.length > 0) html += '<span class="fields">' + esc(rest.join(' · ')) + '</span>';
      spans.forEach(function (s) {
        var list = at(v, s.path);
        if (Array.isArray(list)) html += marked(list, s);
      });
      return html;
    }

    // The row number, and where it is: its line in scores.jsonl (beside this page) and in the input.
    function rowCell(index) {
      var r = rows[index];
      var line = lines.length > 0 ? lines[index] : index + 1;
      var source = inputs[index] && typeof inputs[index].line === 'number' ? '<br><small>input line ' + inputs[index].line + '</small>' : '';
      return esc(String(r.row)) + '<br><a class="line" href="scores.jsonl" title="The row\'s result is line ' + line + ' of scores.jsonl">scores.jsonl:' + line + '</a>' + source;
    }

    // The row's input fields, each shortened to SHORT characters with a button to show the text
    // the report kept; marks (a best chunk) are highlighted, and a shortened field starts near its first mark.
    function inputCell(index) {
      var input = inputs[index];
      if (!input) return '';
      return input.fields.map(function (f) {
        var key = index + ':' + f.name;
        var open = !!expanded[key];
        var marks = f.marks || [];
        var from = 0;
        var to = f.text.length;
        if (!open && f.text.length > SHORT) {
          if (marks.length > 0 && marks[0].start > SHORT / 2) from = Math.max(0, marks[0].start - 40);
          to = Math.min(f.text.length, from + SHORT);
        }
        var body = (from > 0 ? '…' : '') + markedText(f.text, marks, from, to) + (to < f.text.length ? '…' : '');
        var cut = typeof f.length === 'number' ? ' <small class="cut">(first ' + f.text.length + ' of ' + f.length + ' characters)</small>' : '';
        var more = f.text.length > SHORT ? ' <button type="button" class="more" data-expand="' + esc(key) + '" aria-expanded="' + open + '">' + (open ? 'less' : 'more') + '</button>' : '';
        return '<div class="in"><span class="name">' + esc(f.name) + '</span> <span class="text">' + body + '</span>' + (open ? cut : '') + more + '</div>';
      }).join('');
    }

    function markedText(text, marks, from, to) {
      var html = '';
      var at = from;
      marks.forEach(function (m) {
        var start = Math.max(m.start, at);
        var end = Math.min(m.end, to);
        if (end <= start) return;
        html += esc(text.slice(at, start)) + '<mark class="best" title="' + esc(m.note) + '">' + esc(text.slice(start, end)) + '</mark>';
        at = end;
      });
      return html + esc(text.slice(at, to));
    }

    function show(x) {
      return typeof x === 'number' && !Number.isInteger(x) ? x.toFixed(4) : String(x);
    }

    function at(v, path) {
      return path.split('.').reduce(function (node, k) { return node !== null && typeof node === 'object' ? node[k] : undefined; }, v);
    }

    // The result's other fields as `path: value`, nested objects flattened with dots, nulls left out.
    function fields(v, prefix, out, skip) {
      Object.keys(v).forEach(function (k) {
        if (prefix === '' && skip[k]) return;
        var x = v[k];
        if (x === null || x === undefined) return;
        if (typeof x === 'object' && !Array.isArray(x)) fields(x, prefix + k + '.', out, skip);
        else out.push(prefix + k + ': ' + (typeof x === 'number' && !Number.isInteger(x) ? x.toFixed(4) : typeof x === 'string' ? x : JSON.stringify(x)));
      });
      return out;
    }

    // Spans ({text, score, ...}) of a result, those below the metric's threshold marked; the other
    // numbers of a span (best chunk, class probabilities) go in its tooltip.
    function marked(list, spec) {
      var t = spec.threshold;
      return '<span class="sentences" data-spans="' + esc(spec.path) + '">' + list.map(function (s) {
        if (!s || typeof s !== 'object') return '';
        var score = typeof s.score === 'number' ? s.score : null;
        var bad = score !== null && t !== null && score < t;
        var extra = [];
        // The span's other numbers and labels, one level of nesting included (a sentence's classes.neutral).
        Object.keys(s).forEach(function (k) {
          if (k === 'text' || k === 'score') return;
          var x = s[k];
          if (x !== null && typeof x === 'object' && !Array.isArray(x)) Object.keys(x).forEach(function (j) { if (typeof x[j] === 'number' || typeof x[j] === 'string') extra.push(k + '.' + j + ' ' + show(x[j])); });
          else if (typeof x === 'number' || typeof x === 'string') extra.push(k + ' ' + show(x));
        });
        var tip = score === null ? '' : 'score ' + score.toFixed(4) + (extra.length > 0 ? ', ' + extra.join(', ') : '') + (bad ? ' (below ' + t + ')' : '');
        return '<span class="sent' + (bad ? ' unsupported' : '') + '" title="' + esc(tip) + '">' + esc(String(s.text)) + '</span>';
      }).join(esc(spec.separator)) + '</span>';
    }
  }

  function sortValue(v) {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' || typeof v === 'string') return v;
    if (typeof v === 'boolean') return String(v);
    if (typeof v.score === 'number') return v.score;
    if (typeof v.error === 'string') return undefined;
    return JSON.stringify(v);
  }

  function esc(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }
  // ---- start ------------------------------------------------------------------------------

  var data = JSON.parse(document.getElementById('alignctl-data').textContent);
  var rows = JSON.parse(document.getElementById('alignctl-rows').textContent);
  var inputsElement = document.getElementById('alignctl-inputs');
  var inputs = inputsElement ? JSON.parse(inputsElement.textContent) : [];
  // Each shown row's line in scores.jsonl, when the page shows a selection (empty: every row, in order).
  var linesElement = document.getElementById('alignctl-lines');
  var lines = linesElement ? JSON.parse(linesElement.textContent) : [];
  drawCharts(data.charts);
  var table = rowTable(rows, data, inputs, lines);
  // Tests and people's scripts can wait for this.
  document.documentElement.setAttribute('data-ready', 'true');
  window.alignctlReport = {rows: rows.length, table: table};
})();
