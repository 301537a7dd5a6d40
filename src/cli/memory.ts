// How the CLI's process uses V8: full collections where most of the heap has just died, the main thread's young generation, scavenges when every core runs a lane, when code is optimised.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collector: (() => void) | null | undefined;

/**
 * Below this much live heap a full collection is not worth its pause: V8's own collections keep such
 * a heap's garbage small. A small repository's scan or a warm one skipped three collections (and the
 * context that exposes `gc`): the demo 0.91 of its wall time, the reference repository's warm scan
 * 0.98, 2–7 MiB more at their peaks of 140–147 MiB (docs/performance.md).
 */
const COLLECT_FROM_BYTES = 64 * 1024 * 1024;

/**
 * Runs a full garbage collection, when V8 lets us. V8 sets its next collection from the heap that was
 * live at its last full one, so garbage made when a large heap turns dead (the facts' JSON text once
 * parsed, the full facts once the model is built, the model once the result is built) stays resident
 * until the heap grows that far again. Collecting at those three points cut the peak of a 20,000-file
 * scan from about 510 to 360 MB at no measurable cost in time (docs/performance.md).
 *
 * Only when the live heap is at least `fromBytes` (default 64 MiB; see `COLLECT_FROM_BYTES`).
 *
 * The CLI's own process only: V8's `gc` is exposed to new contexts by a process-wide flag, which a
 * library must not set in its host.
 */
export function collectGarbage(fromBytes = COLLECT_FROM_BYTES): void {
  if (getHeapStatistics().used_heap_size < fromBytes) return;
  if (collector === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const gc: unknown = runInNewContext('gc');
      collector = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collector = null;
    }
  }
  collector?.();
}

/**
 * Keeps the main thread's young generation at its first size. V8 doubles it (up to 16 MB a
 * semi-space, 32 MB resident) whenever more of it survives than it holds, which discovery's file
 * lists do at once; the main thread then waits on the workers with those 32 MB resident, and V8
 * gives them back only after seconds of low allocation. Kept at its first size, it cut the reference
 * repository's peak by about 30 MB at no measurable cost in time (docs/performance.md).
 *
 * V8 reads this flag each time it would grow a young generation, so it acts from now on: the CLI sets
 * it before it loads its modules (`main.ts`), whose loading alone grew the young generation to 16 MB
 * semi-spaces. A worker gets its young generation at the size its resource limits set and is not
 * affected, but each worker's start sets the flag, which is the process's, back to 2 (V8 configures
 * every isolate's heap with a factor of at least 2): the scan command sets it again once every file
 * is extracted, before the main thread parses the lanes' facts. The CLI's own process only, like
 * `collectGarbage`.
 *
 * On its command line V8 raises a factor under 2 to 2: its debug builds check that a growth adds
 * pages. Set at run time, the factor stays 1, and in a release build (Node's) a growth then adds
 * none. Should a later V8 apply its minimum at run time too, this becomes a no-op (the scan is as
 * before) and test/memory.test.ts says so.
 */
export function keepYoungGenerationSmall(): void {
  setFlag('--semi-space-growth-factor=1');
}

/**
 * Makes each thread scavenge its young generation alone. V8 otherwise hands part of every scavenge
 * to its helper threads; when a scan runs a lane on every core, those helpers compete with the
 * other lanes for the same cores. Cold `--jobs 2` on two cores: 0.95 of the wall time on the
 * reference repository, 0.97 on the synthetic corpus, the same on novu and on a small repository
 * (docs/performance.md). V8 reads the flag at each scavenge (its own tests change it at run time);
 * the CLI's own process only, like `collectGarbage`.
 */
export function scavengeAlone(): void {
  setFlag('--no-parallel-scavenge');
}

/**
 * The interrupt budget with which V8 11.3 (Node 20's) decides that a function is hot enough for its
 * optimising compiler: 4 times its default of 66 KB of bytecode.
 */
const INTERRUPT_BUDGET = 4 * 66 * 1024;

/**
 * Has V8 optimise only the code that stays hot, by raising its interrupt budget fourfold. Each lane
 * is an isolate of its own and optimises the same functions again; with V8's default budget its
 * optimising compiler spent 2.4 s of CPU (339 optimisations, many of the same function after a
 * branch it had not yet seen) in a 7.5 s extraction of the reference repository's Python, on helper
 * threads that compete with the lanes for the cores. With the budget raised: 213 optimisations,
 * 1.2 s. Cold `--jobs 2`, A/B: the reference repository 0.90 of the wall time, novu 0.90,
 * `hcengineering/platform` 0.94, the synthetic corpus 0.97, small repositories 0.91; the
 * 20,000-file synthetic corpus, where the TypeScript lane runs long enough to want its hot code
 * early, 1.01 (eightfold: 1.05). See docs/performance.md.
 *
 * V8 reads the budget each time it resets a function's, so it acts from now on, on every thread.
 * Only on V8 11.3 (Node 20's), where it was measured: later versions tier up through Maglev on other
 * flags, and an unknown flag prints an error. The CLI's own process only, like `collectGarbage`.
 */
export function optimiseOnlyHotCode(v8Version: string = process.versions.v8): void {
  if (!v8Version.startsWith('11.3.')) return;
  setFlag(`--interrupt-budget=${String(INTERRUPT_BUDGET)}`);
}

/** Sets a V8 flag of this process; an embedder that refuses flags leaves the scan as it was. */
function setFlag(flag: string): void {
  try {
    setFlagsFromString(flag);
  } catch {
    // The flag is a matter of speed or memory, never of results.
  }
}
