// Renders one planned Python module of the benchmark corpus: ordinary code plus its planned secret reads and JWT calls.
import { exportNames, pyModuleOf, type Module } from './bench-plan.js';
import { Prng } from './bench-prng.js';

type Block = string[];

function fillers(noun: string, id: number): ((n: number, k: number) => Block)[] {
  const N = noun.charAt(0).toUpperCase() + noun.slice(1);
  const U = noun.toUpperCase();
  return [
    (n, k) => [
      `def aggregate_${noun}_${id}_${n}(values: list[int], factor: int) -> int:`,
      '    total = 0',
      '    for value in values:',
      '        if value > factor:',
      '            total += value * factor',
      '        elif value == factor:',
      '            total += 1',
      '        else:',
      `            total -= min(value, ${k})`,
      '    return round(total / max(len(values), 1))',
    ],
    (n) => [
      '@dataclass',
      `class ${N}Entry${n}:`,
      '    ident: str',
      '    count: int = 0',
      '    tags: list[str] = field(default_factory=list)',
      '',
      '    def primary_tag(self) -> str:',
      '        return self.tags[0] if self.tags else "untagged"',
      '',
      '',
      `def summarize_${noun}_${n}(entries: list[${N}Entry${n}]) -> dict[str, int]:`,
      '    result: dict[str, int] = {}',
      '    for entry in entries:',
      '        key = entry.primary_tag()',
      '        result[key] = result.get(key, 0) + entry.count',
      '    return result',
    ],
    (n, k) => [
      `class ${N}Cache${n}:`,
      `    """Time-bounded cache of ${noun} values."""`,
      '',
      `    def __init__(self, ttl: float = ${k}.0) -> None:`,
      '        self._ttl = ttl',
      '        self._store: dict[str, tuple[int, float]] = {}',
      '',
      '    def get(self, key: str, now: float | None = None) -> int | None:',
      '        now = time.monotonic() if now is None else now',
      '        hit = self._store.get(key)',
      '        if hit is None or hit[1] < now:',
      '            self._store.pop(key, None)',
      '            return None',
      '        return hit[0]',
      '',
      '    def set(self, key: str, value: int, now: float | None = None) -> None:',
      '        now = time.monotonic() if now is None else now',
      '        self._store[key] = (value, now + self._ttl)',
      '',
      '    def __len__(self) -> int:',
      '        return len(self._store)',
    ],
    (n, k) => [
      `async def fetch_${noun}_${n}(ids: list[str], attempts: int = ${(k % 5) + 1}) -> list[str]:`,
      '    out: list[str] = []',
      '    for ident in ids:',
      '        for attempt in range(attempts):',
      '            try:',
      '                value = await asyncio.sleep(0, result=f"{ident}:{attempt}")',
      '                out.append(value)',
      '                break',
      '            except RuntimeError as error:',
      '                logger.warning("retry %s after %s", ident, error)',
      '                if attempt == attempts - 1:',
      '                    raise',
      '    return out',
    ],
    (n) => [
      `class ${N}State${n}(str, Enum):`,
      '    PENDING = "pending"',
      '    ACTIVE = "active"',
      '    CLOSED = "closed"',
      '',
      '',
      `def next_${noun}_state_${n}(state: ${N}State${n}, flag: bool) -> ${N}State${n}:`,
      `    if state is ${N}State${n}.PENDING:`,
      `        return ${N}State${n}.ACTIVE if flag else state`,
      `    if state is ${N}State${n}.ACTIVE:`,
      `        return state if flag else ${N}State${n}.CLOSED`,
      '    return state',
    ],
    (n, k) => [
      `${U}_DEFAULTS_${n}: dict[str, Any] = {`,
      `    "retries": ${k % 7},`,
      `    "timeout": ${k / 10},`,
      '    "regions": ["eu-west-1", "us-east-1", "ap-south-1"],',
      '    "features": {"audit": True, "cache": False},',
      '}',
      '',
      '',
      `def pick_${noun}_regions_${n}(prefix: str) -> list[str]:`,
      `    return [region.upper() for region in ${U}_DEFAULTS_${n}["regions"] if region.startswith(prefix)]`,
    ],
    (n) => [
      '@contextmanager',
      `def timed_${noun}_${n}(label: str) -> Iterator[dict[str, float]]:`,
      '    stats: dict[str, float] = {"start": time.monotonic()}',
      '    try:',
      '        yield stats',
      '    finally:',
      '        stats["elapsed"] = time.monotonic() - stats["start"]',
      '        logger.debug("%s took %.3f", label, stats["elapsed"])',
    ],
    (n, k) => [
      `def page_${noun}_${n}(items: list[dict[str, Any]], size: int = ${(k % 20) + 5}) -> list[list[dict[str, Any]]]:`,
      '    pages: list[list[dict[str, Any]]] = []',
      '    current: list[dict[str, Any]] = []',
      '    for item in sorted(items, key=lambda entry: str(entry.get("id", ""))):',
      '        current.append(item)',
      '        if len(current) >= size:',
      '            pages.append(current)',
      '            current = []',
      '    if current:',
      '        pages.append(current)',
      '    return pages',
    ],
  ];
}

