// One lane of extraction: claims files by index from a list shared by all lanes (the main thread and each worker thread), reads, looks up and extracts each.
import type { MessagePort } from 'node:worker_threads';
import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants } from 'node:zlib';
import { entryKey, readEntry, writeEntry, type CacheLookup } from '../cache/index.js';
import { looksMinified } from '../discover/languages.js';
import { readSource, type ReadOutcome } from '../discover/read.js';
import { LANGUAGES } from '../vocabulary.js';
import { startsFollow, type FileFacts, type ImportFact, type Language, type Loc, type Notification } from './facts.js';
import { extractLoaded, frontEndLoaded, isStackOverflow, loadFrontEnd, type ExtractOptions } from './index.js';

export interface BatchItem {
  path: string;
  absPath: string;
  language: Language;
}

/** What every lane of one scan shares. */
export interface LaneSettings {
  maxBytes: number;
  /** JavaScript mostly on lines longer than this is skipped as minified (0: never). */
  maxLineLength: number;
  extract: ExtractOptions;
  /** Where facts are looked up and stored, or null. */
  cache: CacheLookup | null;
  /** The last attempt: a file too deep even for this thread's stack becomes an `extract-failed` notification. */
  lastTry: boolean;
}

type SkipReason = Extract<ReadOutcome, { ok: false }>['reason'] | 'skipped-minified';

/**
 * What a lane made of one file: a skip reason, the facts as JSON (what the cache stores and the main
 * thread parses, so cached and fresh facts are the same bytes), or `deep` when the file nests deeper
 * than this thread's stack allows (it goes to the last try). `key` is its cache key (null: no cache),
 * `bytes` the length of its text, `follows` whether a WebSocket auth path starts in it (`startsFollow`).
 * A worker posts the JSON compressed, with other files' (`PostedOutcome`, see `runLane`).
 */
export type FileOutcome<Json = string> =
  | { kind: 'skipped'; reason: SkipReason; message: string }
  | { kind: 'facts'; json: Json; key: string | null; hit: boolean; bytes: number; follows: boolean }
  | { kind: 'deep'; key: string | null; bytes: number };

/** An outcome as the main thread gets it from a worker: facts as a place in a pack (`parseEach`). */
export type PostedOutcome = FileOutcome<string | PackedJson>;

export type BatchResult = { path: string; ok: true; facts: FileFacts } | { path: string; ok: false; reason: string; notification: Notification };

function cacheable(facts: FileFacts): boolean {
  // An extractor failure may depend on the machine (stack size, memory): computed again next time.
  return !facts.notifications.some((n) => n.id === 'extract-failed');
}

/** The facts of several files a worker posted at once: their JSON texts one after the other, as UTF-8 compressed with brotli. */
interface Pack {
  compressed: Uint8Array;
}

/** Where one file's facts are in its pack's text (UTF-16 offsets, `end` exclusive). */
export interface PackedJson {
  pack: Pack;
  start: number;
  end: number;
}

/** The facts of a `facts` outcome whose JSON is a string (extracted or looked up on this thread); posted ones go through `parseEach`. */
export function parseFacts(json: string): FileFacts {
  return JSON.parse(json) as FileFacts;
}

/**
 * Parses the facts of many outcomes (`undefined`: none at that position), decompressing each pack once;
 * `onFacts` gets each position with its facts, strings first, then pack by pack.
 */
