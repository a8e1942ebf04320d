// The run page's own script. Everything from tenants or the service arrives as JSON (#run-data)
// and is written with textContent or drawn on a canvas: never parsed as HTML.
(function () {
  'use strict';
  var run = JSON.parse(document.getElementById('run-data').textContent);
  var attempts = run.attempts || [];
  var colors = { succeeded: '#2e7d32', noData: '#78909c', failed: '#c62828', retried: '#ef6c00', interrupted: '#6a1b9a' };
  var outcomeNames = { succeeded: 'succeeded', noData: 'no data', failed: 'failed', retried: 'failed, retried', interrupted: 'stopped' };
  var statusOrder = { failed: 0, pending: 1, noData: 2, succeeded: 3 };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function duration(ms) {
    if (ms < 1000) return Math.round(ms) + ' ms';
    var s = ms / 1000;
    if (s < 60) return s.toFixed(1) + ' s';
    var m = Math.floor(s / 60);
    return m + ' min ' + Math.round(s - m * 60) + ' s';
  }
  function outcomeOf(a) {
    if (a.status === 'failed' && a.waitMs !== undefined) return 'retried';
    return colors[a.status] ? a.status : 'interrupted';
  }

  // ---- header and totals
  var t = run.totals;
  document.getElementById('title').textContent = run.report + (run.backend ? ' \u00b7 ' + run.backend : '');
  document.getElementById('meta').textContent =
    'started ' + run.startedAt + ' \u00b7 wall time ' + duration(run.durationMs) + ' \u00b7 exit code ' + run.exitCode +
    (run.output ? ' \u00b7 ' + run.output : '') + (run.interrupted ? ' \u00b7 interrupted (resume with --resume)' : '');
  if (run.resumed) {
    var resumed = document.getElementById('resumed');
    resumed.hidden = false;
    resumed.textContent = 'Resumed run: ' + t.reused + ' tenant(s) kept from before (not on the timeline), ' + (t.tenants - t.reused) + ' run again.';
  }
  if (run.note) {
    var note = document.getElementById('note');
    note.hidden = false;
    note.textContent = run.note;
  }
  var tenantsAttempted = {};
  attempts.forEach(function (a) { tenantsAttempted[a.tenantId] = true; });
  var retries = attempts.length - Object.keys(tenantsAttempted).length;
  var failedDetail = Object.keys(t.byCategory).filter(function (c) { return c !== 'NoData'; })
    .map(function (c) { return c + ' ' + t.byCategory[c]; }).join(', ');
  var warningDetail = Object.keys(t.warnings || {}).map(function (c) { return c + ' ' + t.warnings[c]; }).join(', ');
  var cards = [
    ['Tenants', t.tenants, ''],
    ['Succeeded', t.succeeded, 'ok'],
    ['No data', t.noData, 'nodata'],
    ['Failed', t.failed, 'failed', failedDetail],
    ['Rows', t.rows.toLocaleString('en-US'), ''],
    ['Wall time', duration(run.durationMs), ''],
    ['Attempts', attempts.length, ''],
    ['Retries', retries, retries ? 'warn' : ''],
    ['Warnings', Object.keys(t.warnings || {}).reduce(function (n, c) { return n + t.warnings[c]; }, 0), warningDetail ? 'warn' : '', warningDetail],
  ];
  if (t.pending) cards.splice(4, 0, ['Not run', t.pending, 'failed']);
  var totals = document.getElementById('totals');
  cards.forEach(function (c) {
    var card = el('div', null, 'card ' + c[2]);
    card.setAttribute('data-total', c[0]);
    card.appendChild(el('div', c[1], 'value'));
    card.appendChild(el('div', c[0], 'label'));
    if (c[3]) card.appendChild(el('div', c[3], 'detail'));
    totals.appendChild(card);
  });
  document.getElementById('command').textContent = run.command ? 'dap-report ' + run.command.map(function (a) {
    return /^[\w@%+=:,./-]+$/.test(a) ? a : "'" + a.replace(/'/g, "'\\''") + "'";
  }).join(' ') : '(not recorded)';

  // ---- lanes: one per slot of each account (or of the app)
  var laneKind = run.laneLabel || 'Account';
  document.getElementById('lane-kind').textContent = laneKind;
  document.getElementById('lanes-title').textContent = laneKind === 'App' ? 'The app\'s concurrency' : 'Accounts and their sessions';
  var lanes = [];
  // an app's id says nothing on a lane: its lanes are its slots; an account's lanes carry its name
  function laneLabel(account, slot) { return laneKind === 'App' ? 'slot ' + (slot + 1) : account + ' #' + (slot + 1); }
  var laneBody = document.querySelector('#lanes tbody');
  Object.keys(run.accounts || {}).forEach(function (account) {
    var c = run.accounts[account];
    var slots = c.maxSessions;
    attempts.forEach(function (a) { if (a.account === account && a.slot + 1 > slots) slots = a.slot + 1; });
    for (var s = 0; s < slots; s += 1) lanes.push({ account: account, slot: s, label: laneLabel(account, s) });
    var row = el('tr');
    [account, c.maxSessions, c.maxConcurrentSessions, c.attempts].forEach(function (v, i) { row.appendChild(el('td', v, i ? 'num' : '')); });
    laneBody.appendChild(row);
  });
  document.getElementById('timeline-note').textContent =
    'One lane per ' + (laneKind === 'App' ? 'concurrency slot of the app' : 'session slot of each account') +
    '; each bar is one attempt, from its start until its slot was free again. Hover a bar for its tenant.';

  // ---- timeline (Chart.js floating horizontal bars)
  var legend = document.getElementById('legend');
  Object.keys(colors).forEach(function (k) {
    var item = el('span', outcomeNames[k]);
    var swatch = el('i');
    swatch.style.background = colors[k];
    item.insertBefore(swatch, item.firstChild);
    legend.appendChild(item);
  });
  var endMs = Math.max(run.durationMs, attempts.reduce(function (m, a) { return Math.max(m, a.endMs); }, 0));
  var byOutcome = {};
  attempts.forEach(function (a, index) {
    var k = outcomeOf(a);
    (byOutcome[k] = byOutcome[k] || []).push({ x: [a.startMs / 1000, Math.max(a.endMs, a.startMs) / 1000], y: laneLabel(a.account, a.slot), i: index });
  });
  document.getElementById('timeline-box').style.height = Math.max(120, lanes.length * 24 + 60) + 'px';
  var timeline = new Chart(document.getElementById('timeline'), {
    type: 'bar',
    data: {
      labels: lanes.map(function (l) { return l.label; }),
      datasets: Object.keys(colors).filter(function (k) { return byOutcome[k]; }).map(function (k) {
        return { label: outcomeNames[k], outcome: k, data: byOutcome[k], backgroundColor: colors[k], borderColor: '#ffffff', borderWidth: { left: 1, right: 1 }, borderSkipped: false, minBarLength: 2, grouped: false, barPercentage: 0.8, categoryPercentage: 1 };
      }),
    },
    options: {
      indexAxis: 'y', animation: false, maintainAspectRatio: false, responsive: true,
      parsing: { xAxisKey: 'x', yAxisKey: 'y' },
      scales: {
        x: { type: 'linear', min: 0, max: endMs / 1000, title: { display: true, text: 'seconds since the run started' } },
        y: { type: 'category', labels: lanes.map(function (l) { return l.label; }), ticks: { autoSkip: false } },
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: {
          title: function (items) { var a = attempts[items[0].raw.i]; return a.domain + ' (attempt ' + a.attempt + ')'; },
          label: function (item) {
            var a = attempts[item.raw.i];
            return (a.category ? a.status + ', ' + a.category : a.status) + ', ' + duration(a.endMs - a.startMs) + (a.waitMs !== undefined ? ', then waited ' + duration(a.waitMs) : '');
          },
        } },
      },
    },
  });

  // ---- failures by category
  var categories = Object.keys(t.byCategory).filter(function (c) { return c !== 'NoData'; }).sort(function (a, b) { return t.byCategory[b] - t.byCategory[a]; });
  if (categories.length === 0) {
    document.getElementById('categories-box').hidden = true;
    document.getElementById('no-failures').hidden = false;
  } else {
    document.getElementById('categories-box').style.height = Math.max(120, categories.length * 28 + 50) + 'px';
    new Chart(document.getElementById('categories'), {
      type: 'bar',
      data: { labels: categories, datasets: [{ label: 'failed tenants', data: categories.map(function (c) { return t.byCategory[c]; }), backgroundColor: colors.failed }] },
      options: { indexAxis: 'y', animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }

  // ---- the tenants: failed first, sortable, filterable
  var columns = ['domain', 'name', 'tenantId', 'status', 'category', 'message', 'attempts', 'rows', 'durationMs'];
  var rows = run.tenants.map(function (tenant) {
    var tr = el('tr', null, tenant.status);
    tr.setAttribute('data-tenant-id', tenant.tenantId);
    columns.forEach(function (key) {
      var value = tenant[key];
      if (key === 'message' && tenant.warning) value = (value ? value + ' ' : '') + tenant.warning.code + ': ' + tenant.warning.message;
      var cell;
      if (key === 'message') {
        // three lines shown, the whole message on hover
        cell = el('td', null, 'message');
        cell.appendChild(el('div', value || ''));
        if (value) cell.setAttribute('title', value);
      } else {
        cell = el('td', key === 'durationMs' ? duration(value || 0) : value === undefined ? '' : value,
          key === 'tenantId' ? 'id' : typeof value === 'number' ? 'num' : '');
      }
      tr.appendChild(cell);
    });
    var text = columns.map(function (k) { return tenant[k] === undefined ? '' : String(tenant[k]); }).join('\u0001') + (tenant.warning ? '\u0001' + tenant.warning.code : '');
    return { tenant: tenant, tr: tr, text: text.toLowerCase() };
  });
  var sort = { key: null, dir: 1 };
  function compare(a, b) {
    if (sort.key) {
      var x = a.tenant[sort.key], y = b.tenant[sort.key];
      x = x === undefined ? '' : x; y = y === undefined ? '' : y;
      var d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      if (d) return d * sort.dir;
    }
    return (statusOrder[a.tenant.status] - statusOrder[b.tenant.status]) || a.tenant.domain.localeCompare(b.tenant.domain);
  }
  var body = document.querySelector('#tenants tbody');
  var filter = document.getElementById('filter');
  function render() {
    var needle = filter.value.trim().toLowerCase();
    var shown = 0;
    var fragment = document.createDocumentFragment();
    rows.slice().sort(compare).forEach(function (r) {
      var visible = !needle || r.text.indexOf(needle) !== -1;
      r.tr.hidden = !visible;
      if (visible) shown += 1;
      fragment.appendChild(r.tr);
    });
    body.appendChild(fragment);
    document.getElementById('count').textContent = shown === rows.length ? rows.length + ' tenants' : shown + ' of ' + rows.length + ' tenants';
  }
  document.querySelectorAll('#tenants th').forEach(function (th) {
    th.addEventListener('click', function () {
      var key = th.getAttribute('data-key');
      sort = { key: key, dir: sort.key === key ? -sort.dir : 1 };
      document.querySelectorAll('#tenants th').forEach(function (other) { other.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', sort.dir > 0 ? 'ascending' : 'descending');
      render();
    });
  });
  filter.addEventListener('input', render);
  render();
  window.dapRunPage = { timeline: timeline, lanes: lanes.length };
})();
