// The service graph of the report: services, secret names and import edges aggregated per pair, as Mermaid and as inline SVG laid out by dagre.
import dagre from '@dagrejs/dagre';
import type { RunResult } from '../summarize/result.js';
import { compareText } from '../util/order.js';

interface GraphNode {
  id: string;
  label: string;
  kind: 'service' | 'shared' | 'name';
  canonical: boolean;
  /** For names: the family. */
  family?: string;
}

interface GraphEdge {
  from: string;
  to: string;
  label: string;
  kind: 'reads' | 'import';
  /** For reads: the name is not the canonical one; for imports: a boundary rule reported it. */
  bad: boolean;
  /** Import statements or read sites behind the edge. */
  count: number;
}

interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

function nodeId(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The graph's nodes and edges: one edge per service pair (imports) and per service and name (reads), with counts. */
function buildGraph(result: RunResult): Graph {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const kindOf = new Map(result.services.map((s) => [s.name, s.kind]));
  const serviceNode = (name: string): string => {
    const id = nodeId('svc', name);
    if (!nodes.has(id)) nodes.set(id, { id, label: name, kind: kindOf.get(name) === 'shared' ? 'shared' : 'service', canonical: false });
    return id;
  };
  for (const service of result.services) serviceNode(service.name);
  for (const entry of result.inventory) {
    const id = nodeId('env', `${entry.family}_${entry.name}`);
    nodes.set(id, { id, label: entry.name, kind: 'name', canonical: entry.canonical, family: entry.family });
    for (const service of entry.services) {
      const roles = new Set<string>();
      let count = 0;
      for (const read of entry.reads) {
        if (read.service !== service) continue;
        count++;
        for (const role of read.roles) roles.add(role);
      }
      const label = roles.size > 0 ? [...roles].sort().join('+') : 'reads';
      edges.push({ from: serviceNode(service), to: id, label, kind: 'reads', bad: !entry.canonical, count });
    }
  }
  const pairs = new Map<string, GraphEdge>();
  for (const edge of result.serviceImports ?? []) {
    if (edge.from === edge.to) continue;
    const from = serviceNode(edge.from);
    const to = serviceNode(edge.to);
    const key = `${from}\u0000${to}`;
    const known = pairs.get(key);
    if (known) {
      known.count += edge.count;
      known.bad ||= edge.forbidden;
      known.label = plural(known.count, 'import');
      continue;
    }
    const e: GraphEdge = { from, to, label: plural(edge.count, 'import'), kind: 'import', bad: edge.forbidden, count: edge.count };
    pairs.set(key, e);
    edges.push(e);
  }
  const sortedNodes = [...nodes.values()].sort(
    (a, b) => Number(a.kind === 'name') - Number(b.kind === 'name') || compareText(a.label, b.label) || compareText(a.id, b.id),
  );
  return { nodes: sortedNodes, edges };
}

/** A label inside Mermaid quotes: quotes and angle brackets as Mermaid entity codes. */
function mermaidLabel(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\[/g, '#91;').replace(/\]/g, '#93;').replace(/\|/g, '#124;');
}

