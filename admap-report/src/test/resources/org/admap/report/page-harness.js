// Runs admap.js under Node against a page's embedded data, with a text-only stand-in DOM and
// ECharts, and prints what it rendered as JSON: the trust section's text, the stability legend,
// the scatter series (name, points, opacity) and the first point's details. For the tests of
// the page's script where no browser is installed (TrustViewTest).
const fs = require('fs');
const html = fs.readFileSync(process.argv[2], 'utf8');
const open = '<script type="application/json" id="admap-data">';
const s = html.indexOf(open) + open.length;
const dataText = html.substring(s, html.indexOf('</script>', s));
const js = fs.readFileSync(process.argv[3], 'utf8');
// The script runs against a DOM that keeps text only (no HTML parser) and an ECharts stand-in.
class El {
  constructor(tag) { this.tagName = tag; this.children = []; this.attrs = {}; this._text = ''; this.style = {}; this.hidden = false; this.value = ''; this.options = []; this.classList = { add(){}, remove(){}, toggle(){} }; }
  get firstChild() { return this.children[0] || null; }
  appendChild(c) { c.parentNode = this; this.children.push(c); return c; }
  removeChild(c) { this.children.splice(this.children.indexOf(c), 1); return c; }
  replaceChild(n, o) { this.children[this.children.indexOf(o)] = n; n.parentNode = this; }
  insertBefore(n) { return this.appendChild(n); }
  setAttribute(k, v) { this.attrs[k] = v; } getAttribute(k) { return this.attrs[k]; }
  addEventListener() {} remove() {} click() {} focus() {}
  querySelectorAll() { return []; } querySelector() { return null; }
  set textContent(v) { this.children = []; this._text = v; }
  get textContent() { return this._text + this.children.map(c => c.textContent).join(''); }
}
class Text { constructor(t) { this.t = t; } get textContent() { return this.t; } }
const ids = {};
const document = {
  getElementById(id) { if (id === 'admap-data') return { textContent: dataText }; return ids[id] || (ids[id] = new El('div')); },
  createElement(t) { return new El(t); }, createTextNode(t) { return new Text(t); },
  body: new El('body'), title: '', addEventListener() {}
};
let options = [];
const chart = { on() {}, off() {}, setOption(o) { options.push(o); }, resize() {}, convertToPixel() { return [0, 0]; }, dispatchAction() {} };
const window = { addEventListener() {}, echarts: { version: 'stub' } };
global.document = document; global.window = window; global.echarts = { init() { return chart; }, version: 'stub' };
global.URL = URL; global.localStorage = { getItem() { return null; }, setItem() {} };
eval(js);
setTimeout(() => {
  const out = {};
  out.trust = ids['trust'] ? ids['trust'].textContent : null;
  out.legend = ids['stability-legend'] ? [ids['stability-legend'].hidden, ids['stability-legend'].textContent] : null;
  const last = options.filter(o => o.series && o.series.length > 3).pop();
  out.series = last ? last.series.filter(x => !String(x.name).startsWith('__')).map(x => [x.name, x.data.length, x.itemStyle ? x.itemStyle.opacity : null]) : null;
  out.notice = ids['notice'] ? ids['notice'].textContent : null;
  const v = window.admapView;
  if (v) { v.select(v.points.key[0]); }
  setTimeout(() => { out.detail = ids['detail'].textContent.slice(0, 600); console.log(JSON.stringify(out, null, 1)); }, 50);
}, 50);