export function parseEach(jsons: readonly (string | PackedJson | undefined)[], onFacts: (position: number, facts: FileFacts) => void): void {
  const packs = new Map<Pack, number[]>();
  jsons.forEach((json, position) => {
    if (typeof json === 'string') onFacts(position, parseFacts(json));
    else if (json !== undefined) {
      const members = packs.get(json.pack);
      if (members) members.push(position);
      else packs.set(json.pack, [position]);
    }
  });
  for (const [pack, members] of packs) {
    const text = decoder.decode(brotliDecompressSync(pack.compressed));
    for (const position of members) {
      const { start, end } = jsons[position] as PackedJson;
      onFacts(position, parseFacts(text.slice(start, end)));
    }
  }
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * The one empty list that every empty list of shared facts is (`SharedValues.share`). A file's facts
 * have ten lists or more, most of them empty: at 20,000 files, 190,000 empty arrays, 6 MB. Frozen,
 * so that code that would add to a file's list fails loudly instead of adding to every file's.
 */
const NO_FACTS: readonly never[] = Object.freeze([]);

/**
 * The facts of many files with the strings, locations and binding lists of their imports and exports
 * shared. JSON.parse makes a new string for every value, and the same module names, bound names and
 * descriptions recur in thousands of files (at 20,000 files, 16.6 MB of the 27 MB of strings the
 * parsed facts held were repeats); the same goes for locations, objects of 56 bytes each, and
 * imports and exports sit on the same few lines and columns of every file (at 20,000 files, 381,000
 * of their 402,000 locations, 21 MB), and for the names an import binds (145,851 lists of 190,587
 * bindings, 16 MB; see docs/performance.md). Facts are not changed once parsed, so equal values can
 * be one. One per extraction; the maps go with it.
 */
export class SharedValues {
  private readonly strings = new Map<string, string>();
  private readonly locs = new Map<number, Loc>();
  private readonly bindingLists = new Map<string, ImportFact['bindings']>();
  private readonly imports = new Map<string, ImportFact>();

  private one(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    this.strings.set(value, value);
    return value;
  }

  /** `loc` as one exact number, or null when it does not fit (a line past 2^20, a column past 4,095, a span of 64 lines or more). */
  private static locKey(loc: Loc): number | null {
    const lines = loc.endLine - loc.line;
    if (loc.line >= 1 << 20 || loc.column >= 1 << 12 || lines < 0 || lines >= 1 << 6 || loc.endColumn >= 1 << 12) return null;
    // 20 + 12 + 6 + 12 bits: under 2^53, so the key is exact.
    return ((loc.line * 4096 + loc.column) * 64 + lines) * 4096 + loc.endColumn;
  }

  /** An equal location seen before, or `loc`. Only locations that fit in one number as a key (nearly all) are shared. */
  private loc(loc: Loc): Loc {
    const key = SharedValues.locKey(loc);
    if (key === null) return loc;
    const known = this.locs.get(key);
    if (known !== undefined) return known;
    this.locs.set(key, loc);
    return loc;
  }

  /** An equal list of bindings seen before (`from typing import Any, Optional` in a thousand files), or `bindings` with its strings shared. */
  private bindings(bindings: ImportFact['bindings'], key: string): ImportFact['bindings'] {
    const known = this.bindingLists.get(key);
    if (known !== undefined) return known;
    for (const b of bindings) {
      b.local = this.one(b.local);
      b.imported = this.one(b.imported);
    }
    this.bindingLists.set(key, bindings);
    return bindings;
  }

  /**
   * An equal import seen before (the same statement on the same line and columns of another file:
   * `import os` on line 1), or `imp` with its parts shared. The key holds every field of an import
   * (the shared-values test checks the extractors' imports have no other); names and specifiers hold
   * no NUL, so different imports have different keys.
   */
  private import(imp: ImportFact): ImportFact {
    let bindingsKey = '';
    for (const b of imp.bindings) bindingsKey += `${b.local}\0${b.imported}\0`;
    const locKey = SharedValues.locKey(imp.loc);
    const flags = (imp.typeOnly ? 1 : 0) + (imp.inFunction ? 2 : 0) + (imp.inTypeChecking ? 4 : 0) + (imp.inTry ? 8 : 0);
    const key = locKey === null ? null : `${imp.kind}\0${flags}\0${locKey}\0${imp.specifier}\0${bindingsKey}`;
    if (key !== null) {
      const known = this.imports.get(key);
      if (known !== undefined) return known;
    }
    imp.specifier = this.one(imp.specifier);
    imp.loc = this.loc(imp.loc);
    imp.bindings = this.bindings(imp.bindings, bindingsKey);
    if (key !== null) this.imports.set(key, imp);
    return imp;
  }

  /**
   * `facts`, with its imports, and the strings, locations and binding lists of its exports, replaced by
   * equal ones seen before. Facts are never changed once parsed, so files can share them.
   */
  share(facts: FileFacts): FileFacts {
    const lists = facts as unknown as Record<string, unknown>;
    for (const key in lists) if (Array.isArray(lists[key]) && lists[key].length === 0) lists[key] = NO_FACTS;
    const imports = facts.imports;
    for (let k = 0; k < imports.length; k++) imports[k] = this.import(imports[k]);
    for (const e of facts.exports) {
      e.name = this.one(e.name);
      e.loc = this.loc(e.loc);
      for (const source of e.value.sources) {
        if ('loc' in source) source.loc = this.loc(source.loc);
        if (source.kind === 'import') {
          source.module = this.one(source.module);
          source.name = this.one(source.name);
        } else if (source.kind === 'unknown' || source.kind === 'mixed') source.text = this.one(source.text);
      }
    }
    return facts;
  }
}

/** A file read and looked up, whose facts are still to be extracted (`extractRead`). */
export interface ReadFile {
  text: string;
  key: string | null;
}

/** Reads one file, reuses its cached facts or extracts them (and stores them). Never throws on bad input. */
export async function processFile(item: BatchItem, settings: LaneSettings): Promise<FileOutcome> {
  const read = readFile(item, settings);
  if (!('text' in read)) return read;
  if (!frontEndLoaded(item.language)) await loadFrontEnd(item.language);
  return extractRead(item, read, settings);
}

/**
 * The synchronous first half of `processFile`: reads the file and looks it up in the cache. A skip or
 * a cache hit is its outcome; otherwise the file is to be extracted, which needs its front end (a warm
 * scan loads none).
 */
export function readFile(item: BatchItem, settings: LaneSettings): FileOutcome | ReadFile {
  const read = readSource(item.absPath, settings.maxBytes);
  if (!read.ok) return { kind: 'skipped', reason: read.reason, message: `skipped: ${read.message}` };
  const text = read.text;
  const maxLine = settings.maxLineLength;
  if (item.language === 'js' && looksMinified(text, maxLine)) {
    const message = `skipped: minified or generated code (most of it on lines longer than ${maxLine} characters; raise maxLineLength to analyse it)`;
    return { kind: 'skipped', reason: 'skipped-minified', message };
  }
  const cache = settings.cache;
  const key = cache ? entryKey(cache.salt, item.path, item.language, text) : null;
  if (cache && key !== null) {
    const hit = readEntry(cache.dir, key);
    if (hit !== null) return { kind: 'facts', json: hit, key, hit: true, bytes: text.length, follows: followStartsIn(hit) };
  }
  return { text, key };
}

/** The synchronous second half of `processFile`, once the file's front end is loaded (`loadFrontEnd`): extracts and stores its facts. */
export function extractRead(item: BatchItem, read: ReadFile, settings: LaneSettings): FileOutcome {
  const { text, key } = read;
  let facts: FileFacts;
  try {
    facts = extractLoaded(item.path, text, item.language, settings.extract, settings.lastTry ? 'notify' : 'throw');
  } catch (error) {
    if (!isStackOverflow(error)) throw error;
    return { kind: 'deep', key, bytes: text.length };
  }
  const json = JSON.stringify(facts);
  const cache = settings.cache;
  if (cache && key !== null && cacheable(facts)) writeEntry(cache.dir, key, json);
  return { kind: 'facts', json, key, hit: false, bytes: text.length, follows: startsFollow(facts) };
}

/**
 * `startsFollow` of cached facts, without parsing them: their JSON (from `JSON.stringify`, no spaces)
 * has `"wsEndpoints":[{` for an endpoint and `"wsServers":` only for a server; inside a string value
 * a quote is escaped, so neither can occur there. It only decides whether a warm lane is kept.
 */
function followStartsIn(json: string): boolean {
  return json.includes('"wsEndpoints":[{') || json.includes('"wsServers":');
}

/**
 * The files of a scan in two queues, so that each lane mostly needs one front end: TypeScript and
 * JavaScript (the TypeScript compiler is the largest thing a thread loads), and the rest (Python
 * through tree-sitter, deployment files).
 */
export const QUEUES = 2;

/** The queue a file goes in. */
export function queueOf(language: Language): number {
  return language === 'ts' || language === 'js' ? 0 : 1;
}

/**
 * The files of one queue as a worker lane gets them: their paths as UTF-8 and their indices and
 * languages as typed arrays, whose memory moves to the lane's thread, not an object per file. Every
 * lane used to get the whole scan's list of files as objects, cloned into its heap, and the main
 * thread's heap kept what the clone was made from (docs/performance.md).
 */
export interface QueueFiles {
  /** Each file's index in the scan's list, in the queue's order. */
  indices: Int32Array<ArrayBuffer>;
  /** Each file's path, then its absolute path, one after the other, as UTF-8. */
  text: Uint8Array<ArrayBuffer>;
  /** Per file, two byte offsets in `text`: where its path ends, where its absolute path ends. */
  ends: Int32Array<ArrayBuffer>;
  /** Each file's language, as its position in `LANGUAGES`. */
  languages: Uint8Array<ArrayBuffer>;
}

/** The files of `items` at `indices` (one queue, in its order), for a worker lane. */
export function queueFiles(items: readonly BatchItem[], indices: readonly number[]): QueueFiles {
  const ends = new Int32Array(2 * indices.length);
  const languages = new Uint8Array(indices.length);
  let at = 0;
  indices.forEach((index, k) => {
    const { path, absPath, language } = items[index];
    ends[2 * k] = at += Buffer.byteLength(path);
    ends[2 * k + 1] = at += Buffer.byteLength(absPath);
    languages[k] = LANGUAGES.indexOf(language);
  });
  const text = new Uint8Array(at);
  at = 0;
  for (const index of indices) {
    at += encoder.encodeInto(items[index].path, text.subarray(at)).written;
    at += encoder.encodeInto(items[index].absPath, text.subarray(at)).written;
  }
  return { indices: Int32Array.from(indices), text, ends, languages };
}

/** The buffers of `files` (of the queues a lane owns), which move to the lane's thread with them. */
export function queueBuffers(files: readonly (QueueFiles | null)[]): ArrayBuffer[] {
  return files.flatMap((f) => (f === null ? [] : [f.indices.buffer, f.text.buffer, f.ends.buffer, f.languages.buffer]));
}

/** The `k`th file of a queue's `files`. */
export function queueItem(files: QueueFiles, k: number): BatchItem {
  const start = k === 0 ? 0 : files.ends[2 * k - 1];
  const pathEnd = files.ends[2 * k];
  return {
    path: decoder.decode(files.text.subarray(start, pathEnd)),
    absPath: decoder.decode(files.text.subarray(pathEnd, files.ends[2 * k + 1])),
    language: LANGUAGES[files.languages[k]],
  };
}

/** What the main thread hands a worker lane. */
export interface LaneData {
  /** Per queue, its files (`queueFiles`); null for a queue this lane does not own. */
  files: (QueueFiles | null)[];
  /** Per queue, one Int32: the position of the next file to claim (every lane adds one atomically). */
  next: SharedArrayBuffer;
  /** The queues this lane empties, in order (it never takes a file of another one). */
  own: number[];
  settings: LaneSettings;
  /** Where the lane posts each file's outcome as it is done. */
  port: MessagePort;
  /**
   * Two Int32s the main thread watches (see `watchLane` in the pool): the index of the file the lane
   * is on plus one (0: none), and how many files it has started.
   */
  watch: SharedArrayBuffer;
}

/** What a worker lane posts: the outcomes of the files it has done, by index, a few at a time; then `done`. */
export type LaneMessage = { outcomes: [number, PostedOutcome][] } | { done: true };

/**
 * A lane posts its outcomes once it holds this many, or this much JSON (each message costs the main
 * thread a wake-up). Each message is one pack, decompressed whole when the facts are parsed: at 64 K
 * characters the 20,000-file corpus peaked at 274–279 MiB, at 512 K at 278–291 (the C library keeps
 * more of what larger buffers leave behind).
 */
const POST_FILES = 32;
const POST_CHARS = 64 * 1024;

/**
 * Brotli at quality 1: on the synthetic corpus's facts, a tenth of their UTF-8 at about 800 MB/s, and
 * 1,000 MB/s back (deflate at level 1: an eighth, at 430 and 950 MB/s). A window of 64 KiB, the size
 * of a pack: the decoder's buffers are sized by it.
 */
const PACK_OPTIONS = { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 1, [zlibConstants.BROTLI_PARAM_LGWIN]: 16 } };

