// Self-contained HTML fragmentation report: what breaks where, the phased plan, heatmap, dagre-laid graph, grouped filterable findings; inline CSS/SVG/JS, no network.
import { sentence } from '../util/safe-text.js';
import type { Finding, Severity } from '../vocabulary.js';
import type { RunResult } from '../summarize/result.js';
import { renderSvg } from './graph.js';
import { siteOf, verdictOf, verdictSymbol, resolves, whyOf } from './markdown.js';
import {
  environmentRank,
  familyStories,
  familyTitle,
  findingGroups,
  heatmap,
  TOLD_BY_STORIES,
  noOpenFindings,
  notAnalysedLabel,
  notAnalysedWarning,
  openFindings,
  phaseLabel,
  planPhases,
  trend,
  type Breakage,
  type FamilyStory,
  type PhaseView,
  type PlanGroup,
} from './story.js';
import { provisionTable, serviceImportTable, wsEndpointTable, type TableData } from './tables.js';

export interface HtmlOptions {
  /** Rule id → title (what the rule finds), shown next to the rule ids. */
  ruleTitles?: Record<string, string>;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Rows shown before a table collapses the rest. */
const SHOW_ROWS = 5;
/** Changes shown per phase before the rest collapse. */
const SHOW_GROUPS = 6;

const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--ok:#2b8a3e;--bad:#c92a2a;--warn:#d9480f;--note:#5c7cfa;--bg:#fff;--soft:#f6f8fa;--accent:#0969da}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1280px;margin:0 auto;padding:0 24px 48px}
header.bar{display:flex;flex-wrap:wrap;gap:4px 16px;align-items:baseline;padding:14px 0 8px;border-bottom:1px solid var(--line)}
h1{font-size:20px;margin:0}
.stats{color:var(--muted)}.stats b{color:var(--fg)}.stats a.unanalysed{color:#7c4a03;font-weight:600}
nav.toc{display:flex;flex-wrap:wrap;gap:2px 12px;width:100%;font-size:13px}nav.toc a{color:var(--accent);text-decoration:none}
h2{font-size:18px;margin:26px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
.card h2{margin-top:0;border:0;padding:0}
h3{font-size:15px;margin:14px 0 4px}
p{margin:6px 0}
code,.mono{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.hero{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:16px;margin-top:14px;align-items:start}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:#fff;min-width:0}
#today{border-left:4px solid var(--bad)}#first{border-left:4px solid var(--accent)}
.headline{font-size:15.5px;font-weight:600;margin:4px 0 8px}
.headline.fine{color:var(--ok)}
.fam{display:inline-block;font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;color:#fff;background:var(--bad);border-radius:3px;padding:0 5px;margin-right:6px;vertical-align:2px}
.headline.fine .fam,.headline.unknown .fam{background:var(--muted)}
.note{color:var(--muted);font-size:12.5px}
.everywhere{margin:8px 0 0;padding-left:18px}.everywhere li{margin:2px 0}
table{border-collapse:collapse;margin:6px 0;width:100%}
th,td{border:1px solid var(--line);padding:4px 7px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
td{overflow-wrap:anywhere}
.scroll{overflow-x:auto;max-width:100%}
table.breaks td:first-child{white-space:nowrap}table.breaks code{overflow-wrap:break-word}table.breaks td{overflow-wrap:break-word}
.phases{list-style:none;padding:0;margin:6px 0;display:grid;gap:4px}
.phases li{display:flex;gap:8px;align-items:baseline;padding:3px 6px;border-radius:4px;background:var(--soft)}
.phases .num{font-weight:700;min-width:5.5em}
.phases .what{flex:1;min-width:0}
.risk{display:inline-block;font-size:11px;font-weight:700;border-radius:3px;padding:0 5px;white-space:nowrap}
.risk-low{background:#d3f9d8;color:#1b5e20}.risk-medium{background:#fff3bf;color:#7c4a03}.risk-high{background:#ffe3e3;color:#a51111}
.firststep{margin:8px 0 0;padding:8px 10px;border:1px dashed var(--accent);border-radius:6px}
.firststep ul{margin:4px 0 0;padding-left:18px}
.canon{margin:6px 0 0;font-size:13px}.canonical{color:var(--ok);font-weight:600}.retire{color:var(--bad)}
table.heat{width:auto}
table.heat th.rule{vertical-align:bottom;padding:6px 4px;white-space:nowrap;cursor:pointer;font-weight:500}
table.heat th.rule span{writing-mode:vertical-rl;transform:rotate(180deg);display:inline-block}
table.heat td{text-align:center;padding:0;min-width:34px}
table.heat td button,table.heat th button{font:inherit;border:0;background:none;cursor:pointer;color:inherit;width:100%;padding:4px 6px}
table.heat td.total{font-weight:600;background:var(--soft)}
table.heat th.svc{white-space:nowrap}
table.heat th.svc button{text-align:left}
th.sev-error,td.sev-error{box-shadow:inset 0 3px 0 var(--bad)}th.sev-warning{box-shadow:inset 0 3px 0 #f59f00}th.sev-note{box-shadow:inset 0 3px 0 var(--note)}
.legend{color:var(--muted);font-size:12px}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;vertical-align:0;margin:0 3px 0 8px}
.phase{margin:14px 0}
.phase > p{color:var(--muted);margin:2px 0 6px}
details{margin:4px 0}
summary{cursor:pointer}
details.change{border:1px solid var(--line);border-radius:6px;padding:4px 8px}
details.change > summary{display:flex;flex-wrap:wrap;gap:2px 8px;align-items:baseline}
details.change > summary .what{font-weight:600;flex:1 1 320px;min-width:0;overflow-wrap:anywhere}
details.change .meta{color:var(--muted);font-size:12.5px}
ul.sites{margin:6px 0 4px;padding-left:18px}ul.sites li{margin:2px 0;overflow-wrap:anywhere}
.edit{color:var(--muted)}
.more{color:var(--accent)}
.graph-wrap{overflow:auto;max-height:80vh;border:1px solid var(--line);border-radius:6px;padding:6px;background:#fff}
svg.graph{display:block}
svg.graph text{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;fill:#1f2328}
svg.graph .col-label{fill:#59636e;font-size:11px}
svg.graph .edge-count rect{fill:#fff;stroke:#868e96}svg.graph .edge-count.forbidden rect{stroke:#c92a2a}svg.graph .edge-count text{font-size:10px}
svg.graph.focus .edge,svg.graph.focus .edge-count{opacity:.08}svg.graph.focus .edge.hot,svg.graph.focus .edge-count.hot{opacity:1}
svg.graph .node{cursor:pointer}
td.agree{background:#ebfbee;color:var(--ok);text-align:center;font-weight:600}td.mismatch{background:#fff5f5;color:var(--bad);text-align:center}td.partial{background:#fff9db;color:#7c4a03;text-align:center}td.unknown{color:var(--muted);text-align:center}
.sev{display:inline-block;font-size:11px;font-weight:700;border-radius:3px;padding:0 5px;color:#fff;min-width:4.6em;text-align:center}
.sev.error{background:var(--bad)}.sev.warning{background:#e67700}.sev.note{background:var(--note)}
.controls{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:6px 0 10px}
.controls input,.controls select,.controls button{font:inherit;padding:3px 6px;max-width:100%}
.controls input{flex:1 1 200px;min-width:0}
#filter-count{color:var(--muted)}
details.rule{border-top:1px solid var(--line);margin:0;padding:4px 0}
details.rule > summary{display:flex;flex-wrap:wrap;gap:2px 8px;align-items:baseline}
details.rule > summary .title{color:var(--muted);flex:1 1 260px;min-width:0}
details.file{margin:2px 0 2px 18px}
details.file > summary{overflow-wrap:anywhere}
.count{color:var(--muted);font-size:12.5px}
ul.findings{list-style:none;margin:2px 0 6px;padding-left:18px}
ul.findings li{margin:4px 0;overflow-wrap:anywhere}
ul.findings .line{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--muted);margin-right:6px}
pre.snippet{margin:3px 0 0;padding:4px 6px;background:var(--soft);border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
svg.trend text{font:11px system-ui,sans-serif;fill:#1f2328}
footer{margin-top:32px;color:var(--muted);font-size:12px}
[hidden]{display:none!important}
@media (max-width:900px){.hero{grid-template-columns:minmax(0,1fr)}main{padding:0 12px 32px}}
@media (max-width:520px){body{font-size:13.5px}.headline{font-size:14.5px}.phases li{flex-wrap:wrap}}
@media print{
  nav.toc,.controls,.no-print{display:none!important}
  main{max-width:none;padding:0}
  .hero{grid-template-columns:1fr}
  .scroll,.graph-wrap{overflow:visible;max-height:none;border:0}
  svg.graph{max-width:100%;height:auto}
  a{color:inherit;text-decoration:none}
  h2{break-after:avoid}
  .card,details.change,table.heat,tr{break-inside:avoid}
  summary{list-style:none}
  table.heat td,table.heat td button,td.agree,td.mismatch,td.partial,.sev,.risk,.fam{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
`;

const SCRIPT = `
(function(){
  var $=function(id){return document.getElementById(id);};
  var all=function(sel,root){return Array.prototype.slice.call((root||document).querySelectorAll(sel));};
  var items=all('li.finding');var rules=all('details.rule');
  var text=$('filter-text'),rule=$('filter-rule'),service=$('filter-service'),sev=$('filter-severity'),count=$('filter-count');
  function apply(){
    var q=text.value.toLowerCase(),r=rule.value,s=service.value,v=sev.value,shown=0;
    items.forEach(function(li){var ok=(!q||li.textContent.toLowerCase().indexOf(q)>=0||(li.getAttribute('data-file')||'').toLowerCase().indexOf(q)>=0)&&(!r||li.getAttribute('data-rule')===r)&&(!s||li.getAttribute('data-service')===s)&&(!v||li.getAttribute('data-severity')===v);li.hidden=!ok;if(ok)shown++;});
    var active=!!(q||r||s||v);
    rules.forEach(function(d){var n=0;all('details.file',d).forEach(function(f){var m=all('li.finding',f).filter(function(li){return !li.hidden;}).length;f.hidden=m===0;f.querySelector('.count').textContent=m;if(active)f.open=m>0&&shown<=40;else f.open=false;n+=m;});
      d.hidden=n===0;d.querySelector('.rule-count').textContent=n;if(active)d.open=n>0;else d.open=false;});
    count.textContent=shown+' of '+items.length+' findings';
  }
  if(text){[text,rule,service,sev].forEach(function(el){el.addEventListener(el===text?'input':'change',apply);});
    $('filter-clear').addEventListener('click',function(){text.value='';rule.value='';service.value='';sev.value='';apply();});
    all('[data-filter-rule],[data-filter-service]').forEach(function(b){b.addEventListener('click',function(){
      rule.value=b.getAttribute('data-filter-rule')||'';service.value=b.getAttribute('data-filter-service')||'';sev.value='';text.value='';apply();
      var t=$('findings');if(t&&t.scrollIntoView)t.scrollIntoView();});});
    apply();}
  var svg=document.querySelector('svg.graph');
  if(svg){all('g.node',svg).forEach(function(n){
    var id=n.getAttribute('data-id');
    var on=function(){svg.classList.add('focus');all('[data-from="'+id+'"],[data-to="'+id+'"]',svg).forEach(function(e){e.classList.add('hot');});};
    var off=function(){svg.classList.remove('focus');all('.hot',svg).forEach(function(e){e.classList.remove('hot');});};
    n.addEventListener('mouseenter',on);n.addEventListener('mouseleave',off);n.addEventListener('focus',on);n.addEventListener('blur',off);});}
  var closed=[];
  window.addEventListener('beforeprint',function(){closed=all('details:not([open])');closed.forEach(function(d){d.open=true;});});
  window.addEventListener('afterprint',function(){closed.forEach(function(d){d.open=false;});closed=[];});
})();
`;

const SEVERITY_RGB: Record<Severity, string> = { error: '201,42,42', warning: '230,119,0', note: '92,124,250' };

function riskBadge(risk: string): string {
  return `<span class="risk risk-${risk}">risk ${risk}</span>`;
}

function counts(result: RunResult): Record<Severity, number> {
  const out: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  for (const f of openFindings(result)) out[f.severity]++;
  return out;
}

function header(result: RunResult, sections: { id: string; title: string }[]): string {
  const services = result.services.filter((s) => s.kind === 'service').length;
  const shared = result.services.filter((s) => s.kind === 'shared').length;
  const c = counts(result);
  const stats = [
    `<b>${services}</b> ${services === 1 ? 'service' : 'services'}${shared > 0 ? ` + <b>${shared}</b> shared` : ''}`,
    `<b>${result.files.scanned}</b> files`,
    `<b>${c.error}</b> errors`,
    `<b>${c.warning}</b> warnings`,
    ...(c.note > 0 ? [`<b>${c.note}</b> notes`] : []),
    ...(notAnalysedLabel(result.files.notAnalysed ?? [])
      ? [`<a class="unanalysed" href="#notifications">⚠ ${esc(notAnalysedLabel(result.files.notAnalysed ?? []))}</a>`]
      : []),
  ];
  const toc = sections.map((s) => `<a href="#${s.id}">${esc(s.title)}</a>`).join('');
  return `<header class="bar"><h1>jwtfrag fragmentation report</h1><div class="stats">${stats.join(' · ')}</div><nav class="toc" aria-label="Sections">${toc}</nav></header>`;
}

function breakageRow(b: Breakage, kind: 'token' | 'service'): string {
  const env = b.environment ?? 'all';
  const who = `${b.verifier.service ?? '(no service)'}${b.verifier.channel === 'websocket' ? ' (WebSocket)' : ''}`;
  const outcome =
    b.kind === 'mismatch' ? (kind === 'service' ? 'calls rejected' : 'tokens rejected') : b.kind === 'unset' ? 'secret unset' : 'literal key wins';
  const verb = kind === 'service' ? ['checks', 'sends'] : ['verifies', 'signs'];
  const names = (list: readonly string[]): string => list.map((n) => `<code>${esc(n)}</code>`).join(', ');
  const why: string[] = [];
  if (b.verifier.name) why.push(`${verb[0]} with <code>${esc(b.verifier.name)}</code>`);
  else
    why.push(
      `reads ${b.verifier.chain
        .filter((t) => !t.startsWith('«') && t !== '?')
        .map((n) => `<code>${esc(n)}</code>`)
        .join(' → ')}`,
    );
  if (b.signer) why.push(`${esc(b.signer.service ?? '(no service)')} ${verb[1]} with <code>${esc(b.signer.name)}</code>`);
  if (b.environment !== null) why.push(`${esc(env)} gives ${b.provided.length > 0 ? names(b.provided) : 'none of them'}`);
  return `<tr><td>${esc(env)}</td><td>${esc(who)}</td><td class="mismatch">${esc(outcome)}</td><td>${why.join(' · ')}</td></tr>`;
}

function everywhere(result: RunResult, titles: Record<string, string>): string {
  const map = heatmap(result);
  const rows = map.rules.filter((r) => r.severity === 'error' && !TOLD_BY_STORIES.has(r.id)).slice(0, 6);
  if (rows.length === 0) return '';
  const items = rows.map((r) => {
    const services = map.services.filter((s) => map.cells.get(s)?.has(r.id));
    const title = titles[r.id] ? ` — ${esc(titles[r.id])}` : '';
    return `<li><b>${r.count}</b> × <a href="#rule-${esc(r.id)}"><code>${esc(r.id)}</code></a>${title} <span class="note">(${esc(services.slice(0, 4).join(', '))}${services.length > 4 ? ` and ${services.length - 4} more` : ''})</span></li>`;
  });
  return `<p class="note" style="margin-top:10px">Also broken in every environment:</p><ul class="everywhere">${items.join('')}</ul>`;
}

function today(result: RunResult, stories: FamilyStory[], titles: Record<string, string>): string {
  const out: string[] = ['<section id="today" class="card"><h2>What breaks today</h2>'];
  const warning = notAnalysedWarning(result);
  if (warning) out.push(`<p class="headline unknown"><span class="fam">⚠</span>${esc(sentence(warning))}</p>`);
  if (stories.length === 0)
    out.push('<p class="headline fine">No secret family was found: nothing signs or verifies tokens with a key from the environment.</p>');
  for (const story of stories) {
    const [label, ...rest] = story.headline.split(' — ');
    const cls = story.breakages.length > 0 ? '' : /cannot tell|could not be traced|nothing is known/.test(story.headline) ? ' unknown' : ' fine';
    out.push(`<p class="headline${cls}"><span class="fam">${esc(label)}</span>${esc(rest.join(' — '))}.</p>`);
  }
  const rows = stories.flatMap((s) => s.breakages.map((b) => ({ b, kind: s.kind })));
  if (rows.length > 0) {
    rows.sort((x, y) => environmentRank(x.b.environment) - environmentRank(y.b.environment));
    const head = '<thead><tr><th>env</th><th>service</th><th>outcome</th><th>why</th></tr></thead>';
    const body = rows.map((r) => breakageRow(r.b, r.kind));
    out.push(`<div class="scroll"><table class="breaks">${head}<tbody>${body.slice(0, SHOW_ROWS).join('')}</tbody></table></div>`);
    if (body.length > SHOW_ROWS)
      out.push(
        `<details><summary class="more">${body.length - SHOW_ROWS} more</summary><div class="scroll"><table class="breaks">${head}<tbody>${body.slice(SHOW_ROWS).join('')}</tbody></table></div></details>`,
      );
    out.push('<p class="note">Two different variable names are two secrets unless someone set both to the same value by hand.</p>');
  }
  out.push(everywhere(result, titles));
  out.push('</section>');
  return out.join('\n');
}

function siteLine(site: PlanGroup['sites'][number]): string {
  const where = [site.service, site.environment].filter((x): x is string => Boolean(x)).join(', ');
  const edit = site.edit
    ? ` <span class="edit">— edit #${site.edit.id}: replace with <code>${esc(site.edit.replacement)}</code></span>`
    : site.kind === 'manual'
      ? ' <span class="edit">— by hand</span>'
      : '';
  return `<li><code>${esc(siteOf(site.file, site.loc))}</code>${where ? ` <span class="note">(${esc(where)})</span>` : ''}${edit}</li>`;
}

function groupMeta(group: PlanGroup): string {
  const files = new Set(group.sites.map((s) => s.file)).size;
  const services = group.services.length > 4 ? `${group.services.slice(0, 4).join(', ')} and ${group.services.length - 4} more` : group.services.join(', ');
  return `${plural(group.sites.length, 'site')} in ${plural(files, 'file')} · ${services}${group.manual ? ' · by hand' : ''}`;
}

function firstStep(result: RunResult, phases: PhaseView[]): string {
  const out: string[] = ['<section id="first" class="card"><h2>What to change first</h2>'];
  const plan = result.plan;
  for (const f of plan?.families ?? []) {
    out.push(
      `<p class="canon"><b>${esc(familyTitle(f.family))}:</b> ${f.canonical ? `converge on <code class="canonical">${esc(f.canonical)}</code>` : 'choose a canonical name'}. ${esc(sentence(f.why))}</p>`,
    );
  }
  if (phases.length === 0) {
    out.push('<p>Nothing to change.</p></section>');
    return out.join('\n');
  }
  out.push('<ol class="phases">');
  for (const p of phases) {
    out.push(
      `<li><span class="num"><a href="#phase-${p.phase ?? 'b'}">${esc(phaseLabel(p.phase))}</a></span><span class="what">${esc(p.title)} · ${plural(p.groups.length, 'change')}, ${plural(p.steps, 'site')}</span>${riskBadge(p.risk)}</li>`,
    );
  }
  out.push('</ol>');
  const first = phases[0];
  const group = first.groups[0];
  const sites = group.sites.slice(0, 3).map(siteLine).join('');
  out.push(
    `<div class="firststep"><b>Start with:</b> ${esc(group.change)} <span class="note">(${esc(phaseLabel(first.phase))}, ${esc(groupMeta(group))})</span><ul class="sites">${sites}${group.sites.length > 3 ? `<li><a class="more" href="#phase-${first.phase ?? 'b'}">${group.sites.length - 3} more sites</a></li>` : ''}</ul></div>`,
  );
  out.push('</section>');
  return out.join('\n');
}

function heatSection(result: RunResult, titles: Record<string, string>): string {
  const map = heatmap(result);
  const out: string[] = ['<section id="heatmap"><h2>Findings by service and rule</h2>'];
  if (map.rules.length === 0) return `${out[0]}<p>${esc(noOpenFindings(result))}</p></section>`;
  out.push(
    '<p class="legend">Counts of open findings; colour by severity, darker for more. Click a cell, a service or a rule to list those findings.<span class="swatch" style="background:rgb(201,42,42)"></span>error<span class="swatch" style="background:rgb(230,119,0)"></span>warning<span class="swatch" style="background:rgb(92,124,250)"></span>note</p>',
  );
  const head = map.rules
    .map(
      (r) =>
        `<th class="rule sev-${r.severity}" scope="col" data-filter-rule="${esc(r.id)}" tabindex="0" role="button" title="${esc(titles[r.id] ?? r.id)}"><span>${esc(r.id)}</span></th>`,
    )
    .join('');
  const rows: string[] = [];
  for (const service of map.services) {
    const row = map.cells.get(service);
    let total = 0;
    const cells = map.rules.map((r) => {
      const cell = row?.get(r.id);
      if (!cell) return '<td></td>';
      total += cell.count;
      const alpha = 0.18 + 0.82 * (Math.log(cell.count + 1) / Math.log(map.max + 1));
      const style = `background:rgba(${SEVERITY_RGB[cell.severity]},${alpha.toFixed(2)})${alpha > 0.55 ? ';color:#fff' : ''}`;
      return `<td style="${style}"><button type="button" data-filter-rule="${esc(r.id)}" data-filter-service="${esc(service)}" title="${esc(`${service} · ${r.id}: ${cell.count} ${cell.severity}`)}">${cell.count}</button></td>`;
    });
    rows.push(
      `<tr><th class="svc" scope="row"><button type="button" data-filter-service="${esc(service)}">${esc(service)}</button></th>${cells.join('')}<td class="total">${total}</td></tr>`,
    );
  }
  const totals = map.rules.map((r) => `<td class="total">${r.count}</td>`).join('');
  out.push(
    `<div class="scroll"><table class="heat"><thead><tr><th>service</th>${head}<th>total</th></tr></thead><tbody>${rows.join('')}<tr><th>total</th>${totals}<td class="total">${openFindings(result).length}</td></tr></tbody></table></div></section>`,
  );
  return out.join('\n');
}

function planSection(result: RunResult, phases: PhaseView[]): string {
  const out: string[] = ['<section id="plan"><h2>Migration plan</h2>'];
  const plan = result.plan;
  if (!plan) return `${out[0]}<p>No plan in this result.</p></section>`;
  for (const f of plan.families) {
    if (f.retire.length === 0) continue;
    out.push(
      `<p><b>${esc(familyTitle(f.family))}:</b> ${f.canonical ? `converge on <code class="canonical">${esc(f.canonical)}</code>; ` : ''}retire ${f.retire.map((n) => `<code class="retire">${esc(n)}</code>`).join(', ')}.</p>`,
    );
  }
  if (phases.length === 0) out.push('<p>Nothing to change.</p>');
  const edits = plan.edits.length;
  if (phases.length > 0)
    out.push(
      `<p class="note">Each change is one edit, made at every site listed under it. ${plural(edits, 'site has', 'sites have')} a precise code edit (<code>jwtfrag scan --fix-dry-run</code> shows them as a diff).</p>`,
    );
  for (const p of phases) {
    out.push(`<div class="phase" id="phase-${p.phase ?? 'b'}"><h3>${esc(phaseLabel(p.phase))}: ${esc(p.title)} ${riskBadge(p.risk)}</h3><p>${esc(p.goal)}</p>`);
    const groups = p.groups.map(
      (g) =>
        `<details class="change"><summary><span class="what">${esc(g.change)}</span>${riskBadge(g.risk)}<span class="meta">${esc(groupMeta(g))}</span></summary><ul class="sites">${g.sites.map(siteLine).join('')}</ul></details>`,
    );
    out.push(groups.slice(0, SHOW_GROUPS).join(''));
    if (groups.length > SHOW_GROUPS)
      out.push(
        `<details><summary class="more">${groups.length - SHOW_GROUPS} more changes in this phase</summary>${groups.slice(SHOW_GROUPS).join('')}</details>`,
      );
    out.push('</div>');
  }
  out.push('</section>');
  return out.join('\n');
}

function graphSection(result: RunResult): string {
  const imports = result.serviceImports ?? [];
  const forbidden = imports.filter((e) => e.forbidden).length;
  const note = `${plural(result.services.length, 'service')} and libraries, ${plural(imports.length, 'import edge')} (${forbidden} forbidden), ${plural(result.inventory.length, 'secret name')}.`;
  return `<section id="graph"><h2>Service graph</h2><p class="legend">${esc(note)} Secret names on the left (green: canonical, red: to retire); arrows are imports aggregated per service pair with their count (red dashed: forbidden). Hover or focus a box to follow its edges.</p><div class="graph-wrap">${renderSvg(result)}</div></section>`;
}

function matrixSection(result: RunResult): string {
  const m = result.matrix;
  const out: string[] = ['<section id="matrix"><h2>Cross-validation matrix</h2>'];
  if (!m || m.pairs === 0) return `${out[0]}<p>No component both signs and verifies with a traceable key.</p></section>`;
  const unknown = m.cells.filter((c) => c.verdict === 'unknown').length;
  out.push(
    `<details${m.pairs <= 12 ? ' open' : ''}><summary><b>${m.agree} of ${m.pairs}</b> signer × verifier pairs agree${unknown > 0 ? `, ${unknown} unknown` : ''}. Rows verify, columns sign (✓ same secret, ◐ only some paths, ✗ different, ? unknown).</summary>`,
  );
  out.push('<div class="scroll"><table class="matrix"><thead><tr><th>verifier ↓ · signer →</th><th>resolves</th>');
  for (const s of m.signers) out.push(`<th>${esc(s.id)}<br><code>${esc(s.primaries.join(', '))}</code></th>`);
  out.push('</tr></thead><tbody>');
  for (const v of m.verifiers) {
    out.push(`<tr><th>${esc(v.id)}</th><td><code>${esc(resolves(v))}</code></td>`);
    for (const s of m.signers) {
      const verdict = verdictOf(m, s, v);
      const why = whyOf(m, s, v) ?? `${v.primaries.join(', ')} vs ${s.primaries.join(', ')}`;
      out.push(
        `<td class="${verdict}" title="${esc(why)}">${verdictSymbol(verdict)}${verdict === 'agree' ? '' : ` <span class="mono">${esc(why)}</span>`}</td>`,
      );
    }
    out.push('</tr>');
  }
  out.push('</tbody></table></div>');
  out.push('<details><summary>Operations behind the matrix</summary><ul>');
  const seen = new Set<string>();
  for (const c of [...m.signers, ...m.verifiers]) {
    for (const op of c.ops) {
      const line = `${c.id}: ${op.op} at ${siteOf(op.file, op.loc)} → ${op.chain.join(' → ')}`;
      if (!seen.has(line)) out.push(`<li class="mono">${esc(line)}</li>`);
      seen.add(line);
    }
  }
  out.push('</ul></details></details></section>');
  return out.join('\n');
}

function tableSection(id: string, title: string, table: TableData | null, summary: string): string {
  if (!table) return '';
  const head = `<tr>${table.headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const body = table.rows.map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('');
  const grid = `<div class="scroll"><table><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
  return `<section id="${id}"><h2>${esc(title)}</h2><details${table.rows.length <= SHOW_ROWS ? ' open' : ''}><summary>${esc(summary)}</summary>${grid}</details></section>`;
}

function inventorySection(result: RunResult): string {
  const out: string[] = ['<section id="inventory"><h2>Inventory</h2>'];
  if (result.inventory.length === 0) return `${out[0]}<p>No secret-family name is read anywhere.</p></section>`;
  const sites = result.inventory.reduce((n, e) => n + e.reads.length, 0);
  out.push(
    `<details${result.inventory.length <= SHOW_ROWS ? ' open' : ''}><summary>${plural(result.inventory.length, 'secret name')}, ${plural(sites, 'read site')}</summary>`,
  );
  out.push(
    '<div class="scroll"><table><thead><tr><th>name</th><th>family</th><th>status</th><th>services</th><th>roles</th><th>read sites</th></tr></thead><tbody>',
  );
  for (const e of result.inventory) {
    const status = e.canonical ? '<span class="canonical">canonical</span>' : `<span class="retire">${e.dynamic ? 'replace' : 'retire'}</span>`;
    const reads = e.reads.map((r) => {
      const extra = [r.accessor, ...(r.chain ? [`chain ${r.chain.join(' → ')}`] : []), ...(r.hasDefault ? ['has a default'] : [])];
      return `<li><code>${esc(siteOf(r.file, r.loc))}</code> ${esc(extra.join('; '))}</li>`;
    });
    const list = `<details><summary>${plural(reads.length, 'site')}</summary><ul>${reads.join('')}</ul></details>`;
    out.push(
      `<tr><td><code>${esc(e.name)}</code>${e.dynamic ? ' (dynamic)' : ''}</td><td>${esc(e.family)}</td><td>${status}</td><td>${esc(e.services.join(', ') || '—')}</td><td>${esc(e.roles.join(', ') || '—')}</td><td>${list}</td></tr>`,
    );
  }
  out.push('</tbody></table></div></details></section>');
  return out.join('\n');
}

function findingItem(f: Finding): string {
  const snippet = f.snippet !== undefined ? `<pre class="snippet">${esc(f.snippet)}</pre>` : '';
  return `<li class="finding" data-rule="${esc(f.ruleId)}" data-service="${esc(f.service ?? '(no service)')}" data-severity="${f.severity}" data-file="${esc(f.file)}"><span class="line">:${f.loc.line}</span>${f.severity !== 'error' ? `<span class="sev ${f.severity}">${f.severity}</span> ` : ''}${esc(f.message)}${snippet}</li>`;
}

function findingsSection(result: RunResult, titles: Record<string, string>): string {
  const groups = findingGroups(result);
  const open = openFindings(result);
  const out: string[] = ['<section id="findings"><h2>Findings</h2>'];
  if (open.length === 0) return `${out[0]}<p>${esc(noOpenFindings(result))}</p></section>`;
  const services = [...new Set(open.map((f) => f.service ?? '(no service)'))].sort();
  const option = (value: string): string => `<option value="${esc(value)}">${esc(value)}</option>`;
  out.push(
    `<div class="controls"><input id="filter-text" type="search" placeholder="Search messages and paths" aria-label="Search findings"><select id="filter-rule" aria-label="Rule"><option value="">all rules</option>${groups.map((g) => option(g.rule)).join('')}</select><select id="filter-service" aria-label="Service"><option value="">all services</option>${services.map(option).join('')}</select><select id="filter-severity" aria-label="Severity"><option value="">all severities</option>${['error', 'warning', 'note'].map(option).join('')}</select><button type="button" id="filter-clear">clear</button><span id="filter-count">${open.length} of ${open.length} findings</span></div>`,
  );
  for (const g of groups) {
    const files = g.files.map(
      (file) =>
        `<details class="file"><summary><code>${esc(file.file)}</code> <span class="count">${file.findings.length}</span></summary><ul class="findings">${file.findings.map(findingItem).join('')}</ul></details>`,
    );
    const title = titles[g.rule] ? `<span class="title">${esc(titles[g.rule])}</span>` : '';
    out.push(
      `<details class="rule" id="rule-${esc(g.rule)}" data-rule="${esc(g.rule)}"><summary><span class="sev ${g.severity}">${g.severity}</span><code>${esc(g.rule)}</code><span class="count"><span class="rule-count">${g.count}</span> in ${plural(g.files.length, 'file')}</span>${title}</summary>${files.join('')}</details>`,
    );
  }
  out.push('</section>');
  return out.join('\n');
}

function trendSection(result: RunResult): string {
  const delta = result.delta;
  if (!delta) return '';
  const rows = trend(result);
  const max = Math.max(1, ...rows.map((r) => Math.max(r.before, r.after)));
  const labelW = 230;
  const barW = 300;
  const rowH = 20;
  const width = labelW + barW + 90;
  const height = rows.length * rowH + 30;
  const x = (n: number): number => labelW + Math.round((n / max) * barW);
  const svg: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="trend" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Findings by rule before and after">`,
  ];
  svg.push(`<text x="${labelW}" y="12" fill="#59636e">○ ${esc(delta.since)}  ● now</text>`);
  rows.forEach((r, i) => {
    const y = 26 + i * rowH;
    const color = r.after < r.before ? '#2b8a3e' : r.after > r.before ? '#c92a2a' : '#868e96';
    svg.push(
      `<text x="${labelW - 8}" y="${y + 4}" text-anchor="end">${esc(r.rule)}</text><line x1="${x(r.before)}" y1="${y}" x2="${x(r.after)}" y2="${y}" stroke="${color}" stroke-width="3"/><circle cx="${x(r.before)}" cy="${y}" r="4.5" fill="#fff" stroke="#868e96" stroke-width="1.5"/><circle cx="${x(r.after)}" cy="${y}" r="4.5" fill="${color}"/><text x="${Math.max(x(r.before), x(r.after)) + 10}" y="${y + 4}">${r.before} → ${r.after}</text>`,
    );
  });
  svg.push('</svg>');
  const f = delta.findings;
  const matrix = delta.matrix
    ? `; signer × verifier pairs agreeing ${delta.matrix.before.agree} of ${delta.matrix.before.pairs} → ${delta.matrix.after.agree} of ${delta.matrix.after.pairs}`
    : '';
  const names = delta.families
    .filter((d) => d.added.length + d.removed.length > 0)
    .map(
      (d) =>
        `${familyTitle(d.family)}: ${d.removed.length > 0 ? `removed ${d.removed.join(', ')}` : ''}${d.removed.length > 0 && d.added.length > 0 ? '; ' : ''}${d.added.length > 0 ? `added ${d.added.join(', ')}` : ''}`,
    );
  return `<section id="progress"><h2>Progress since ${esc(delta.since)}</h2><p>Findings ${f.before} → ${f.after} (${f.fixed.length} fixed, ${f.new.length} new)${esc(matrix)}.${names.length > 0 ? ` ${esc(names.join('. '))}.` : ''}</p><div class="scroll">${svg.join('')}</div></section>`;
}

/** Renders the report as one self-contained HTML page (no network, deterministic). */
export function renderHtml(result: RunResult, options: HtmlOptions = {}): string {
  const titles = options.ruleTitles ?? {};
  const stories = familyStories(result);
  const phases = planPhases(result);
  const sections: { id: string; title: string; html: string }[] = [
    { id: 'progress', title: 'Progress', html: trendSection(result) },
    { id: 'heatmap', title: 'Heatmap', html: heatSection(result, titles) },
    { id: 'plan', title: 'Plan', html: planSection(result, phases) },
    { id: 'graph', title: 'Graph', html: graphSection(result) },
    { id: 'matrix', title: 'Matrix', html: matrixSection(result) },
    { id: 'inventory', title: 'Inventory', html: inventorySection(result) },
    {
      id: 'websocket',
      title: 'WebSockets',
      html: tableSection('websocket', 'WebSocket endpoints', wsEndpointTable(result), plural(result.wsEndpoints?.length ?? 0, 'endpoint')),
    },
    {
      id: 'provisions',
      title: 'Deployments',
      html: tableSection(
        'provisions',
        'Secrets provided by deployments',
        provisionTable(result),
        `${plural(provisionTable(result)?.rows.length ?? 0, 'row')}: service × environment × name`,
      ),
    },
    {
      id: 'imports',
      title: 'Imports',
      html: tableSection('imports', 'Service imports', serviceImportTable(result), plural(result.serviceImports?.length ?? 0, 'service pair')),
    },
    { id: 'findings', title: 'Findings', html: findingsSection(result, titles) },
  ];
  if (result.notifications.length > 0) {
    const items = result.notifications.map(
      (n) =>
        `<li>${esc(n.level)} <code>${esc(n.id)}</code>${n.file ? ` <code>${esc(n.loc ? siteOf(n.file, n.loc) : n.file)}</code>` : ''}: ${esc(n.message)}</li>`,
    );
    sections.push({
      id: 'notifications',
      title: 'Notifications',
      html: `<section id="notifications"><h2>Notifications</h2><details${items.length <= SHOW_ROWS ? ' open' : ''}><summary>${plural(items.length, 'notification')}</summary><ul>${items.join('')}</ul></details></section>`,
    });
  }
  const present = sections.filter((s) => s.html !== '');
  const parts = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">",
    '<title>jwtfrag fragmentation report</title>',
    `<style>${CSS}</style></head><body><main>`,
    header(result, [{ id: 'today', title: 'What breaks' }, { id: 'first', title: 'Change first' }, ...present.map((s) => ({ id: s.id, title: s.title }))]),
    `<div class="hero">${today(result, stories, titles)}${firstStep(result, phases)}</div>`,
    ...present.map((s) => s.html),
    `<footer>jwtfrag ${esc(result.tool.version)}, result schema ${result.schemaVersion}</footer>`,
    `</main><script>${SCRIPT}</script></body></html>`,
    '',
  ];
  return parts.join('\n');
}
