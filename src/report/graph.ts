// The service graph of the report: services, secret names and import edges, as Mermaid and as inline SVG.
import type { RunResult } from '../result.js';
import { compareText } from '../util/order.js';

export interface GraphNode {
  id: string;
  label: string;
  kind: 'service' | 'shared' | 'name';
  canonical: boolean;
}

export interface GraphEdge {
  from: string;
  to: string;
  label: string;
  kind: 'reads' | 'import';
  /** For reads: the name is not the canonical one; for imports: a boundary rule reported it. */
  bad: boolean;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

function nodeId(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** The graph's nodes and edges, derived from the inventory and the cross-service import edges. */
export function buildGraph(result: RunResult): Graph {
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
    nodes.set(id, { id, label: entry.name, kind: 'name', canonical: entry.canonical });
    for (const service of entry.services) {
      const roles = new Set<string>();
      for (const read of entry.reads) if (read.service === service) for (const role of read.roles) roles.add(role);
      const label = roles.size > 0 ? [...roles].sort().join('+') : 'reads';
      edges.push({ from: serviceNode(service), to: id, label, kind: 'reads', bad: !entry.canonical });
    }
  }
  for (const edge of result.serviceImports ?? []) {
    edges.push({
      from: serviceNode(edge.from),
      to: serviceNode(edge.to),
      label: `${edge.count} import${edge.count === 1 ? '' : 's'}`,
      kind: 'import',
      bad: edge.forbidden,
    });
  }
  const sortedNodes = [...nodes.values()].sort(
    (a, b) => Number(a.kind === 'name') - Number(b.kind === 'name') || compareText(a.label, b.label) || compareText(a.id, b.id),
  );
  return { nodes: sortedNodes, edges };
}

function mermaidLabel(text: string): string {
  return text.replace(/"/g, '#quot;');
}

/** A Mermaid flowchart of the graph (GitHub renders it in Markdown). */
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
    lines.push(`  ${edge.from} ${arrow}|${mermaidLabel(edge.label)}| ${edge.to}`);
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

const ROW = 44;
const BOX_W = 190;
const BOX_H = 30;

/**
 * An inline SVG of the graph: services on the left, secret names on the right (canonical in green,
 * names to retire in red), import edges as arcs to the left of the services (forbidden ones red and dashed).
 */
export function renderSvg(result: RunResult): string {
  const graph = buildGraph(result);
  const services = graph.nodes.filter((n) => n.kind !== 'name');
  const names = graph.nodes.filter((n) => n.kind === 'name');
  const hasImports = graph.edges.some((e) => e.kind === 'import');
  const left = hasImports ? 120 : 20;
  const right = left + BOX_W + 260;
  const width = right + BOX_W + 20;
  const rows = Math.max(services.length, names.length, 1);
  const height = rows * ROW + 60;
  const labelOf = new Map(graph.nodes.map((n) => [n.id, n.label]));
  const pos = new Map<string, { x: number; y: number }>();
  services.forEach((n, i) => pos.set(n.id, { x: left, y: 30 + i * ROW }));
  names.forEach((n, i) => pos.set(n.id, { x: right, y: 30 + i * ROW }));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="graph" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Services, secret names and imports">`);
  out.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#495057"/></marker></defs>');
  for (const edge of graph.edges) {
    const a = pos.get(edge.from);
    const b = pos.get(edge.to);
    if (!a || !b) continue;
    if (edge.kind === 'reads') {
      const x1 = a.x + BOX_W;
      const y1 = a.y + BOX_H / 2;
      const x2 = b.x;
      const y2 = b.y + BOX_H / 2;
      const color = edge.bad ? '#c92a2a' : '#2b8a3e';
      out.push(`<path class="edge reads" d="M${x1},${y1} C${x1 + 110},${y1} ${x2 - 110},${y2} ${x2},${y2}" stroke="${color}" stroke-width="1.6" fill="none" marker-end="url(#arrow)"><title>${esc(`${labelOf.get(edge.from) ?? ''} ${edge.label} ${labelOf.get(edge.to) ?? ''}`)}</title></path>`);
    } else {
      const y1 = a.y + BOX_H / 2;
      const y2 = b.y + BOX_H / 2;
      const bulge = Math.max(30, Math.min(100, Math.abs(y2 - y1) / 2 + 20));
      const color = edge.bad ? '#c92a2a' : '#868e96';
      const dash = edge.bad ? ' stroke-dasharray="6 4"' : '';
      out.push(`<path class="edge import${edge.bad ? ' forbidden' : ''}" d="M${a.x},${y1} C${a.x - bulge},${y1} ${b.x - bulge},${y2} ${b.x},${y2}" stroke="${color}" stroke-width="${edge.bad ? 2.2 : 1.4}"${dash} fill="none" marker-end="url(#arrow)"><title>${esc(edge.label)}</title></path>`);
    }
  }
  for (const node of graph.nodes) {
    const p = pos.get(node.id);
    if (!p) continue;
    const fill = node.kind === 'name' ? (node.canonical ? '#d3f9d8' : '#ffe3e3') : node.kind === 'shared' ? '#f1f3f5' : '#e7f5ff';
    const stroke = node.kind === 'name' ? (node.canonical ? '#2b8a3e' : '#c92a2a') : node.kind === 'shared' ? '#868e96' : '#1c7ed6';
    const rx = node.kind === 'name' ? 15 : 4;
    out.push(`<g class="node ${node.kind}"><rect x="${p.x}" y="${p.y}" width="${BOX_W}" height="${BOX_H}" rx="${rx}" fill="${fill}" stroke="${stroke}"/><text x="${p.x + BOX_W / 2}" y="${p.y + 20}" text-anchor="middle">${esc(node.label)}</text></g>`);
  }
  out.push(`<text x="${left}" y="${height - 12}" class="edge-label">green: canonical name · red: name to retire · grey: imports (red dashed: forbidden)</text>`);
  out.push('</svg>');
  return out.join('\n');
}