/** A Mermaid flowchart of the graph (GitHub renders it in Markdown): one edge per service pair, with counts. */
export function renderMermaid(result: RunResult): string {
  const graph = buildGraph(result);
  const lines = ['flowchart LR'];
  for (const node of graph.nodes) {
    const label = mermaidLabel(node.label);
    if (node.kind === 'name') lines.push(`  ${node.id}{{"${label}"}}`);
    else if (node.kind === 'shared') lines.push(`  ${node.id}[("${label}")]`);
    else lines.push(`  ${node.id}["${label}"]`);
  }
  const badLinks: number[] = [];
  const importLinks: number[] = [];
  graph.edges.forEach((edge, index) => {
    const arrow = edge.kind === 'import' ? '-.->' : '-->';
    const label = edge.kind === 'reads' && edge.count > 1 ? `${edge.label} ×${edge.count}` : edge.label;
    lines.push(`  ${edge.from} ${arrow}|${mermaidLabel(label)}| ${edge.to}`);
    if (edge.bad) badLinks.push(index);
    else if (edge.kind === 'import') importLinks.push(index);
  });
  lines.push('  classDef canonical fill:#d3f9d8,stroke:#2b8a3e,color:#111');
  lines.push('  classDef retired fill:#ffe3e3,stroke:#c92a2a,color:#111');
  lines.push('  classDef shared fill:#f1f3f5,stroke:#868e96,color:#111');
  const canonical = graph.nodes.filter((n) => n.kind === 'name' && n.canonical).map((n) => n.id);
  const retired = graph.nodes.filter((n) => n.kind === 'name' && !n.canonical).map((n) => n.id);
  const shared = graph.nodes.filter((n) => n.kind === 'shared').map((n) => n.id);
  if (canonical.length > 0) lines.push(`  class ${canonical.join(',')} canonical`);
  if (retired.length > 0) lines.push(`  class ${retired.join(',')} retired`);
  if (shared.length > 0) lines.push(`  class ${shared.join(',')} shared`);
  if (badLinks.length > 0) lines.push(`  linkStyle ${badLinks.join(',')} stroke:#c92a2a,stroke-width:2px`);
  if (importLinks.length > 0) lines.push(`  linkStyle ${importLinks.join(',')} stroke:#868e96`);
  return lines.join('\n');
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const NODE_H = 26;
const CHAR_W = 7.3;
const MAX_LABEL = 34;
const COLUMN_GAP = 120;

interface Point {
  x: number;
  y: number;
}

function shortLabel(label: string): string {
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
}

function widthOf(label: string): number {
  return Math.round(shortLabel(label).length * CHAR_W + 22);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** A smooth path through the points: straight start and end, quadratic curves at the bends. */
function smoothPath(points: readonly Point[]): string {
  if (points.length === 0) return '';
  let d = `M${round(points[0].x)},${round(points[0].y)}`;
  if (points.length === 2) return `${d} L${round(points[1].x)},${round(points[1].y)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i];
    const next = points[i + 1];
    const mid = i === points.length - 2 ? next : { x: (p.x + next.x) / 2, y: (p.y + next.y) / 2 };
    d += ` Q${round(p.x)},${round(p.y)} ${round(mid.x)},${round(mid.y)}`;
  }
  return d;
}

/** A cubic curve from the right side of one box to the left side of another. */
function sideCurve(a: Point, b: Point): string {
  const dx = Math.max(40, (b.x - a.x) / 2);
  return `M${round(a.x)},${round(a.y)} C${round(a.x + dx)},${round(a.y)} ${round(b.x - dx)},${round(b.y)} ${round(b.x)},${round(b.y)}`;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * An inline SVG of the graph, laid out by dagre (layered, left to right): the secret names as a
 * column of their own on the left (canonical green, names to retire red), ordered to follow the
 * services that read them; services and shared libraries in the layers their imports give them,
 * one edge per service pair labelled with its count (forbidden ones red and dashed).
 */
export function renderSvg(result: RunResult): string {
  const graph = buildGraph(result);
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 12, ranksep: 70, edgesep: 10, marginx: 12, marginy: 34 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { width: widthOf(node.label), height: NODE_H });
  for (const edge of graph.edges) {
    if (edge.kind === 'import') g.setEdge(edge.from, edge.to, { width: String(edge.count).length * 7 + 10, height: 14, labelpos: 'c', weight: 2 });
    else g.setEdge(edge.to, edge.from, { weight: 1 });
  }
  dagre.layout(g);
  const box = new Map<string, Box>();
  for (const node of graph.nodes) {
    const n = g.node(node.id);
    box.set(node.id, { x: (n.x ?? 0) - n.width / 2, y: (n.y ?? 0) - n.height / 2, w: n.width, h: n.height });
  }
  // The names become one column left of every service, in the order dagre gave them, without overlaps.
  const names = graph.nodes.filter((n) => n.kind === 'name');
  const others = graph.nodes.filter((n) => n.kind !== 'name');
  const nameWidth = Math.max(0, ...names.map((n) => widthOf(n.label)));
  let left = Infinity;
  for (const n of others) left = Math.min(left, (box.get(n.id) as Box).x);
  if (!Number.isFinite(left)) left = 12;
  const column = left - COLUMN_GAP - nameWidth;
  const byY = [...names].sort((a, b) => (box.get(a.id) as Box).y - (box.get(b.id) as Box).y || compareText(a.label, b.label));
  let nextY = 34;
  for (const n of byY) {
    const b = box.get(n.id) as Box;
    const y = Math.max(b.y, nextY);
    box.set(n.id, { x: column, y, w: nameWidth, h: NODE_H });
    nextY = y + NODE_H + 8;
  }
  let minX = Infinity;
  for (const b of box.values()) minX = Math.min(minX, b.x);
  const shift = Number.isFinite(minX) ? 12 - minX : 0;
  for (const b of box.values()) b.x += shift;
  const offset = { x: shift, y: 0 };
  let width = 0;
  let height = 0;
  for (const b of box.values()) {
    width = Math.max(width, b.x + b.w + 12);
    height = Math.max(height, b.y + b.h + 12);
  }
  width = Math.ceil(Math.max(width, 320));
  height = Math.ceil(height + 4);
  const labelOf = new Map(graph.nodes.map((n) => [n.id, n.label]));
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="graph" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Services, their imports and the secret names they read">`,
  );
  out.push(
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#495057"/></marker><marker id="arrow-bad" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#c92a2a"/></marker></defs>',
  );
  if (names.length > 0) out.push(`<text x="12" y="18" class="col-label">secret names</text>`);
  if (others.length > 0) out.push(`<text x="${round(left + shift)}" y="18" class="col-label">services and shared libraries (arrows: imports)</text>`);
  const labels: string[] = [];
  for (const edge of graph.edges) {
    const a = box.get(edge.from);
    const b = box.get(edge.to);
    if (!a || !b) continue;
    const title = `<title>${esc(`${labelOf.get(edge.from) ?? ''} → ${labelOf.get(edge.to) ?? ''}: ${edge.label}${edge.kind === 'reads' ? ` (${plural(edge.count, 'read site')})` : ''}${edge.bad && edge.kind === 'import' ? ' — forbidden' : ''}`)}</title>`;
    const data = `data-from="${edge.from}" data-to="${edge.to}"`;
    if (edge.kind === 'reads') {
      const color = edge.bad ? '#e03131' : '#2b8a3e';
      const d = sideCurve({ x: b.x + b.w, y: b.y + b.h / 2 }, { x: a.x, y: a.y + a.h / 2 });
      out.push(
        `<path class="edge reads${edge.bad ? ' retire' : ''}" ${data} d="${d}" stroke="${color}" stroke-width="${edge.bad ? 1.6 : 1.1}" fill="none" opacity="${edge.bad ? 0.9 : 0.45}">${title}</path>`,
      );
      continue;
    }
    const points = (g.edge(edge.from, edge.to)?.points ?? []).map((p: Point) => ({ x: p.x + offset.x, y: p.y + offset.y }));
    const d = points.length >= 2 ? smoothPath(points) : sideCurve({ x: a.x + a.w, y: a.y + a.h / 2 }, { x: b.x, y: b.y + b.h / 2 });
    const stroke = edge.bad ? '#c92a2a' : '#868e96';
    const widthPx = round(Math.min(4, 1.2 + Math.log10(edge.count + 1)));
    out.push(
      `<path class="edge import${edge.bad ? ' forbidden' : ''}" ${data} d="${d}" stroke="${stroke}" stroke-width="${edge.bad ? Math.max(2.2, widthPx) : widthPx}"${edge.bad ? ' stroke-dasharray="6 4"' : ''} fill="none" marker-end="url(#${edge.bad ? 'arrow-bad' : 'arrow'})">${title}</path>`,
    );
    const label = g.edge(edge.from, edge.to);
    if (label?.x !== undefined && label.y !== undefined && (edge.count > 1 || edge.bad)) {
      const text = String(edge.count);
      const w = text.length * 7 + 8;
      const x = label.x + offset.x;
      labels.push(
        `<g class="edge-count${edge.bad ? ' forbidden' : ''}" ${data}><rect x="${round(x - w / 2)}" y="${round(label.y - 8)}" width="${w}" height="16" rx="8"/><text x="${round(x)}" y="${round(label.y + 4)}" text-anchor="middle">${text}</text></g>`,
      );
    }
  }
  out.push(...labels);
  for (const node of graph.nodes) {
    const b = box.get(node.id);
    if (!b) continue;
    const fill = node.kind === 'name' ? (node.canonical ? '#d3f9d8' : '#ffe3e3') : node.kind === 'shared' ? '#f1f3f5' : '#e7f5ff';
    const stroke = node.kind === 'name' ? (node.canonical ? '#2b8a3e' : '#c92a2a') : node.kind === 'shared' ? '#868e96' : '#1c7ed6';
    const rx = node.kind === 'name' ? 13 : 4;
    const title =
      node.label.length > MAX_LABEL || node.family
        ? `<title>${esc(node.label)}${node.family ? ` (${esc(node.family)} family${node.canonical ? ', canonical' : ', to retire'})` : ''}</title>`
        : '';
    out.push(
      `<g class="node ${node.kind}" data-id="${node.id}" tabindex="0">${title}<rect x="${round(b.x)}" y="${round(b.y)}" width="${round(b.w)}" height="${b.h}" rx="${rx}" fill="${fill}" stroke="${stroke}"/><text x="${round(b.x + b.w / 2)}" y="${round(b.y + 17)}" text-anchor="middle">${esc(shortLabel(node.label))}</text></g>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}
