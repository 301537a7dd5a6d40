// Writes a synthetic FastAPI monorepo of many services (auth signer, verifiers with drifting names, imports, WebSockets, compose files per environment).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function put(root: string, path: string, text: string): void {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** The verifier names, by service index: most read the canonical name, some drift. */
function verifierRead(i: number): string {
  switch (i % 5) {
    case 1:
      return 'os.getenv("JWT_SECRET")';
    case 3:
      return 'os.getenv("SVC_JWT_SECRET") or os.getenv("JWT_SECRET_KEY")';
    default:
      return 'os.getenv("JWT_SECRET_KEY")';
  }
}

/** Writes the repository under `root`: an auth service and `count - 1` other services named `svc01`…, and a shared library. */
export function writeGeneratedMonorepo(root: string, count = 25): string[] {
  const services = ['auth', ...Array.from({ length: count - 1 }, (_, i) => `svc${String(i + 1).padStart(2, '0')}`)];
  put(root, 'shared/__init__.py', '');
  put(root, 'shared/helpers.py', '"""Helpers every service may use."""\n\n\ndef bearer(header: str) -> str:\n    return header.removeprefix("Bearer ")\n');
  put(root, 'auth/Dockerfile', 'FROM python:3.12-slim\nCOPY auth /app/auth\nCMD ["uvicorn", "auth.main:app"]\n');
  put(root, 'auth/__init__.py', '');
  put(root, 'auth/main.py', 'from fastapi import FastAPI\n\napp = FastAPI()\n');
  put(
    root,
    'auth/issuer.py',
    [
      '"""Signs access tokens."""',
      'import os',
      '',
      'import jwt',
      '',
      'SIGNING_KEY = os.getenv("JWT_SECRET_KEY")',
      '',
      '',
      'def issue(user_id: str) -> str:',
      '    return jwt.encode({"sub": user_id}, SIGNING_KEY, algorithm="HS256")',
      '',
    ].join('\n'),
  );
  const compose: string[] = ['services:'];
  const staging: string[] = ['services:'];
  services.forEach((name, i) => {
    compose.push(`  ${name}:`, `    build: ./${name}`, '    environment:', '      ENVIRONMENT: development', '      JWT_SECRET_KEY: ${JWT_SECRET_KEY}');
    if (i === 0) {
      staging.push(`  ${name}:`, `    build: ./${name}`, '    environment:', '      ENVIRONMENT: staging', '      JWT_SECRET_KEY: ${JWT_SECRET_KEY}');
      return;
    }
    const given = i % 5 === 1 ? 'JWT_SECRET' : i % 5 === 3 ? 'SVC_JWT_SECRET' : 'JWT_SECRET_KEY';
    staging.push(`  ${name}:`, `    build: ./${name}`, '    environment:', '      ENVIRONMENT: staging', `      ${given}: \${${given}}`);
    put(root, `${name}/Dockerfile`, `FROM python:3.12-slim\nCOPY ${name} /app/${name}\nCMD ["uvicorn", "${name}.main:app"]\n`);
    put(root, `${name}/__init__.py`, '');
    put(root, `${name}/internal.py`, `"""Internals of ${name}."""\n\n\ndef helper() -> str:\n    return "${name}"\n`);
    const imports = ['from shared.helpers import bearer'];
    if (i % 6 === 0 && i + 1 < services.length) imports.push(`from ${services[i + 1]}.internal import helper`);
    put(
      root,
      `${name}/security.py`,
      [
        `"""Checks the caller's token in ${name}."""`,
        'import os',
        '',
        'import jwt',
        '',
        ...imports,
        '',
        `TOKEN_KEY = ${verifierRead(i)}`,
        '',
        '',
        'def user_of(header: str) -> str:',
        '    return jwt.decode(bearer(header), TOKEN_KEY, algorithms=["HS256"])["sub"]',
        '',
      ].join('\n'),
    );
    const ws =
      i % 8 === 2
        ? [
            '',
            '',
            '@app.websocket("/ws")',
            'async def socket(websocket: WebSocket):',
            '    await websocket.accept()',
            '    await websocket.send_text("hello")',
            '',
          ]
        : [''];
    put(
      root,
      `${name}/main.py`,
      [
        'from fastapi import FastAPI, Header, WebSocket',
        '',
        `from ${name}.security import user_of`,
        '',
        'app = FastAPI()',
        '',
        '',
        '@app.get("/me")',
        'def me(authorization: str = Header(...)) -> dict:',
        '    return {"user": user_of(authorization)}',
        ...ws,
      ].join('\n'),
    );
  });
  put(root, 'docker-compose.yml', `${compose.join('\n')}\n`);
  put(root, 'docker-compose.staging.yml', `${staging.join('\n')}\n`);
  return services;
}
