// Preloaded into the CLI child processes of the hostile suite: records peak memory at exit, and (when asked) makes chosen paths fail with EACCES, as an unreadable folder does for a user without permission (the suite may run as root, where permissions cannot).
import fs, { writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const rssFile = process.env.JWTFRAG_TEST_RSS_FILE;
if (rssFile) process.on('exit', () => writeFileSync(rssFile, String(process.resourceUsage().maxRSS)));

const denied: string[] = process.env.JWTFRAG_TEST_DENY ? (JSON.parse(process.env.JWTFRAG_TEST_DENY) as string[]) : [];
if (denied.length > 0) {
  const isDenied = (path: unknown): boolean => typeof path === 'string' && denied.some((d) => path === d || path === `${d}/`);
  const eacces = (path: string): NodeJS.ErrnoException =>
    Object.assign(new Error(`EACCES: permission denied, '${path}'`), { code: 'EACCES', errno: -13, path });
  const wrapSync = (name: 'readdirSync' | 'openSync' | 'accessSync' | 'opendirSync'): void => {
    const original = fs[name] as (...args: unknown[]) => unknown;
    (fs as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      if (isDenied(args[0])) throw eacces(args[0] as string);
      return original.apply(fs, args);
    };
  };
  for (const name of ['readdirSync', 'openSync', 'accessSync', 'opendirSync'] as const) wrapSync(name);
  const readdir = fs.readdir as (...args: unknown[]) => void;
  (fs as unknown as Record<string, unknown>).readdir = (...args: unknown[]) => {
    if (isDenied(args[0])) {
      const callback = args[args.length - 1] as (error: Error) => void;
      process.nextTick(() => callback(eacces(args[0] as string)));
      return;
    }
    readdir.apply(fs, args);
  };
  const readdirPromise = fs.promises.readdir.bind(fs.promises) as (...args: unknown[]) => Promise<unknown>;
  (fs.promises as unknown as Record<string, unknown>).readdir = (...args: unknown[]) =>
    isDenied(args[0]) ? Promise.reject(eacces(args[0] as string)) : readdirPromise(...args);
  syncBuiltinESMExports();
}