function baseBlock(m: Module): Block[] {
  const { cls, fns, limit } = exportNames(m);
  return [
    [`${limit} = ${(m.id % 97) + 10}`],
    [
      `def ${fns[0]}(value: int, label: str) -> int:`,
      `    base = value * ${(m.id % 13) + 2} + len(label)`,
      `    return base % ${limit} if base > ${limit} else base`,
    ],
    [`def ${fns[1]}(value: int, label: str) -> int:`, `    return max(0, min(value, ${limit})) + len(label.strip())`],
    [
      `def ${fns[2]}(value: int, label: str) -> int:`,
      '    score = 0',
      '    for char in label:',
      '        score += ord(char) % (value + 1)',
      '    return score',
    ],
    [
      `class ${cls}:`,
      '    def __init__(self, name: str) -> None:',
      '        self.name = name',
      '        self.history: list[int] = []',
      '',
      '    def run(self, value: int) -> int:',
      `        result = ${fns[0]}(value, self.name) + ${fns[1]}(value, self.name)`,
      '        self.history.append(result)',
      '        return result',
      '',
      '    @property',
      '    def last(self) -> int | None:',
      '        return self.history[-1] if self.history else None',
    ],
  ];
}

function pySecretFunction(m: Module): string {
  return m.special === 'py-env' ? 'get_jwt_secret' : `load_jwt_secret_${m.id}`;
}

function secretBlock(m: Module): Block {
  const [a, b] = m.secretNames;
  const head = `def ${pySecretFunction(m)}(stage: str = "production") -> str | None:`;
  switch (m.secretForm) {
    case 'os.getenv':
      return [head, `    return os.getenv("${a}")`];
    case 'os.environ.get':
      return [head, `    return os.environ.get("${a}")`];
    case 'os.environ[]':
      return [head, `    return os.environ["${a}"]`];
    case 'get_env().get':
      return [head, `    return get_env().get("${a}")`];
    case 'or-chain':
      return [head, `    return os.getenv("${a}") or os.getenv("${b}")`];
    case 'f-string':
      return [head, '    return os.getenv(f"JWT_SECRET_{stage.upper()}")'];
    case 'nested-default':
      return [head, `    return os.getenv("${a}", os.getenv("${b}"))`];
    case 'loop':
      return [
        head,
        '    env = get_env()',
        `    for key in ["${a}", "${b}"]:`,
        '        value = env.get(key)',
        '        if value:',
        '            return value',
        '    return None',
      ];
    default:
      return [];
  }
}

function envHelperBlocks(): Block[] {
  return [
    [
      'class IsolatedEnvironment:',
      '    """A read-through view of the process environment with overrides for tests."""',
      '',
      '    def __init__(self, overrides: dict[str, str] | None = None) -> None:',
      '        self._overrides = dict(overrides or {})',
      '',
      '    def get(self, key: str, default: str | None = None) -> str | None:',
      '        if key in self._overrides:',
      '            return self._overrides[key]',
      '        return os.environ.get(key, default)',
    ],
    ['_ENV: IsolatedEnvironment | None = None'],
    ['def get_env() -> IsolatedEnvironment:', '    global _ENV', '    if _ENV is None:', '        _ENV = IsolatedEnvironment()', '    return _ENV'],
  ];
}

