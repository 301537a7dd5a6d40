// Self-contained HTML fragmentation report: inline CSS, inline SVG graph, sortable/filterable findings, no network.
import { sentence } from '../util/safe-text.js';
import type { Finding, RunResult } from '../result.js';
import { renderSvg } from './graph.js';
import { provisionTable, serviceImportTable, wsEndpointTable, type TableData } from './tables.js';
import { COLLAPSE_AFTER, familyLabel, headlines, resolves, siteOf, verdictOf, verdictSymbol } from './markdown.js';

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--ok:#2b8a3e;--bad:#c92a2a;--warn:#e67700;--bg:#fff;--soft:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1200px;margin:0 auto;padding:24px 32px 64px}
h1{font-size:24px;margin:0 0 8px}h2{font-size:19px;margin:32px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}h3{font-size:15px;margin:18px 0 6px}
.headline{font-size:17px;font-weight:600;background:var(--soft);border-left:4px solid var(--bad);padding:10px 14px;margin:8px 0}
code,.mono{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
table{border-collapse:collapse;margin:8px 0;width:100%}th,td{border:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}th{background:var(--soft)}
td.agree{background:#ebfbee;color:var(--ok);text-align:center;font-weight:600}td.mismatch{background:#fff5f5;color:var(--bad);text-align:center}td.partial{background:#fff9db;color:var(--warn);text-align:center}td.unknown{color:var(--muted);text-align:center}
.canonical{color:var(--ok);font-weight:600}.retire{color:var(--bad)}
.graph-wrap{overflow-x:auto;border:1px solid var(--line);border-radius:6px;padding:8px;background:#fff}
svg.graph text{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;fill:#1f2328}svg.graph .edge-label{fill:#59636e;font-size:10px}
ul.plan{list-style:none;padding-left:4px}ul.plan li{margin:4px 0}ul.plan .edit{color:var(--muted)}
.sev-error{color:var(--bad);font-weight:600}.sev-warning{color:var(--warn);font-weight:600}.sev-note{color:var(--muted)}
pre.snippet{margin:4px 0 0;padding:4px 6px;background:var(--soft);border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere}
.controls{display:flex;gap:8px;align-items:center;margin:6px 0}.controls input,.controls select{font:inherit;padding:3px 6px}
th.sortable{cursor:pointer;user-select:none}th.sortable::after{content:" ⇅";color:var(--muted)}
details{margin:6px 0}summary{cursor:pointer;color:var(--muted)}
footer{margin-top:40px;color:var(--muted);font-size:12px}
table.counts{width:auto}th.sortable{white-space:nowrap}
`;

const SCRIPT = `
(function(){
  var table=document.getElementById('findings');if(!table)return;
  var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
  var text=document.getElementById('filter-text');var sev=document.getElementById('filter-severity');var count=document.getElementById('filter-count');
  function apply(){var q=text.value.toLowerCase();var s=sev.value;var shown=0;
    rows.forEach(function(r){var ok=(!q||r.textContent.toLowerCase().indexOf(q)>=0)&&(!s||r.getAttribute('data-severity')===s);r.hidden=!ok;if(ok)shown++;});
    count.textContent=shown+' of '+rows.length;}
  text.addEventListener('input',apply);sev.addEventListener('change',apply);
  var dir={};
  Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){th.addEventListener('click',function(){
    var key=th.getAttribute('data-key');dir[key]=-(dir[key]||-1);var d=dir[key];
    rows.sort(function(a,b){var x=a.cells[i].getAttribute('data-sort')||a.cells[i].textContent;var y=b.cells[i].getAttribute('data-sort')||b.cells[i].textContent;return x<y?-d:x>y?d:0;});
    rows.forEach(function(r){body.appendChild(r);});});});
  apply();
})();
`;

const SEVERITY_ORDER: Record<string, string> = { error: '1', warning: '2', note: '3' };

function summary(result: RunResult): string {
  const out: string[] = ['<section id="summary"><h2>Summary</h2>'];
  for (const line of headlines(result)) out.push(`<p class="headline">${esc(line)}.</p>`);
  const services = result.services.filter((s) => s.kind === 'service').map((s) => `<code>${esc(s.name)}</code>`);
  const shared = result.services.filter((s) => s.kind === 'shared').map((s) => `<code>${esc(s.name)}</code>`);
  const languages = Object.entries(result.files.byLanguage).map(([lang, n]) => `${lang} ${n}`).join(', ');
  out.push('<ul>');
  out.push(`<li>Services: ${services.join(', ') || 'none'}${shared.length > 0 ? `; shared: ${shared.join(', ')}` : ''}</li>`);
  out.push(`<li>Files scanned: ${result.files.scanned}${languages ? ` (${esc(languages)})` : ''}; test files excluded: ${result.files.tests}</li>`);
  for (const family of result.families) {
    const canonical = family.canonical ? `canonical <code class="canonical">${esc(family.canonical)}</code>${family.canonicalReason ? ` (${esc(family.canonicalReason)})` : ''}` : 'no canonical name';
    const names = family.names.map((n) => `<code>${esc(n)}</code>`).join(', ');
    out.push(`<li>Family <code>${esc(family.id)}</code>: ${canonical}; names ${names || 'none'}${family.patterns.length > 0 ? `; dynamic: ${family.patterns.map((p) => `<code>${esc(p)}</code>`).join(', ')}` : ''}${family.canonicalWhy ? `. ${esc(family.canonicalWhy)}` : ''}</li>`);
  }
  out.push('</ul>');
  const counts = Object.entries(result.counts);
  if (counts.length > 0) {
    out.push('<h3>Findings by rule</h3><table class="counts"><thead><tr><th>rule</th><th>findings</th></tr></thead><tbody>');
    for (const [rule, n] of counts) out.push(`<tr><td><code>${esc(rule)}</code></td><td>${n}</td></tr>`);
    out.push('</tbody></table>');
  }
  out.push('</section>');
  return out.join('\n');
}

function matrix(result: RunResult): string {
  const m = result.matrix;
  const out: string[] = ['<section id="matrix"><h2>Cross-validation matrix</h2>'];
  if (!m || m.pairs === 0) {
    out.push('<p>No component both signs and verifies with a traceable key.</p></section>');
    return out.join('\n');
  }
  out.push(`<p>${m.agree} of ${m.pairs} signer × verifier pairs agree. Rows verify, columns sign (✓ same secret, ◐ only some paths, ✗ different, ? unknown).</p>`);
  out.push('<table class="matrix"><thead><tr><th>verifier ↓ · signer →</th><th>resolves</th>');
  for (const s of m.signers) out.push(`<th>${esc(s.id)}<br><code>${esc(s.primaries.join(', '))}</code></th>`);
  out.push('</tr></thead><tbody>');
  for (const v of m.verifiers) {
    out.push(`<tr><th>${esc(v.id)}</th><td><code>${esc(resolves(v))}</code></td>`);
    for (const s of m.signers) {
      const verdict = verdictOf(m, s, v);
      const title = `${v.primaries.join(', ')} vs ${s.primaries.join(', ')}`;
      out.push(`<td class="${verdict}" title="${esc(title)}">${verdictSymbol(verdict)}${verdict === 'agree' ? '' : ` <span class="mono">${esc(v.primaries.join(', '))} ≠ ${esc(s.primaries.join(', '))}</span>`}</td>`);
    }
    out.push('</tr>');
  }
  out.push('</tbody></table>');
  out.push('<details><summary>Operations behind the matrix</summary><ul>');
  const seen = new Set<string>();
  for (const c of [...m.signers, ...m.verifiers]) {
    for (const op of c.ops) {
      const line = `${c.id}: ${op.op} at ${siteOf(op.file, op.loc)} → ${op.chain.join(' → ')}`;
      if (!seen.has(line)) out.push(`<li class="mono">${esc(line)}</li>`);
      seen.add(line);
    }
  }
  out.push('</ul></details></section>');
  return out.join('\n');
}

function tableSection(id: string, title: string, table: TableData | null): string {
  if (!table) return '';
  const head = `<tr>${table.headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const body = table.rows.map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('');
  const grid = `<table><thead>${head}</thead><tbody>${body}</tbody></table>`;
  const content = table.rows.length > COLLAPSE_AFTER ? `<details><summary>${table.rows.length} rows</summary>${grid}</details>` : grid;
  return `<section id="${id}"><h2>${esc(title)}</h2>${content}</section>`;
}

function inventory(result: RunResult): string {
  const out: string[] = ['<section id="inventory"><h2>Inventory</h2>'];
  if (result.inventory.length === 0) return `${out[0]}<p>No secret-family name is read anywhere.</p></section>`;
  out.push('<table><thead><tr><th>name</th><th>status</th><th>services</th><th>roles</th><th>read sites</th></tr></thead><tbody>');
  for (const e of result.inventory) {
    const status = e.canonical ? '<span class="canonical">canonical</span>' : `<span class="retire">${e.dynamic ? 'replace' : 'retire'}</span>`;
    const reads = e.reads.map((r) => {
      const extra = [r.accessor, ...(r.chain ? [`chain ${r.chain.join(' → ')}`] : []), ...(r.hasDefault ? ['has a default'] : [])];
      return `<li><code>${esc(siteOf(r.file, r.loc))}</code> ${esc(extra.join('; '))}</li>`;
    });
    const list = reads.length > 3 ? `<details><summary>${reads.length} sites</summary><ul>${reads.join('')}</ul></details>` : `<ul>${reads.join('')}</ul>`;
    out.push(`<tr><td><code>${esc(e.name)}</code>${e.dynamic ? ' (dynamic)' : ''}</td><td>${status}</td><td>${esc(e.services.join(', ') || '—')}</td><td>${esc(e.roles.join(', ') || '—')}</td><td>${list}</td></tr>`);
  }
  out.push('</tbody></table></section>');
  return out.join('\n');
}

function plan(result: RunResult): string {
  const p = result.plan;
  const out: string[] = ['<section id="plan"><h2>Migration plan</h2>'];
  if (!p) return `${out[0]}<p>No plan in this result.</p></section>`;
  for (const f of p.families) {
    out.push(`<p><strong>${esc(familyLabel(f.family))}: ${f.canonical ? `converge on <code class="canonical">${esc(f.canonical)}</code>` : 'choose a canonical name'}.</strong> ${esc(sentence(f.why))}${f.retire.length > 0 ? ` Retire: ${f.retire.map((n) => `<code class="retire">${esc(n)}</code>`).join(', ')}.` : ''}</p>`);
  }
  if (p.services.length === 0) out.push('<p>Nothing to change.</p>');
  for (const s of p.services) {
    out.push(`<h3>${esc(s.service ?? 'Unattributed (no service)')}</h3>`);
    const items = s.steps.map((step) => {
      const edit = step.edit !== null ? p.edits[step.edit] : undefined;
      const how = edit ? ` <span class="edit">— edit #${edit.id}: replace with <code>${esc(edit.replacement)}</code></span>` : step.kind === 'manual' ? ' <span class="edit">— by hand</span>' : '';
      return `<li><label><input type="checkbox"> ${esc(step.action)} (<code>${esc(siteOf(step.file, step.loc))}</code>)</label>${how}</li>`;
    });
    out.push(`<ul class="plan">${items.slice(0, COLLAPSE_AFTER).join('')}</ul>`);
    if (items.length > COLLAPSE_AFTER) out.push(`<details><summary>${items.length - COLLAPSE_AFTER} more steps</summary><ul class="plan">${items.slice(COLLAPSE_AFTER).join('')}</ul></details>`);
  }
  out.push('</section>');
  return out.join('\n');
}

function findingRow(f: Finding): string {
  const site = siteOf(f.file, f.loc);
  const sortSite = `${f.file}:${String(f.loc.line).padStart(7, '0')}`;
  const snippet = f.snippet !== undefined ? `<pre class="snippet">${esc(f.snippet)}</pre>` : '';
  return `<tr data-severity="${f.severity}"><td class="sev-${f.severity}" data-sort="${SEVERITY_ORDER[f.severity] ?? '9'}">${f.severity}</td><td><code>${esc(f.ruleId)}</code></td><td>${esc(f.service ?? '—')}</td><td data-sort="${esc(sortSite)}"><code>${esc(site)}</code></td><td>${esc(f.message)}${snippet}</td></tr>`;
}

function findings(result: RunResult): string {
  const open = result.findings.filter((f) => !f.suppression);
  const out: string[] = ['<section id="findings-section"><h2>Findings</h2>'];
  out.push('<div class="controls"><input id="filter-text" type="search" placeholder="Filter findings" aria-label="Filter findings"><select id="filter-severity" aria-label="Severity"><option value="">all severities</option><option value="error">error</option><option value="warning">warning</option><option value="note">note</option></select><span id="filter-count"></span></div>');
  out.push('<table id="findings"><thead><tr><th class="sortable" data-key="severity">severity</th><th class="sortable" data-key="rule">rule</th><th class="sortable" data-key="service">service</th><th class="sortable" data-key="location">location</th><th class="sortable" data-key="message">message</th></tr></thead><tbody>');
  for (const f of open) out.push(findingRow(f));
  out.push('</tbody></table></section>');
  return out.join('\n');
}

/** Renders the report as one self-contained HTML page (no network, deterministic). */
export function renderHtml(result: RunResult): string {
  const parts = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; script-src \'unsafe-inline\'; img-src data:">',
    '<title>jwtfrag fragmentation report</title>',
    `<style>${CSS}</style></head><body><main>`,
    '<h1>jwtfrag fragmentation report</h1>',
    summary(result),
    matrix(result),
    `<section id="graph"><h2>Service graph</h2><div class="graph-wrap">${renderSvg(result)}</div></section>`,
    inventory(result),
    tableSection('websocket', 'WebSocket endpoints', wsEndpointTable(result)),
    tableSection('provisions', 'Secrets provided by deployments', provisionTable(result)),
    tableSection('imports', 'Service imports', serviceImportTable(result)),
    plan(result),
    findings(result),
  ];
  if (result.notifications.length > 0) {
    const items = result.notifications.map((n) => `<li>${esc(n.level)} <code>${esc(n.id)}</code>${n.file ? ` <code>${esc(n.loc ? siteOf(n.file, n.loc) : n.file)}</code>` : ''}: ${esc(n.message)}</li>`);
    parts.push(`<section id="notifications"><h2>Notifications</h2><details${items.length <= COLLAPSE_AFTER ? ' open' : ''}><summary>${items.length} notifications</summary><ul>${items.join('')}</ul></details></section>`);
  }
  parts.push(`<footer>jwtfrag ${esc(result.tool.version)}, result schema ${result.schemaVersion}</footer>`);
  parts.push(`</main><script>${SCRIPT}</script></body></html>`, '');
  return parts.join('\n');
}