/**
 * The facts of `outcomes`, in one message: their UTF-8, compressed, in one buffer whose ownership moves
 * to the main thread. Not as strings: the main thread then holds them outside its heap, so they neither
 * pass through its young generation nor grow its old one (on the reference repository its heap grew by
 * 20 MB during extraction with strings, not at all with buffers). Compressed: until the workers are gone
 * the main thread holds the facts of every file, 3.7 KB a file as UTF-8 (74 MB at 20,000 files), a
 * tenth of that compressed (see docs/performance.md).
 */
export function packOutcomes(outcomes: [number, PostedOutcome][]): ArrayBuffer | null {
  let size = 0;
  for (const [, outcome] of outcomes) if (outcome.kind === 'facts' && typeof outcome.json === 'string') size += Buffer.byteLength(outcome.json);
  if (size === 0) return null;
  const bytes = new Uint8Array(size);
  const pack: Pack = { compressed: bytes };
  let at = 0;
  let chars = 0;
  for (const [, outcome] of outcomes) {
    if (outcome.kind !== 'facts' || typeof outcome.json !== 'string') continue;
    at += encoder.encodeInto(outcome.json, bytes.subarray(at)).written;
    const start = chars;
    chars += outcome.json.length;
    outcome.json = { pack, start, end: chars };
  }
  // A buffer of its own, of its exact length: what zlib returns may be part of a larger one, which a transfer would take whole.
  const own = new Uint8Array(brotliCompressSync(bytes, PACK_OPTIONS));
  pack.compressed = own;
  return own.buffer;
}

