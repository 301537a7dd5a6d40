// Finds, reads and validates the configuration; every problem becomes one line naming the file and field.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import { readBytes } from '../discover/read.js';
import { ConfigSchema, type ParsedConfig } from './schema.js';

export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'ConfigError';
  }
}

export interface LoadedConfig {
  config: ParsedConfig;
  /** Where it came from: a file path, `package.json#jwtfrag`, or `defaults`. */
  source: string;
}

function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** One line per zod issue: `file: field.path: message`. */
export function formatIssues(source: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
    return `${source}: ${fieldPath(issue.path)}: ${issue.message}${keys}`;
  });
}

/** Validates a raw config value. Throws ConfigError with one line per problem. */
export function parseConfig(raw: unknown, source: string): ParsedConfig {
  const parsed = ConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(formatIssues(source, parsed.error));
  return parsed.data;
}

const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

function readJson(path: string, label: string): unknown {
  // A FIFO or a huge file in the scanned tree must not hang or exhaust the process.
  const read = readBytes(path, MAX_CONFIG_BYTES);
  if (!read.ok) throw new ConfigError([`${label}: cannot read the config file (${read.message})`]);
  let text = read.bytes.toString('utf8');
  // Editors on Windows save UTF-8 with a byte order mark; JSON.parse rejects it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError([`${label}: not valid JSON (${error instanceof Error ? error.message : String(error)})`]);
  }
}

/**
 * Loads the config: `--config <file>`, else `jwtfrag.config.json` in the root, else the `jwtfrag`
 * key of the root `package.json`, else the defaults (auto-detection).
 */
export function loadConfig(root: string, explicit?: string): LoadedConfig {
  if (explicit) {
    const path = resolve(explicit);
    if (!existsSync(path)) throw new ConfigError([`${explicit}: config file not found`]);
    return { config: parseConfig(readJson(path, explicit), explicit), source: explicit };
  }
  const own = join(root, 'jwtfrag.config.json');
  if (existsSync(own)) return { config: parseConfig(readJson(own, 'jwtfrag.config.json'), 'jwtfrag.config.json'), source: 'jwtfrag.config.json' };
  const pkg = join(root, 'package.json');
  if (existsSync(pkg)) {
    const value = readJson(pkg, 'package.json');
    if (value !== null && typeof value === 'object' && 'jwtfrag' in value) {
      const section = (value as Record<string, unknown>).jwtfrag;
      return { config: parseConfig(section, 'package.json#jwtfrag'), source: 'package.json#jwtfrag' };
    }
  }
  return { config: parseConfig({}, 'defaults'), source: 'defaults' };
}