function jwtBlocks(m: Module, keyCall: string): Block[] {
  return [
    [`def issue_token_${m.id}(subject: str, secret: str) -> str:`, `    return jwt.encode({"sub": subject, "scope": "${m.area}"}, secret, algorithm="HS256")`],
    [
      `def check_token_${m.id}(token: str) -> dict[str, Any]:`,
      `    secret = ${keyCall}`,
      '    if not secret:',
      '        raise RuntimeError("JWT secret is not configured")',
      '    return jwt.decode(token, secret, algorithms=["HS256"])',
    ],
  ];
}

function combineBlock(m: Module): Block {
  const lines = [`def combine_${m.id}(value: int) -> int:`, '    acc = value'];
  for (const edge of m.imports) {
    const names = exportNames(edge.target);
    lines.push(`    acc += ${names.fns[edge.fn]}(acc, "combine")`);
    if (edge.withClass) lines.push(`    acc += ${names.cls}("combine").run(acc)`);
  }
  lines.push('    return acc');
  return lines;
}

function testBlocks(m: Module): Block[] {
  return m.imports.map((edge) => {
    const names = exportNames(edge.target);
    return [
      `def test_${names.fns[edge.fn]}_stays_non_negative() -> None:`,
      `    assert ${names.fns[edge.fn]}(3, "test") >= 0`,
      `    assert ${names.cls}("test").run(2) >= 0`,
    ];
  });
}

/** Renders a Python module; `env` is the shared module defining `get_env` and `get_jwt_secret`. */
export function renderPython(m: Module, env: Module): string {
  const prng = new Prng(m.seed);
  const body: Block[] = [];
  if (m.isTest) body.push(...testBlocks(m));
  if (m.special === 'py-env') body.push(...envHelperBlocks());
  body.push(...baseBlock(m));
  if (m.secretForm) body.push(secretBlock(m));
  if (m.jwt) body.push(...jwtBlocks(m, m.secretForm ? `${pySecretFunction(m)}()` : 'get_jwt_secret()'));
  if (m.imports.length > 0 && !m.isTest) body.push(combineBlock(m));

  const fromEnv: string[] = [];
  if (m.special === null && (m.secretForm === 'get_env().get' || m.secretForm === 'loop')) fromEnv.push('get_env');
  if (m.jwt && !m.secretForm) fromEnv.push('get_jwt_secret');
  const local: string[] = [];
  for (const edge of m.imports) {
    const names = exportNames(edge.target);
    const bound = edge.withClass || m.isTest ? `${names.cls}, ${names.fns[edge.fn]}` : names.fns[edge.fn];
    local.push(`from ${pyModuleOf(edge.target)} import ${bound}`);
  }
  if (fromEnv.length > 0) local.push(`from ${pyModuleOf(env)} import ${fromEnv.join(', ')}`);
  const header = [
    `"""${m.noun} ${m.suffix} module ${m.id} of ${m.component.name} (generated for the jwtfrag benchmark)."""`,
    'from __future__ import annotations',
    '',
    'import asyncio',
    'import logging',
    'import os',
    'import time',
    'from contextlib import contextmanager',
    'from dataclasses import dataclass, field',
    'from enum import Enum',
    'from typing import Any, Iterator',
    '',
    ...(m.jwt ? ['import jwt', ''] : []),
    ...(m.isTest ? ['import pytest', ''] : []),
    ...(local.length > 0 ? [...local, ''] : []),
    'logger = logging.getLogger(__name__)',
  ];

  const makers = fillers(m.noun, m.id);
  let size = header.length + body.reduce((sum, b) => sum + b.length + 2, 0);
  for (let n = 1; size < m.lines; n++) {
    const block = prng.pick(makers)(n, prng.int(1, 99));
    body.push(block);
    size += block.length + 2;
  }
  const out = [...header];
  for (const block of body) out.push('', '', ...block);
  return out.join('\n') + '\n';
}
