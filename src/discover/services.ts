// Service detection: from config globs, or from service markers and shared-library folder names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedConfig } from '../config/schema.js';
import type { Service } from '../model/types.js';
import { compareText } from '../util/order.js';

const PY_MARKERS = ['pyproject.toml', 'requirements.txt', 'setup.py', 'setup.cfg', 'main.py', 'manage.py', 'app.py', 'Pipfile'];
const SHARED_NAMES = new Set(['shared', 'common', 'libs', 'lib', 'core', 'packages', 'utils', 'pkg']);
const CONTAINER_DIRS = new Set(['apps', 'services', 'packages', 'libs', 'modules', 'backend', 'microservices']);

interface PackageJson {
  name?: string;
  main?: string;
  scripts?: Record<string, string>;
  workspaces?: string[] | { packages?: string[] };
}

function readPackageJson(root: string, path: string): PackageJson | null {
  try {
    const value: unknown = JSON.parse(readFileSync(join(root, path), 'utf8'));
    return value !== null && typeof value === 'object' ? (value as PackageJson) : null;
  } catch {
    return null;
  }
}

function asList(globs: string | string[]): string[] {
  return typeof globs === 'string' ? [globs] : globs;
}

/** Turns a config glob such as `auth_service/**` into its folder prefix when it is a plain folder. */
function rootsOf(globs: string[]): string[] {
  return globs.map((g) => g.replace(/\/\*\*(\/\*)?$/, '').replace(/\/$/, ''));
}

/** What marks `dir` as a deployable service, or null. */
function serviceMarker(root: string, dir: string, present: Set<string>): { kind: 'service' | 'shared'; by: string } | null {
  const pkgPath = `${dir}/package.json`;
  if (present.has(pkgPath)) {
    const pkg = readPackageJson(root, pkgPath);
    const scripts = pkg?.scripts ?? {};
    if (scripts.start || scripts.dev || scripts.serve || scripts['start:prod']) return { kind: 'service', by: 'package.json' };
  }
  if (present.has(`${dir}/Dockerfile`)) return { kind: 'service', by: 'Dockerfile' };
  for (const marker of PY_MARKERS) {
    if (present.has(`${dir}/${marker}`)) return { kind: 'service', by: marker };
  }
  if (present.has(pkgPath)) return { kind: 'shared', by: 'package.json (no start script)' };
  return null;
}

/** Detects services and shared libraries (config first; otherwise markers and folder names). */
export function detectServices(root: string, paths: string[], config: ParsedConfig): Service[] {
  const configured: Service[] = [];
  for (const [name, globs] of Object.entries(config.services)) {
    configured.push({ name, kind: 'service', roots: rootsOf(asList(globs)), detectedBy: 'config' });
  }
  for (const [name, globs] of Object.entries(config.shared)) {
    configured.push({ name, kind: 'shared', roots: rootsOf(asList(globs)), detectedBy: 'config' });
  }
  if (configured.length > 0) return configured.sort((a, b) => compareText(a.name, b.name));

  const present = new Set(paths);
  const dirsAtDepth = (depth: number): string[] => {
    const dirs = new Set<string>();
    for (const path of paths) {
      const parts = path.split('/');
      if (parts.length > depth) dirs.add(parts.slice(0, depth).join('/'));
    }
    return [...dirs].sort();
  };

  const found: Service[] = [];
  for (const top of dirsAtDepth(1)) {
    if (top.startsWith('.')) continue;
    const base = top;
    const children = dirsAtDepth(2).filter((d) => d.startsWith(top + '/'));
    const childServices: Service[] = [];
    if (CONTAINER_DIRS.has(base) || !serviceMarker(root, top, present)) {
      for (const child of children) {
        const name = child.slice(top.length + 1);
        if (name.startsWith('.') || name === 'node_modules') continue;
        const marker = serviceMarker(root, child, present);
        if (marker) {
          const sharedByName = base === 'libs' || base === 'packages' && marker.kind === 'shared' || SHARED_NAMES.has(name);
          childServices.push({
            name,
            kind: sharedByName || marker.kind === 'shared' ? 'shared' : 'service',
            roots: [child],
            detectedBy: marker.by,
          });
        }
      }
    }
    if (childServices.length > 0) {
      found.push(...childServices);
      continue;
    }
    const marker = serviceMarker(root, top, present);
    if (SHARED_NAMES.has(base)) {
      found.push({ name: base, kind: 'shared', roots: [top], detectedBy: 'shared-name' });
    } else if (marker) {
      found.push({ name: base, kind: marker.kind, roots: [top], detectedBy: marker.by });
    } else if (paths.some((p) => p.startsWith(top + '/') && (p.endsWith('.py') || /\.[cm]?[jt]sx?$/.test(p)))) {
      // A top-level code folder without a marker (e.g. a Python package) is still its own component.
      if (paths.some((p) => p === `${top}/__init__.py`)) {
        found.push({ name: base, kind: 'service', roots: [top], detectedBy: '__init__.py' });
      }
    }
  }
  // Names must be unique: fall back to the folder path on a clash.
  const byName = new Map<string, number>();
  for (const s of found) byName.set(s.name, (byName.get(s.name) ?? 0) + 1);
  for (const s of found) if ((byName.get(s.name) ?? 0) > 1) s.name = s.roots[0];
  return found.sort((a, b) => compareText(a.name, b.name));
}