/** Claims the next file of `queue`: its position in the queue, or null when none is left. */
function claim(files: QueueFiles, next: Int32Array, queue: number): number | null {
  const k = Atomics.add(next, queue, 1);
  return k < files.indices.length ? k : null;
}

/** A worker thread's lane: claims the next unclaimed file of its own queues until none is left. */
export async function runLane(data: LaneData): Promise<void> {
  const next = new Int32Array(data.next);
  const watch = new Int32Array(data.watch);
  // The last try posts every file at once: a thread that dies must not take finished files with it.
  const postFiles = data.settings.lastTry ? 1 : POST_FILES;
  let held: [number, PostedOutcome][] = [];
  let chars = 0;
  const post = (): void => {
    if (held.length > 0) {
      const packed = packOutcomes(held);
      data.port.postMessage({ outcomes: held } satisfies LaneMessage, packed === null ? [] : [packed]);
    }
    held = [];
    chars = 0;
  };
  try {
    for (const queue of data.own) {
      const files = data.files[queue];
      if (files === null) continue;
      for (let k = claim(files, next, queue); k !== null; k = claim(files, next, queue)) {
        const index = files.indices[k];
        Atomics.store(watch, 0, index + 1);
        Atomics.add(watch, 1, 1);
        const outcome = await processFile(queueItem(files, k), data.settings);
        Atomics.store(watch, 0, 0);
        held.push([index, outcome]);
        chars += outcome.kind === 'facts' && typeof outcome.json === 'string' ? outcome.json.length : 0;
        if (held.length >= postFiles || chars >= POST_CHARS) post();
      }
    }
    post();
    data.port.postMessage({ done: true } satisfies LaneMessage);
  } finally {
    data.port.close();
  }
}
