// Runs synchronous code on the main thread under a time limit: Node's `vm` timeout interrupts it wherever it is, a loop that never ends included.
import vm from 'node:vm';

const SLOT = Symbol.for('jwtfrag.guarded');
/** The script the timeout applies to: it calls what is in the slot, so all the code that call runs is timed. */
const script = new vm.Script("globalThis[Symbol.for('jwtfrag.guarded')]()", { filename: 'jwtfrag-guard' });

export type Guarded<T> = { done: true; value: T } | { done: false };

/**
 * Runs `fn` and returns its value, or `{ done: false }` when it ran for `timeout` milliseconds (0: no
 * limit) and was stopped. Its exceptions pass through. Each call with a limit starts one watchdog
 * thread (about 0.1 ms), so callers give it slices of work, not single small steps. Code stopped this
 * way runs no `finally` block: callers reset what it may have left half done.
 */
export function runGuarded<T>(fn: () => T, timeout: number): Guarded<T> {
  if (timeout <= 0) return { done: true, value: fn() };
  const slot = globalThis as unknown as Record<symbol, unknown>;
  slot[SLOT] = fn;
  try {
    return { done: true, value: script.runInThisContext({ timeout: Math.ceil(timeout) }) as T };
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return { done: false };
    throw error;
  } finally {
    slot[SLOT] = undefined;
  }
}
