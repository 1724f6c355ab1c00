/*
 * admap: the interactive alignment data map.
 *
 * One script for both front ends: report.html (the data is embedded in the page, in the
 * JSON script block with id "admap-data") and `admap serve` (that block only says
 * {"mode": "serve"}; the data comes from the viewer's JSON endpoints).
 *
 * Dataset text is untrusted. It only ever reaches the page through textContent and text
 * nodes (see el()), never as markup: this file uses none of the DOM's HTML-parsing sinks
 * (a test checks).
 */
(function () {
  'use strict';

  var boot = JSON.parse(document.getElementById('admap-data').textContent);
  var SERVE = boot.mode === 'serve';
  var FLAG_PAGE_SIZE = 25;

  // ---- DOM helpers: text only -----------------------------------------------------------

  /** Creates an element; attrs.text becomes its textContent; children are nodes or strings (text). */
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === undefined || v === null) return;
        if (k === 'text') e.textContent = String(v);
        else if (k === 'class') e.className = v;
        else if (k.indexOf('on') === 0) e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, String(v));
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    });
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function $(id) { return document.getElementById(id); }

  function fmt(v, digits) {
    if (v === null || v === undefined || (typeof v === 'number' && !isFinite(v))) return '-';
    if (typeof v !== 'number') return String(v);
    if (Number.isInteger(v) && digits === undefined) return v.toLocaleString('en-US');
    var d = digits === undefined ? 4 : digits;
    var s = v.toFixed(d);
    if (s.indexOf('.') >= 0) s = s.replace(/0+$/, '').replace(/\.$/, '');
    return s;
  }

  function count(v) { return Number(v).toLocaleString('en-US'); }

  function range(r) { return r && r[0] !== null ? fmt(r[0], 3) + ' .. ' + fmt(r[1], 3) : '-'; }

  // ---- data access: embedded (report) or the viewer's endpoints (serve) ------------------

  function request(method, url, body) {
    var init = { method: method, headers: { 'Accept': 'application/json' }, credentials: 'same-origin' };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.headers['X-Admap-Request'] = '1';
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) throw new Error(j.error || (r.status + ' ' + r.statusText));
        return j;
      });
    });
  }

  var api = SERVE ? {
    run: function () { return request('GET', '/api/run'); },
    item: function (key) { return request('GET', '/api/item?key=' + encodeURIComponent(key)); },
    reviews: function () { return request('GET', '/api/reviews').then(function (r) { return r.marks; }); },
    search: function (q) {
      return request('GET', '/api/search?q=' + encodeURIComponent(q)).then(function (r) { return r.keys; });
    },
    flags: function (page, size, reason) {
      return request('GET', '/api/flags?page=' + page + '&size=' + size + '&reason=' + encodeURIComponent(reason));
    },
    review: function (key, mark) { return request('POST', '/api/review', { key: key, mark: mark }); },
    exportSelection: function (body) { return request('POST', '/api/export', body); }
  } : {
    run: function () { return Promise.resolve(boot); },
    item: function (key) { return Promise.resolve((boot.details || {})[key] || null); },
    reviews: function () { return Promise.resolve({}); },
    search: function (q) { return Promise.resolve(localSearch(q)); },
    flags: function (page, size, reason) { return Promise.resolve(localFlags(page, size, reason)); }
  };

  // ---- state ----------------------------------------------------------------------------

  var run = null;          // the run's data
  var P = null;            // run.points: columns
  var N = 0;               // points embedded
  var indexOfKey = new Map();
  var state = {
    coloring: 0,
    regions: [true, true, true],
    flag: '',              // '', 'any', 'none' or a reason
    review: '',
    searchKeys: null,      // Set of keys, or null when no search
    visible: null,         // Uint8Array
    seriesPoints: [],      // per series: point indices in series order
    selected: [],          // point indices
    selectionHow: '',
    current: -1,
    reviews: {},           // key -> mark (serve)
    flagPage: 0
  };
  var chart = null;

  function localSearch(q) {
    var needle = q.trim().toLowerCase();
    var keys = [];
    if (!needle) return keys;
    var details = boot.details || {};
    for (var i = 0; i < N; i++) {
      var key = P.key[i];
      if (P.id[i].toLowerCase() === needle || P.text[i].toLowerCase().indexOf(needle) >= 0) {
        keys.push(key);
        continue;
      }
      var d = details[key];
      if (d && (d.prompt.toLowerCase().indexOf(needle) >= 0 || (d.input || '').toLowerCase().indexOf(needle) >= 0)) {
        keys.push(key);
      }
    }
    return keys;
  }

  function localFlags(page, size, reason) {
    var list = run.flags.filter(function (f) {
      return !reason || f.rows.some(function (r) { return r.reason === reason; });
    });
    return { total: list.length, page: page, size: size, flags: list.slice(page * size, page * size + size) };
  }

  // ---- the chart ------------------------------------------------------------------------

  function coloring() { return run.colorings[state.coloring]; }

  function pointStyle() {
    if (N <= 1000) return { size: 8, opacity: 0.85 };
    if (N <= 10000) return { size: 5, opacity: 0.65 };
    if (N <= 100000) return { size: 3, opacity: 0.4 };
    return { size: 2, opacity: 0.3 };
  }

  function computeVisible() {
    var vis = new Uint8Array(N);
    var reasons = run.flagReasons;
    var bit = reasons.indexOf(state.flag);
    for (var i = 0; i < N; i++) {
      if (!state.regions[P.region[i]]) continue;
      var f = P.flags[i];
      if (state.flag === 'any' && !f) continue;
      if (state.flag === 'none' && f) continue;
      if (bit >= 0 && !(f & (1 << bit))) continue;
      if (state.searchKeys && !state.searchKeys.has(P.key[i])) continue;
      if (state.review) {
        var mark = state.reviews[P.key[i]];
        if (state.review === 'unmarked' ? !!mark : mark !== state.review) continue;
      }
      vis[i] = 1;
    }
    state.visible = vis;
  }

  function yExtent() {
    var lo = Infinity, hi = -Infinity;
    for (var i = 0; i < N; i++) {
      if (P.y[i] < lo) lo = P.y[i];
      if (P.y[i] > hi) hi = P.y[i];
    }
    if (!isFinite(lo)) return [0, 1];
    var pad = hi > lo ? (hi - lo) * 0.04 : 0.5;
    return [lo - pad, hi + pad];
  }

  function buildSeries() {
    var col = coloring();
    var style = pointStyle();
    // With region_p, each category is drawn in stability tiers (one series each, sharing the
    // category's legend name), the points likely to change region faint.
    var tiers = P.rp ? STABILITY_TIERS : [{ min: -Infinity, opacity: 1 }];
    var data = [], index = [], meta = [];
    col.labels.forEach(function (label, c) {
      tiers.forEach(function (t) { data.push([]); index.push([]); meta.push({ c: c, opacity: t.opacity }); });
    });
    var shown = 0;
    for (var i = 0; i < N; i++) {
      if (!state.visible[i]) continue;
      var s = col.of[i] * tiers.length + tierOf(i, tiers);
      data[s].push([P.x[i], P.y[i]]);
      index[s].push(i);
      shown++;
    }
    state.seriesPoints = index;
    var series = meta.map(function (m, s) {
      return {
        type: 'scatter',
        name: col.labels[m.c],
        data: data[s],
        large: true,
        largeThreshold: 2000,
        symbolSize: style.size,
        itemStyle: { color: col.colors[m.c], opacity: style.opacity * m.opacity },
        emphasis: { scale: false },
        animation: false
      };
    });
    var cuts = run.cuts;
    var ext = yExtent();
    var boundary = [];
    if (cuts.variance !== null) boundary.push([cuts.variance, ext[0]], [cuts.variance, ext[1]]);
    var xr = xExtent();
    var vc = cuts.variance === null ? xr[1] : cuts.variance;
    var mc = cuts.mean === null ? ext[0] : cuts.mean;
    var tint = function (k) { return { color: run.regions[k].color, opacity: 0.07 }; };
    var lines = [{
      type: 'line', name: '__variance-cut', silent: true, symbol: 'none', animation: false,
      lineStyle: { type: 'dashed', color: '#333', width: 1.3 }, data: boundary, tooltip: { show: false },
      markArea: {
        silent: true,
        data: [
          [{ xAxis: xr[0], yAxis: mc, itemStyle: tint(0) }, { xAxis: vc, yAxis: ext[1] }],
          [{ xAxis: xr[0], yAxis: ext[0], itemStyle: tint(1) }, { xAxis: vc, yAxis: mc }],
          [{ xAxis: vc, yAxis: ext[0], itemStyle: tint(2) }, { xAxis: xr[1], yAxis: ext[1] }]
        ]
      }
    }, {
      type: 'line', name: '__mean-cut', silent: true, symbol: 'none', animation: false,
      lineStyle: { type: 'dashed', color: '#333', width: 1.3 }, tooltip: { show: false },
      data: cuts.mean === null ? [] : [[0, cuts.mean], [cuts.variance === null ? maxX() : cuts.variance, cuts.mean]]
    }, {
      type: 'scatter', name: '__current', silent: true, animation: false, z: 10, symbolSize: 18,
      itemStyle: { color: 'rgba(0,0,0,0)', borderColor: '#111', borderWidth: 2.5 }, tooltip: { show: false },
      data: state.current >= 0 ? [[P.x[state.current], P.y[state.current]]] : []
    }];
    $('count').textContent = 'Showing ' + count(shown) + ' of ' + count(N) + ' instructions' +
        (run.policy.sampled ? ' (a sample of the ' + count(run.policy.points) + ' on the map)' : '') + '.';
    return series.concat(lines);
  }

  /** Opacity by region_p: stable points as usual, the ones likely to move region faint. */
  var STABILITY_TIERS = [{ min: 0.9, opacity: 1 }, { min: 0.7, opacity: 0.5 }, { min: -Infinity, opacity: 0.18 }];

  function tierOf(i, tiers) {
    var p = P.rp ? P.rp[i] : null;
    if (p === null || p === undefined) return 0;
    for (var t = 0; t < tiers.length; t++) if (p >= tiers[t].min) return t;
    return tiers.length - 1;
  }

  function maxX() {
    var m = 0;
    for (var i = 0; i < N; i++) if (P.x[i] > m) m = P.x[i];
    return m;
  }

  /** The x axis: from 0 to a little beyond the largest variance, as in the static picture. */
  function xExtent() {
    var m = maxX();
    return [0, m > 0 ? m * 1.04 : 1];
  }

  function tooltip(params) {
    var i = pointOf(params);
    if (i < 0) return '';
    var facts = 'mean ' + fmt(P.y[i], 3) + ' · variance ' + fmt(P.x[i], 3) + ' · ' + run.regions[P.region[i]].name +
        (P.corr[i] !== null ? ' · ' + (run.meta.correlation || 'label/score') + ' agreement ' + fmt(P.corr[i], 3)
          : '') + (P.rp && P.rp[i] !== null ? ' · region_p ' + fmt(P.rp[i], 3) : '');
    var flags = flagNames(P.flags[i]);
    return el('div', null, [
      el('div', { 'class': 'tooltip-id', text: P.id[i] }),
      el('div', { 'class': 'tooltip-text', text: P.text[i] }),
      el('div', { 'class': 'tooltip-facts', text: facts + (flags.length ? ' · flagged: ' + flags.join(', ') : '') })
    ]);
  }

  function pointOf(params) {
    if (!params || params.componentType !== 'series' || params.seriesType !== 'scatter') return -1;
    var list = state.seriesPoints[params.seriesIndex];
    if (!list || params.dataIndex === undefined || params.dataIndex === null) return -1;
    var i = list[params.dataIndex];
    return i === undefined ? -1 : i;
  }

  function flagNames(bits) {
    var names = [];
    run.flagReasons.forEach(function (r, b) { if (bits & (1 << b)) names.push(r); });
    return names;
  }

  function initChart() {
    chart = echarts.init($('chart'), null, { renderer: 'canvas' });
    var yr = yExtent();
    var xr = xExtent();
    chart.setOption({
      animation: false,
      grid: { left: 64, right: 64, top: 48, bottom: 84 },
      legend: { top: 4, left: 'center', type: 'scroll', data: [] },
      xAxis: {
        type: 'value', min: xr[0], max: xr[1], name: run.meta.variabilityTitle || 'variability: variance of the response scores',
        nameLocation: 'middle', nameGap: 30, splitLine: { lineStyle: { color: '#eceff2' } },
        axisLabel: { showMinLabel: true, showMaxLabel: false, formatter: function (v) { return fmt(v, 3); } }
      },
      yAxis: {
        type: 'value', min: yr[0], max: yr[1], name: 'quality: mean response score', nameLocation: 'middle',
        nameGap: 44, splitLine: { lineStyle: { color: '#eceff2' } },
        axisLabel: { showMinLabel: false, showMaxLabel: false, formatter: function (v) { return fmt(v, 2); } }
      },
      tooltip: { trigger: 'item', confine: true, formatter: tooltip, transitionDuration: 0 },
      toolbox: {
        right: 8, top: 2,
        feature: { saveAsImage: { title: 'PNG', name: 'admap-map' } }
      },
      brush: {
        toolbox: ['rect', 'polygon', 'clear'], xAxisIndex: 0, throttleType: 'debounce', throttleDelay: 250,
        brushStyle: { borderWidth: 1, color: 'rgba(0,114,178,0.08)', borderColor: 'rgba(0,114,178,0.8)' },
        outOfBrush: { colorAlpha: 0.25 }
      },
      dataZoom: [
        { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
        { type: 'inside', yAxisIndex: 0, filterMode: 'none' },
        { type: 'slider', xAxisIndex: 0, filterMode: 'none', height: 16, bottom: 6 },
        { type: 'slider', yAxisIndex: 0, filterMode: 'none', width: 14, right: 8 }
      ],
      series: []
    });
    chart.on('click', function (params) {
      var i = pointOf(params);
      if (i >= 0) showPoint(i);
    });
    chart.on('brushSelected', function (params) {
      var batch = params.batch && params.batch[0];
      if (!batch) return;
      var picked = [];
      batch.selected.forEach(function (s) {
        var list = state.seriesPoints[s.seriesIndex];
        if (!list) return;
        s.dataIndex.forEach(function (d) { if (list[d] !== undefined) picked.push(list[d]); });
      });
      if (picked.length || (batch.areas && batch.areas.length)) setSelection(picked, 'brushed on the map');
    });
    window.addEventListener('resize', function () { chart.resize(); });
  }

  function redraw() {
    computeVisible();
    var series = buildSeries();
    var col = coloring();
    var counts = col.counts;
    chart.setOption({
      legend: { data: col.labels.map(function (l) { return l; }), formatter: function (name) {
        var c = col.labels.indexOf(name);
        return c >= 0 ? name + ' (' + count(counts[c]) + ')' : name;
      } },
      series: series
    }, { replaceMerge: ['series'] });
  }

  function highlight() {
    chart.setOption({
      series: [{ name: '__current', data: state.current >= 0 ? [[P.x[state.current], P.y[state.current]]] : [] }]
    });
  }

  // ---- the selected instruction -----------------------------------------------------------

  function showPoint(i) {
    state.current = i;
    highlight();
    var key = P.key[i];
    var panel = clear($('detail'));
    panel.appendChild(el('p', { 'class': 'muted', text: 'Loading ' + P.id[i] + '...' }));
    api.item(key).then(function (item) {
      if (state.current !== i) return;
      renderDetail(i, item);
    }).catch(function (e) {
      clear(panel).appendChild(el('p', { 'class': 'truncated', text: 'Could not load the instruction: ' + e.message }));
    });
  }

  function selectKey(key) {
    var i = indexOfKey.get(key);
    if (i !== undefined) {
      showPoint(i);
    } else {
      api.item(key).then(function (item) { renderDetail(-1, item); });
    }
  }

  function textBlock(label, text, fullLength, cls) {
    var nodes = [];
    if (label) nodes.push(el('h3', { text: label }));
    nodes.push(el('pre', { 'class': 'text ' + (cls || ''), text: text }));
    if (fullLength) {
      nodes.push(el('p', {
        'class': 'truncated',
        text: 'Cut at ' + count(text.length) + ' of ' + count(fullLength) + ' characters' +
            (SERVE ? '.' : '; admap serve shows more.')
      }));
    }
    return nodes;
  }

  function renderDetail(i, item) {
    var panel = clear($('detail'));
    var key = i >= 0 ? P.key[i] : item && item.key;
    var id = i >= 0 ? P.id[i] : item && item.id;
    panel.appendChild(el('h2', { text: id }));
    var facts = el('div', { 'class': 'facts' });
    if (i >= 0) {
      facts.appendChild(el('span', { 'class': 'badge', text: run.regions[P.region[i]].name }));
    }
    var map = item && item.map;
    var mean = map ? map.mean : (i >= 0 ? P.y[i] : null);
    var variance = map ? map.variance : (i >= 0 ? P.x[i] : null);
    facts.appendChild(el('span', { text: 'mean ' + fmt(mean, 4) }));
    facts.appendChild(el('span', { text: 'variance ' + fmt(variance, 4) }));
    if (map) facts.appendChild(el('span', { text: 'n ' + map.n }));
    var regionP = map && map.region_p !== undefined ? map.region_p : (i >= 0 && P.rp ? P.rp[i] : null);
    if (regionP !== null && regionP !== undefined) {
      facts.appendChild(el('span', { 'class': 'region-p', title: 'the probability that it keeps its region when ' +
          'the scores are drawn again under the judge\'s noise', text: 'region_p ' + fmt(regionP, 3) }));
    }
    var corr = map ? map.correlation : (i >= 0 ? P.corr[i] : null);
    if (corr !== null && corr !== undefined) {
      var measure = (map && map.correlationMeasure) || run.meta.correlation;
      facts.appendChild(el('span', { text: 'label/score agreement' + (measure ? ' (' + measure + ')' : '') + ' ' +
          fmt(corr, 3) }));
    }
    panel.appendChild(facts);
    var flagRows = (item && item.rows) || [];
    if (!flagRows.length && i >= 0) {
      flagRows = flagNames(P.flags[i]).map(function (r) { return { reason: r }; });
    }
    if (flagRows.length) {
      var fl = el('div');
      flagRows.forEach(function (r) {
        fl.appendChild(el('span', { 'class': 'badge flag', text: r.reason }));
        if (r.detail) fl.appendChild(el('span', { 'class': 'muted small', text: r.detail + ' ' }));
      });
      panel.appendChild(fl);
    }
    if (SERVE) panel.appendChild(reviewButtons(key, id));
    if (!item) {
      panel.appendChild(el('p', { 'class': 'tooltip-text', text: i >= 0 ? P.text[i] : '' }));
      panel.appendChild(el('p', {
        'class': 'notice',
        text: 'This report embeds the full texts of ' + count(run.policy.details) + ' of its ' +
            count(run.policy.embeddedPoints) + ' instructions (the flagged ones first, then a spread over the ' +
            'map). Open the run with "admap serve ' + run.meta.run + '" to read this one.'
      }));
      return;
    }
    if (item.images && item.images.length) panel.appendChild(renderImages(item.images));
    // A dialogue turn by turn; a prompt of one user message reads as the instruction it is.
    if (item.turns && (item.turns.length > 1 || (item.turns.length === 1 && item.turns[0].role !== 'user'))) {
      panel.appendChild(renderTurns(item.turns));
    } else {
      textBlock('Instruction', item.prompt, item.promptLength).forEach(function (n) { panel.appendChild(n); });
    }
    if (item.input) textBlock('Input', item.input, item.inputLength).forEach(function (n) { panel.appendChild(n); });
    if (item.reference) {
      var ref = el('details', null, [el('summary', { text: 'Reference answer (from the data)' })]);
      textBlock(null, item.reference, item.referenceLength).forEach(function (n) { ref.appendChild(n); });
      panel.appendChild(ref);
    }
    var best = bestResponse(item);
    panel.appendChild(el('h3', { text: 'Responses (' + item.responses.length + ')' }));
    item.responses.forEach(function (r, ri) { panel.appendChild(renderResponse(r, ri === best)); });
    panel.appendChild(el('p', { 'class': 'muted small', text: 'Read from ' + item.source + '; map on scores "' +
        run.meta.scores + '".' }));
  }

  /**
   * The prompt's images, beside the instruction: only data URLs of raster types are shown (the
   * page's policy allows data: images and nothing remote); a URL or an unreadable image is named.
   */
  function renderImages(images) {
    var box = el('div', { 'class': 'prompt-images' });
    images.forEach(function (im) {
      var src = typeof im.src === 'string' ? im.src : '';
      if (/^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+\/=]+$/.test(src)) {
        box.appendChild(el('figure', null, [el('img', { src: src, alt: im.source, title: im.source }),
          el('figcaption', { 'class': 'muted small', text: im.source })]));
      } else {
        box.appendChild(el('p', { 'class': 'muted small', text: 'Image ' + im.source + ': ' +
            (im.url ? 'a URL, not shown (this page loads nothing remote)' : (im.error || 'not shown')) }));
      }
    });
    return box;
  }

  /** A conversational prompt, turn by turn, each under its role; the responses answer the last one. */
  function renderTurns(turns) {
    var box = el('div', { 'class': 'conversation' },
        [el('h3', { text: 'Conversation (' + turns.length + (turns.length === 1 ? ' turn)' : ' turns)') })]);
    turns.forEach(function (t) {
      var turn = el('div', { 'class': 'turn turn-' + (t.role || 'message').replace(/[^a-z_-]/gi, '') },
          [el('div', { 'class': 'turn-role', text: t.role || 'message' })]);
      textBlock(null, t.content, t.contentLength).forEach(function (n) { turn.appendChild(n); });
      box.appendChild(turn);
    });
    return box;
  }

  /** Index of the response with the highest score on the map's source (first on ties). */
  function bestResponse(item) {
    var best = -1, bestValue = -Infinity;
    item.responses.forEach(function (r, ri) {
      var v = scoreOn(r, run.meta.scores);
      if (v !== null && v > bestValue) { best = ri; bestValue = v; }
    });
    return best;
  }

  function scoreOn(r, source) {
    if (source === 'input') return r.score;
    if (source === 'labels') return r.label;
    var s = r.scores.find(function (x) { return x.source === source && x.status === 'ok'; });
    return s ? s.value : null;
  }

  function renderResponse(r, isBest) {
    var head = el('div', { 'class': 'response-head' }, [
      el('span', { text: '#' + (r.position + 1) }),
      el('span', { text: r.model || 'unknown model' }),
      el('span', { 'class': 'muted', text: 'label ' + fmt(r.label) }),
      el('span', { 'class': 'muted', text: 'score ' + fmt(r.score) + ' (data)' })
    ]);
    if (isBest) head.appendChild(el('span', { 'class': 'badge', text: 'best on ' + run.meta.scores }));
    var box = el('div', { 'class': 'response' + (isBest ? ' best' : '') }, [head]);
    textBlock(null, r.text, r.textLength).forEach(function (n) { box.appendChild(n); });
    if (r.uncertainty && r.uncertainty.length) {
      box.appendChild(el('div', { 'class': 'muted small uncertainty', text: 'uncertainty: ' +
          r.uncertainty.map(function (u) {
            return u.source + ' ' + u.samples + (u.samples === 1 ? ' judgment' : ' judgments') + ', standard error ' +
                (u.se === null || u.se === undefined ? 'unknown' : fmt(u.se, 3));
          }).join('; ') }));
    }
    if (r.scores.length) {
      var rows = r.scores.map(function (s) {
        return el('tr', null, [
          el('td', { text: s.source }), el('td', { 'class': 'num', text: fmt(s.value) }),
          el('td', { text: s.status + (s.error ? ': ' + s.error : '') }), el('td', { text: s.model || '' }),
          el('td', { 'class': 'num', text: (s.tokensIn !== undefined ? s.tokensIn : '-') + ' / ' +
              (s.tokensOut !== undefined ? s.tokensOut : '-') }),
          el('td', { 'class': 'num', text: s.costUsd === null || s.costUsd === undefined ? '-' : '$' + fmt(s.costUsd, 5) }),
          el('td', { 'class': 'num', text: s.latencyMs !== undefined ? s.latencyMs + ' ms' : '-' }),
          el('td', { text: s.created || '' })
        ]);
      });
      var table = el('table', { 'class': 'data scores' }, [
        el('thead', null, [el('tr', null, ['source', 'score', 'status', 'model', 'tokens in/out', 'cost', 'latency',
          'stored'].map(function (h) { return el('th', { text: h }); }))]),
        el('tbody', null, rows)
      ]);
      var prov = el('details', null, [el('summary', { text: 'Scores and provenance (' + r.scores.length + ')' }), table]);
      r.scores.forEach(function (s) {
        if (s.raw) {
          prov.appendChild(el('div', { 'class': 'muted small', text: 'raw output of ' + s.source + ':' }));
          textBlock(null, s.raw, s.rawLength).forEach(function (n) { prov.appendChild(n); });
        }
      });
      box.appendChild(prov);
    }
    return box;
  }

  function reviewButtons(key, id) {
    var current = state.reviews[key] || null;
    var box = el('div', { 'class': 'review-buttons', 'aria-label': 'review' });
    box.appendChild(el('span', { 'class': 'muted', text: 'Review: ' }));
    [['reviewed', 'Reviewed'], ['keep', 'Keep'], ['drop', 'Drop'], [null, 'Clear']].forEach(function (m) {
      box.appendChild(el('button', {
        type: 'button', 'data-mark': m[0] || 'clear', 'class': current === m[0] && m[0] ? 'pressed' : '',
        text: m[1],
        onclick: function () {
          api.review(key, m[0]).then(function () {
            if (m[0]) state.reviews[key] = m[0]; else delete state.reviews[key];
            var again = box.parentNode ? reviewButtons(key, id) : null;
            if (again) box.parentNode.replaceChild(again, box);
            renderRegions();
            loadFlags();
            if (state.review) redraw();
          }).catch(function (e) { box.appendChild(el('span', { 'class': 'truncated', text: ' ' + e.message })); });
        }
      }));
    });
    if (current) box.appendChild(el('span', { 'class': 'badge review-' + current, id: 'review-mark', text: current }));
    return box;
  }

  // ---- selection and export -----------------------------------------------------------------

  function setSelection(indices, how) {
    state.selected = indices;
    state.selectionHow = how;
    $('selection-count').textContent = indices.length
        ? count(indices.length) + ' instructions selected (' + how + ').' : 'No selection.';
    $('export-result').textContent = '';
    clear($('export-result'));
  }

  function selectShown() {
    var picked = [];
    for (var i = 0; i < N; i++) if (state.visible[i]) picked.push(i);
    setSelection(picked, 'the points shown');
  }

  function exportSelection() {
    var out = clear($('export-result'));
    if (!state.selected.length) {
      out.textContent = 'Select points first.';
      return;
    }
    out.textContent = 'Exporting...';
    api.exportSelection({
      keys: state.selected.map(function (i) { return P.key[i]; }),
      format: $('export-format').value,
      pairs: $('export-pairs').value,
      by: $('export-by').value,
      description: state.selectionHow
    }).then(function (r) {
      clear(out);
      out.appendChild(el('span', { text: count(r.instructions) + ' instructions, ' + count(r.records) + ' ' +
          (r.format === 'multi' ? 'records' : 'pairs') + (r.skippedDropped ? ', ' + count(r.skippedDropped) +
          ' marked drop left out' : '') + ': ' }));
      out.appendChild(el('a', { href: r.download, download: r.file, id: 'export-link', text: r.file }));
    }).catch(function (e) { out.textContent = 'Export failed: ' + e.message; });
  }

  function downloadIds() {
    var ids = state.selected.map(function (i) { return P.id[i]; });
    var blob = new Blob([JSON.stringify({ selection: state.selectionHow, ids: ids }, null, 1)],
        { type: 'application/json' });
    var a = el('a', { href: URL.createObjectURL(blob), download: 'admap-selection.json' });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  // ---- tables ---------------------------------------------------------------------------------

  function renderRegions() {
    var table = clear($('regions-table'));
    var head = ['region', 'instructions', 'share', 'mean', 'variance'];
    if (SERVE) head.push('marked drop');
    table.appendChild(el('thead', null, [el('tr', null, head.map(function (h, k) {
      return el('th', { 'class': k === 1 || k === 2 ? 'num' : '', text: h });
    }))]));
    var drops = [0, 0, 0];
    if (SERVE) {
      for (var i = 0; i < N; i++) if (state.reviews[P.key[i]] === 'drop') drops[P.region[i]]++;
    }
    var total = run.regions.reduce(function (s, r) { return s + r.count; }, 0);
    table.appendChild(el('tbody', null, run.regions.map(function (r, k) {
      var cells = [
        el('td', null, [el('span', { 'class': 'swatch', style: 'background:' + r.color }), ' ' + r.name]),
        el('td', { 'class': 'num', text: count(r.count) }),
        el('td', { 'class': 'num', text: total ? (100 * r.count / total).toFixed(1) + '%' : '-' }),
        el('td', { text: range(r.mean) }),
        el('td', { text: range(r.variance) })
      ];
      if (SERVE) cells.push(el('td', { 'class': 'num', text: count(drops[k]) }));
      return el('tr', null, cells);
    })));
  }

  function renderDiagnosis() {
    var box = clear($('diagnosis-summary'));
    var d = run.diagnosis;
    if (!d && !run.flags.length) {
      box.appendChild(el('p', { 'class': 'muted', text: 'No diagnosis yet: run "admap diagnose" on the run, then ' +
          'make the report again.' }));
      return;
    }
    box.appendChild(el('p', { text: count(run.flags.length) + ' flagged instructions' +
        (run.flagReasons.length ? ' (' + run.flagReasons.join(', ') + ')' : '') + '.' }));
    if (d && typeof d === 'object') {
      Object.keys(d).forEach(function (k) {
        var v = d[k];
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          var dl = el('dl', { 'class': 'kv' });
          Object.keys(v).forEach(function (kk) {
            var vv = v[kk];
            dl.appendChild(el('dt', { text: kk }));
            dl.appendChild(el('dd', { text: typeof vv === 'object' ? JSON.stringify(vv) : fmt(vv) }));
          });
          box.appendChild(el('details', null, [el('summary', { text: k }), dl]));
        }
      });
    }
  }

  var BIAS_MEANINGS = {
    chars: 'Spearman\'s rho of score and response length in characters: 0 when the judge ignores length, ' +
        'towards 1 when longer answers score higher whatever they say',
    tokens: 'the same with length in tokens (words, numbers and punctuation marks)',
    position: 'share of the within-call score variance explained by the position a response was shown in ' +
        '(--per-call all): 0 for a judge blind to order'
  };

  /** "How far to trust this map": region stability and the diagnosis' bias audit. */
  /** What the judge's spread in the trust section was measured between, by the trust data's noiseFrom. */
  var NOISE_FROM = {
    samples: ' (the spread between repeated judgments of a response; a score is their mean).',
    sample: ' (the spread between the samples of a response; this map is of one sample, so a score is one judgment).',
    calibration: ' (the spread between the two judgments of the calibration share; a score is one judgment).',
    logprobs: ' (from log-probabilities). This is a within-judgment spread: how unsure the judge was between ' +
        'scores in one answer, not a between-judgment noise (how far a second judgment of the response would ' +
        'fall), which nothing here measured; region_p takes it as that noise, and the two need not agree. To ' +
        'measure it, judge a share twice (admap score RUN --calibrate 0.1) or every response more than once ' +
        '(--samples 2).',
    mixed: ' (the spread between repeated judgments for some responses, the log-probability spread of a single ' +
        'judgment for the others: a between-judgment and a within-judgment spread pooled into one variance).'
  };

  function renderTrust() {
    var box = clear($('trust'));
    var t = run.trust;
    if (!t || t.none) {
      box.appendChild(el('p', { 'class': 'trust-none', text: 'No uncertainty: ' + (t ? t.message : '') + '.' }));
    } else {
      var e = t.estimate;
      var withinJudgment = t.noiseFrom === 'logprobs';
      // repeated judgments for some responses only: "the mean of 1 judgment" would misstate the rest
      var someRepeated = (t.noiseFrom === 'samples' || t.noiseFrom === 'mixed') && e && e.samples_per_score === 1;
      if (e) {
        box.appendChild(el('p', { 'class': 'trust-estimate', text: 'Expected share of instructions that keep their ' +
            'region (' + fmt(e.overall, 3) + ' overall), predicted for target "' + e.target + '" under "' + e.noise +
            '" noise: ' + (withinJudgment ? 'scores are one judgment each, the mean variance of their log-probability ' +
            'spread ' + fmt(e.judgment_variance, 3) + ' (over ' : (someRepeated ? 'scores are the mean of their ' +
            'judgments (most often 1)' : 'scores are the mean of ' + e.samples_per_score +
            (e.samples_per_score === 1 ? ' judgment' : ' judgments')) + ', one judgment\'s variance ' +
            fmt(e.judgment_variance, 3) + ' (from ') + count(e.calibration_responses) + ' responses)' +
            (e.sample !== undefined ? ', map of sample ' + e.sample : '') + '; ' + count(e.draws) + ' draws, seed ' +
            e.seed + '.' }));
      }
      if (t.standardError !== undefined) {
        box.appendChild(el('p', { 'class': 'trust-noise', text: 'Judge\'s own spread: sd ' + fmt(t.judgmentSd, 3) +
            ' per judgment, SE of a score ' + fmt(t.standardError, 3) + (NOISE_FROM[t.noiseFrom] || '') }));
      }
      var table = el('table', { id: 'trust-regions', 'class': 'data' });
      table.appendChild(el('thead', null, [el('tr', null, ['region', 'instructions', 'mean region_p', '+-',
        'region_p >= ' + t.stableAt].map(function (h, k) { return el('th', { 'class': k ? 'num' : '', text: h }); }))]));
      table.appendChild(el('tbody', null, t.regions.map(function (r) {
        return el('tr', null, [el('td', { text: r.name }), el('td', { 'class': 'num', text: count(r.count) }),
          el('td', { 'class': 'num', text: fmt(r.meanRegionP, 3) }),
          el('td', { 'class': 'num', text: fmt(r.stabilitySd, 3) }),
          el('td', { 'class': 'num', text: r.stableShare === undefined ? '-' : (100 * r.stableShare).toFixed(1) + '%' })]);
      })));
      box.appendChild(table);
      box.appendChild(el('p', { 'class': 'muted small', text: 'region_p: the probability that an instruction keeps ' +
          'its region when its scores are drawn again under the judge\'s noise. A region\'s mean region_p is the ' +
          'share expected to keep it; +- is how far one rebuilt map\'s share may fall from it.' }));
    }
    box.appendChild(el('h3', { text: 'Bias audit' }));
    var bias = run.diagnosis && run.diagnosis.bias;
    if (!bias || !bias.length) {
      box.appendChild(el('p', { 'class': 'muted', text: 'No bias audit yet: run "admap diagnose" on the run, then ' +
          'make the page again.' }));
      return;
    }
    var bt = el('table', { id: 'bias-table', 'class': 'data' });
    bt.appendChild(el('thead', null, [el('tr', null, ['scores', 'responses', 'length (chars)', 'length (tokens)',
      'position'].map(function (h, k) { return el('th', { 'class': k ? 'num' : '', text: h }); }))]));
    bt.appendChild(el('tbody', null, bias.map(function (a) {
      return el('tr', null, [el('td', { text: a.scores }), el('td', { 'class': 'num', text: count(a.responses) }),
        el('td', { 'class': 'num', text: fmt(a.spearman_length_chars, 3) }),
        el('td', { 'class': 'num', text: fmt(a.spearman_length_tokens, 3) }),
        el('td', { 'class': 'num', text: a.position ? fmt(a.position.variance_share, 3) + ' (' +
            count(a.position.calls) + ' calls)' : 'no shown order' })]);
    })));
    box.appendChild(bt);
    var dl = el('dl', { 'class': 'kv small' });
    [['length (chars)', BIAS_MEANINGS.chars], ['length (tokens)', BIAS_MEANINGS.tokens],
      ['position', BIAS_MEANINGS.position]].forEach(function (m) {
      dl.appendChild(el('dt', { text: m[0] }));
      dl.appendChild(el('dd', { text: m[1] }));
    });
    box.appendChild(dl);
  }

  function loadFlags() {
    var reason = run.flagReasons.indexOf(state.flag) >= 0 ? state.flag : '';
    api.flags(state.flagPage, FLAG_PAGE_SIZE, reason).then(function (page) {
      var pages = Math.max(1, Math.ceil(page.total / FLAG_PAGE_SIZE));
      $('flags-page').textContent = page.total ? 'page ' + (state.flagPage + 1) + ' of ' + pages + ' (' +
          count(page.total) + ' flagged' + (reason ? ' ' + reason : '') + ')' : 'no flagged instructions';
      $('flags-prev').disabled = state.flagPage <= 0;
      $('flags-next').disabled = state.flagPage >= pages - 1;
      var table = clear($('flags-table'));
      var head = ['id', 'reasons', 'detail', 'prompt'];
      if (SERVE) head.push('review');
      table.appendChild(el('thead', null, [el('tr', null, head.map(function (h) { return el('th', { text: h }); }))]));
      table.appendChild(el('tbody', null, page.flags.map(function (f) {
        var i = indexOfKey.get(f.key);
        var cells = [
          el('td', { text: f.id }),
          el('td', null, f.rows.map(function (r) { return el('span', { 'class': 'badge flag', text: r.reason }); })),
          el('td', { 'class': 'small', text: f.rows.map(function (r) { return r.detail || ''; }).filter(Boolean).join('; ') }),
          el('td', { 'class': 'small', text: i !== undefined ? P.text[i] : (f.text || '') })
        ];
        if (SERVE) cells.push(el('td', { text: state.reviews[f.key] || '' }));
        return el('tr', { 'data-key': f.key, onclick: function () { selectKey(f.key); } }, cells);
      })));
    });
  }

  function renderSummary() {
    var s = run.summary;
    var box = clear($('histograms'));
    s.histograms.forEach(function (h) {
      var div = el('div', { 'class': 'histogram' });
      var source = run.sources.find(function (x) { return x.name === h.source; }) || {};
      box.appendChild(el('div', { 'class': 'histogram-box' }, [
        el('h4', { text: h.source + (source.kind ? ' (' + source.kind + (source.model ? ', ' + source.model : '') + ')' : '') }),
        el('div', { 'class': 'muted small', text: count(h.count) + ' responses, mean ' + fmt(h.mean, 3) + ', ' +
            fmt(h.min, 3) + ' .. ' + fmt(h.max, 3) }),
        div
      ]));
      var labels = h.values ? h.values.map(function (v) { return fmt(v, 3); })
          : h.counts.map(function (c, k) { return fmt((h.edges[k] + h.edges[k + 1]) / 2, 2); });
      var c = echarts.init(div, null, { renderer: 'canvas' });
      c.setOption({
        animation: false,
        grid: { left: 44, right: 8, top: 10, bottom: 24 },
        xAxis: { type: 'category', data: labels, axisLabel: { fontSize: 10 } },
        yAxis: { type: 'value', axisLabel: { fontSize: 10 } },
        tooltip: { trigger: 'axis' },
        series: [{ type: 'bar', data: h.counts, itemStyle: { color: '#0072b2' }, barCategoryGap: '8%' }]
      });
      window.addEventListener('resize', function () { c.resize(); });
    });
    var ag = clear($('agreements'));
    if (!s.agreements.length) {
      ag.appendChild(el('tbody', null, [el('tr', null, [el('td', { 'class': 'muted',
        text: 'One score source only: run a scorer (admap score) to compare judge, reward, reference and labels.' })])]));
    } else {
      ag.appendChild(el('thead', null, [el('tr', null, ['source', 'source', 'responses', 'Pearson', 'Spearman']
          .map(function (h, k) { return el('th', { 'class': k >= 2 ? 'num' : '', text: h }); }))]));
      ag.appendChild(el('tbody', null, s.agreements.map(function (a) {
        return el('tr', null, [el('td', { text: a.a }), el('td', { text: a.b }), el('td', { 'class': 'num', text: count(a.n) }),
          el('td', { 'class': 'num', text: fmt(a.pearson, 3) }), el('td', { 'class': 'num', text: fmt(a.spearman, 3) })]);
      })));
    }
    var mt = clear($('models'));
    var sources = s.histograms.map(function (h) { return h.source; });
    mt.appendChild(el('thead', null, [el('tr', null, ['model', 'responses', 'instructions', 'best']
        .concat(sources.map(function (x) { return 'mean ' + x; }))
        .map(function (h, k) { return el('th', { 'class': k >= 1 ? 'num' : '', text: h }); }))]));
    mt.appendChild(el('tbody', null, s.models.map(function (m) {
      return el('tr', null, [el('td', { text: m.model || '(unknown)' }), el('td', { 'class': 'num', text: count(m.responses) }),
        el('td', { 'class': 'num', text: count(m.items) }),
        el('td', { 'class': 'num', text: count(m.best) + (m.items ? ' (' + (100 * m.best / m.items).toFixed(0) + '%)' : '') })]
        .concat(sources.map(function (x) { return el('td', { 'class': 'num', text: fmt(m.means[x], 3) }); })));
    })));
  }

  // ---- controls -----------------------------------------------------------------------------

  function initControls() {
    var colorBy = $('color-by');
    run.colorings.forEach(function (c, k) { colorBy.appendChild(el('option', { value: k, text: c.title })); });
    colorBy.addEventListener('change', function () { state.coloring = Number(colorBy.value); redraw(); });

    var chips = $('region-filters');
    run.regions.forEach(function (r, k) {
      var box = el('input', { type: 'checkbox', 'data-region': r.name, checked: 'checked' });
      box.addEventListener('change', function () { state.regions[k] = box.checked; redraw(); });
      chips.appendChild(el('label', { 'class': 'chip' }, [box, el('span', { 'class': 'swatch', style: 'background:' + r.color }),
        r.name + ' (' + count(r.count) + ')']));
    });

    var flag = $('flag-filter');
    [['', 'all instructions'], ['any', 'flagged (' + count(run.flags.length) + ')'], ['none', 'not flagged']]
        .concat(run.flagReasons.map(function (r) { return [r, r]; }))
        .forEach(function (o) { flag.appendChild(el('option', { value: o[0], text: o[1] })); });
    flag.addEventListener('change', function () { state.flag = flag.value; state.flagPage = 0; redraw(); loadFlags(); });

    var review = $('review-filter');
    review.addEventListener('change', function () { state.review = review.value; redraw(); });

    var search = $('search');
    var timer = null;
    search.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = search.value;
        if (!q.trim()) { state.searchKeys = null; redraw(); return; }
        api.search(q).then(function (keys) {
          if (search.value !== q) return;
          state.searchKeys = new Set(keys);
          redraw();
        });
      }, 250);
    });

    $('reset-zoom').addEventListener('click', function () {
      chart.dispatchAction({ type: 'dataZoom', dataZoomIndex: 0, start: 0, end: 100 });
      chart.dispatchAction({ type: 'dataZoom', dataZoomIndex: 1, start: 0, end: 100 });
    });
    $('select-shown').addEventListener('click', selectShown);
    $('clear-selection').addEventListener('click', function () {
      chart.dispatchAction({ type: 'brush', areas: [] });
      setSelection([], '');
    });
    $('flags-prev').addEventListener('click', function () { state.flagPage--; loadFlags(); });
    $('flags-next').addEventListener('click', function () { state.flagPage++; loadFlags(); });
    if (SERVE) {
      $('export-controls').hidden = false;
      $('review-filter-label').hidden = false;
      $('export').addEventListener('click', exportSelection);
    } else {
      $('download-ids').hidden = false;
      $('download-ids').addEventListener('click', downloadIds);
    }
  }

  /**
   * The agreement measure(s) behind the header: the diagnosis's when there is one (its flags
   * are what the page lists), and the map's colouring measure beside it when that differs.
   */
  function agreementNote(m) {
    var map = m.correlation, diag = m.diagnosisCorrelation;
    if (diag && map && diag !== map) {
      return ' (diagnosed by ' + diag + ' agreement; the map\'s agreement column: ' + map + ')';
    }
    if (diag || map) return ' (' + (diag || map) + ' agreement)';
    return '';
  }

  function renderHeader() {
    var m = run.meta;
    if (P.rp) {
      $('stability-legend').textContent = 'Faint points may change region: drawn full when region_p >= 0.9, at half ' +
          'strength from 0.7, faint below 0.7 (region_p: the probability that the instruction keeps its region when ' +
          'its scores are drawn again under the judge\'s noise; colour by "stability" to see it in bins).';
      $('stability-legend').hidden = false;
    }
    document.title = m.title;
    $('title').textContent = m.title;
    $('subtitle').textContent = 'scores: ' + m.scoresDescription + ' · N = ' + count(m.mapped) + ' instructions' +
        (m.unmapped ? ' (' + count(m.unmapped) + ' not mapped: fewer than two scores)' : '') + ' · ' +
        count(m.responses) + ' responses · labels: ' + (m.labels || 'none') + agreementNote(m) +
        (m.variability === 'comb' ? ' · variability: comb (pairwise embedding cosines, not the scores)' : '');
    var notes = [];
    if (run.policy.sampled) {
      notes.push('The map has ' + count(run.policy.points) + ' instructions; this report shows ' +
          count(run.policy.embeddedPoints) + ' of them (every flagged one and a seeded sample).');
    }
    if (!SERVE && !run.policy.allDetails) {
      notes.push('Full texts are embedded for ' + count(run.policy.details) + ' instructions (flagged first, then ' +
          'a spread over the map); the others show their prompt\'s beginning. "admap serve" shows every one.');
    }
    if (m.degenerate) {
      $('degenerate').textContent = 'Degenerate map: ' + m.degenerate.message + '. Selections of ' +
          m.degenerate.regions.join(', ') + ' from it say nothing about the data.';
      $('degenerate').hidden = false;
    }
    if (notes.length) {
      $('notice').textContent = notes.join(' ');
      $('notice').hidden = false;
    }
    $('footer').textContent = (SERVE ? 'admap serve' : 'admap report') + ' · admap ' + m.admapVersion +
        ' · map made ' + m.mapCreated + ' · page made ' + m.created + ' · run ' + m.run +
        ' · charts: Apache ECharts ' + (window.echarts ? echarts.version : '');
  }

  function start(data, marks) {
    run = data;
    P = run.points;
    N = P.key.length;
    for (var i = 0; i < N; i++) indexOfKey.set(P.key[i], i);
    state.reviews = marks || {};
    renderHeader();
    initControls();
    initChart();
    // Ready once the map is drawn. ECharts may finish the first drawing inside setOption,
    // so the listener goes on before the first redraw.
    var ready = function () {
      chart.off('finished', ready);
      document.body.setAttribute('data-ready', 'true');
    };
    chart.on('finished', ready);
    redraw();
    renderRegions();
    renderDiagnosis();
    renderTrust();
    loadFlags();
    renderSummary();
    // For people poking at the page from the console, and for the browser tests.
    window.admapView = {
      chart: chart,
      state: state,
      points: P,
      ready: true,
      /** Page coordinates (CSS pixels, relative to the chart) of the point with this key. */
      pixelOf: function (key) {
        var i = indexOfKey.get(key);
        if (i === undefined) return null;
        var s = -1, d = -1;
        state.seriesPoints.forEach(function (list, k) { var at = list.indexOf(i); if (at >= 0) { s = k; d = at; } });
        if (s < 0) return null;
        return chart.convertToPixel({ seriesIndex: s }, [P.x[i], P.y[i]]);
      },
      select: selectKey
    };
  }

  Promise.all([api.run(), api.reviews()]).then(function (r) { start(r[0], r[1]); }).catch(function (e) {
    $('notice').textContent = 'Could not load the map: ' + e.message;
    $('notice').hidden = false;
  });
})();
