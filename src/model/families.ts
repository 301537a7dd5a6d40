// Secret families: one family per token, from the names its signers and verifiers use; the canonical name and why.
import { compileGlob } from '../util/glob.js';
import type { ResolvedFamily } from '../config/schema.js';
import { compareText } from '../util/order.js';
import { keyIdentity, PAIR_WORDS } from './query.js';
import type { ModelEnvRead, ModelFamily, ModelJwtOp, ModelProvision, ModelSecretUse } from './types.js';

export interface FamilyInput {
  /** Configured families with defaults applied, `jwt` first. */
  configured: [string, ResolvedFamily][];
  envReads: ModelEnvRead[];
  jwtOps: ModelJwtOp[];
  /** Service-secret uses (HMAC keys, request comparisons, credential headers). */
  secretUses: ModelSecretUse[];
  provisions: ModelProvision[];
  /** Whether a file is tooling (scripts, docs, examples…): its reads and operations never define a family. */
  isTooling(path: string): boolean;
}

export interface FamilyResult {
  families: ModelFamily[];
  /** The family of an env name or dynamic pattern, and whether data flow or only the name put it there. */
  familyOf: (label: string) => { family: string; by: 'dataflow' | 'name' } | null;
  /** A read of a generic family name in a service where no secret operation reaches that name: not the family's secret. */
  outside: (read: ModelEnvRead) => boolean;
}

function isPairHalf(name: string): boolean {
  return name
    .toUpperCase()
    .split(/[^A-Z0-9*]+/)
    .some((w) => PAIR_WORDS.has(w));
}

class UnionFind {
  private readonly parent = new Map<string, string>();

  find(x: string): string {
    let root = this.parent.get(x) ?? x;
    if (root !== x) {
      root = this.find(root);
      this.parent.set(x, root);
    }
    return root;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
}

interface Component {
  names: Set<string>;
  signers: ModelJwtOp[];
  verifiers: ModelJwtOp[];
  uses: ModelSecretUse[];
  /** Operations whose key mixes per-object data with the secret: a token of its own, named after the secret. */
  perObject?: boolean;
}

/** A component with a JWT operation is a token; one only secret uses reach is a service secret. */
const isToken = (c: Component): boolean => c.signers.length + c.verifiers.length > 0;

const verifies = (op: ModelJwtOp): boolean => op.op === 'verify' || op.op === 'configure';

/** The env names and dynamic patterns an operation's (or use's) key tries, in order. */
function namesOf(op: { secret: ModelJwtOp['secret'] }): string[] {
  return op.secret ? op.secret.chain.filter((c) => !c.startsWith('«')) : [];
}

function words(name: string): Set<string> {
  return new Set(
    keyIdentity(name)
      .split('_')
      .filter((w) => w.length > 1 && w !== '*'),
  );
}

/** How many words two families' names share (ignoring key-pair words). */
function similarity(a: Iterable<string>, b: Iterable<string>): number {
  const wa = new Set([...a].flatMap((n) => [...words(n)]));
  let score = 0;
  for (const w of new Set([...b].flatMap((n) => [...words(n)]))) if (wa.has(w)) score++;
  return score;
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'secret'
  );
}

/**
 * Builds one family per token. Names an operation tries in one chain belong together (data flow),
 * as do the private and public halves of one key pair. A family with a signer is a token of this
 * repository; a family only verifiers use joins the signing family its names resemble when it looks
 * like the same kind of secret (a JWT name, or a literal key), else it stays apart (signed elsewhere).
 * Reads that reach no operation join by their name only (lower precision). Tooling never defines a
 * family. The `jwt` family is the configured canonical's, else the token both signed and verified the
 * most; a configured family with name patterns claims the names it matches.
 */
export function buildFamilies(input: FamilyInput): FamilyResult {
  const [jwtId, jwtFamily] = input.configured[0] ?? ['jwt', { namePatterns: [], dataflow: true }];
  const jwtPattern = compileGlob(jwtFamily.namePatterns.length > 0 ? jwtFamily.namePatterns : ['*JWT*SECRET*', '*JWT*KEY*'], { nocase: true });
  const claimers = input.configured
    .slice(1)
    .filter(([, f]) => f.namePatterns.length > 0)
    .map(([id, f]) => ({ id, family: f, match: compileGlob(f.namePatterns, { nocase: true }) }));
  const claimedBy = (name: string): string | null => claimers.find((c) => c.match(name.replace(/\*/g, '')))?.id ?? null;

  const ops = input.jwtOps.filter(
    (op) => op.op !== 'decode-unverified' && op.key !== null && !input.isTooling(op.file) && op.slotted !== true && op.wrapped !== true && op.inert !== true,
  );
  // A key made per object from the secret (`f"{view.slug}-{SECRET_KEY}"`) is another token: it neither joins nor splits the secret's family.
  const perObjectOps = ops.filter((op) => op.secret?.mixed !== undefined);
  const sharedOps = ops.filter((op) => op.secret?.mixed === undefined);
  // A registration (`JwtModule.register({secret})`) signs only where its service also signs tokens; else it only verifies.
  const servicesThatSign = new Set(input.jwtOps.filter((op) => op.op === 'sign' && !input.isTooling(op.file)).map((op) => op.service));
  const signs = (op: ModelJwtOp): boolean => op.op === 'sign' || (op.op === 'configure' && servicesThatSign.has(op.service));
  const uf = new UnionFind();
  const allNames = new Set<string>();
  const uses = input.secretUses.filter((u) => !input.isTooling(u.file));
  for (const op of [...sharedOps, ...uses]) {
    const names = namesOf(op).filter((n) => claimedBy(n) === null);
    for (const n of names) allNames.add(n);
    for (let i = 1; i < names.length; i++) uf.union(names[0], names[i]);
  }
  // A header carries one secret from its senders to its checkers: the names either side uses belong together.
  const byHeader = new Map<string, string>();
  for (const use of uses) {
    const first = namesOf(use).find((n) => claimedBy(n) === null);
    if (use.header === undefined || first === undefined) continue;
    const header = use.header.toLowerCase();
    const other = byHeader.get(header);
    if (other !== undefined) uf.union(other, first);
    else byHeader.set(header, first);
  }
  // A registry slot holds one key per process: the names services store in it are one token's.
  const bySlot = new Map<string, string>();
  for (const op of ops) {
    const first = op.via ? namesOf(op).find((n) => claimedBy(n) === null) : undefined;
    if (!op.via || first === undefined) continue;
    const other = bySlot.get(op.via.slot);
    if (other !== undefined) uf.union(other, first);
    else bySlot.set(op.via.slot, first);
  }
  const byIdentity = new Map<string, string>();
  for (const n of [...allNames].sort(compareText)) {
    if (!isPairHalf(n)) continue;
    const id = keyIdentity(n);
    const other = byIdentity.get(id);
    if (other !== undefined) uf.union(other, n);
    else byIdentity.set(id, n);
  }

  const components = new Map<string, Component>();
  const componentOf = (name: string): Component => {
    const root = uf.find(name);
    let c = components.get(root);
    if (!c) {
      c = { names: new Set(), signers: [], verifiers: [], uses: [] };
      components.set(root, c);
    }
    return c;
  };
  const nameless: ModelJwtOp[] = [];
  for (const n of allNames) componentOf(n).names.add(n);
  for (const op of sharedOps) {
    const first = namesOf(op).find((n) => claimedBy(n) === null);
    if (first === undefined) {
      if (namesOf(op).length === 0 && op.secret && (op.secret.literal || op.secret.constantDerived)) nameless.push(op);
      continue;
    }
    const c = componentOf(first);
    if (signs(op)) c.signers.push(op);
    if (verifies(op)) c.verifiers.push(op);
  }
  for (const use of uses) {
    const first = namesOf(use).find((n) => claimedBy(n) === null);
    if (first !== undefined) componentOf(first).uses.push(use);
  }

  // Verifier-only families that look like the same kind of secret join the signing family they resemble most.
  const all = [...components.values()];
  const signing = all.filter((c) => c.signers.length > 0);
  for (const c of all.filter((x) => x.signers.length === 0 && isToken(x))) {
    if (![...c.names].some((n) => jwtPattern(n.replace(/\*/g, '')))) continue;
    const target = attachTarget(signing, c.names);
    if (!target) continue;
    for (const n of c.names) target.names.add(n);
    target.verifiers.push(...c.verifiers);
    c.names.clear();
    c.verifiers = [];
  }
  // Literal or constant keys: verifiers join the only signing family; signers stay with their verifiers' family.
  for (const op of nameless) {
    const target = signing.length === 1 ? signing[0] : null;
    if (!target) continue;
    if (verifies(op)) target.verifiers.push(op);
  }
  const perObject = new Map<string, Component>();
  for (const op of perObjectOps) {
    const first = namesOf(op).find((n) => claimedBy(n) === null);
    if (first === undefined) continue;
    let c = perObject.get(first);
    if (!c) {
      c = { names: new Set([first]), signers: [], verifiers: [], uses: [], perObject: true };
      perObject.set(first, c);
      all.push(c);
    }
    if (signs(op)) c.signers.push(op);
    if (verifies(op)) c.verifiers.push(op);
  }
  const tokens = all.filter((c) => c.names.size > 0 && isToken(c));
  // A service secret is one this repository also checks (a comparison or an HMAC); credentials only sent out are a third party's.
  const services = all
    .filter((c) => c.names.size > 0 && !isToken(c) && c.uses.some((u) => u.kind !== 'header'))
    .sort((a, b) => b.uses.length - a.uses.length || compareText(firstName(a), firstName(b)));

  // Which token is `jwt`: the configured canonical's; else signed and verified, most operations, JWT-like name.
  const rank = (c: Component): number[] => [
    jwtFamily.canonical !== undefined && c.names.has(jwtFamily.canonical) ? 1 : 0,
    c.signers.length > 0 && c.verifiers.length > 0 ? 1 : 0,
    c.verifiers.length > 0 ? 1 : 0,
    [...c.names].some((n) => jwtPattern(n)) ? 1 : 0,
    c.signers.length + c.verifiers.length,
  ];
  const ordered = [...tokens].sort((a, b) => {
    if ((a.perObject === true) !== (b.perObject === true)) return a.perObject === true ? 1 : -1;
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return rb[i] - ra[i];
    return compareText(firstName(a), firstName(b));
  });

  // Names read without reaching an operation: by exact name, by key identity, else by the family patterns.
  const dataflowFamily = new Map<string, string>();
  const draft: { id: string; component: Component; configured?: ResolvedFamily }[] = [];
  const used = new Set<string>([jwtId, ...input.configured.map(([id]) => id)]);
  // A token signed for a third party (never verified here, no JWT-like name) is not `jwt` when JWT-like names are read elsewhere.
  const top = ordered[0] as Component | undefined;
  const jwtNamesElsewhere = input.envReads.some((r) => {
    const label = r.name ?? r.pattern;
    return label !== null && !allNames.has(label) && !input.isTooling(r.file) && jwtPattern(label.replace(/\*/g, ''));
  });
  const topIsJwt =
    top !== undefined && (rank(top)[0] === 1 || top.verifiers.length > 0 || [...top.names].some((n) => jwtPattern(n.replace(/\*/g, ''))) || !jwtNamesElsewhere);
  ordered.forEach((component, i) => {
    const isJwt = i === 0 && topIsJwt;
    let id = isJwt ? jwtId : slug(canonicalGuess(component));
    if (!isJwt) {
      const base = id;
      for (let k = 2; used.has(id); k++) id = `${base}-${k}`;
      used.add(id);
    }
    draft.push({ id, component, configured: isJwt ? jwtFamily : undefined });
    if (component.perObject === true) return;
    for (const n of component.names) dataflowFamily.set(n, id);
  });
  // Service secrets: the most-used one is `service` (unless configured otherwise), the rest named after their first name.
  services.forEach((component, i) => {
    let id = i === 0 && !used.has('service') ? 'service' : slug(canonicalGuess(component));
    const base = id;
    for (let k = 2; used.has(id); k++) id = `${base}-${k}`;
    used.add(id);
    draft.push({ id, component });
    for (const n of component.names) dataflowFamily.set(n, id);
  });
  // Where each name is reached by an operation or a use: a generic name elsewhere is another service's variable.
  const servicesOf = new Map<string, Set<string>>();
  for (const read of input.envReads) {
    const label = read.name ?? read.pattern;
    if (label === null || read.roles.length === 0) continue;
    const set = servicesOf.get(label) ?? new Set<string>();
    set.add(read.service ?? '');
    servicesOf.set(label, set);
  }
  const generic = new Set<ModelEnvRead>();
  const identityFamily = new Map<string, string>();
  for (const [name, id] of dataflowFamily) if (!identityFamily.has(keyIdentity(name))) identityFamily.set(keyIdentity(name), id);

  const nameFamily = new Map<string, string>();
  for (const read of input.envReads) {
    if (input.isTooling(read.file)) continue;
    const label = read.name ?? read.pattern;
    if (label === null || nameFamily.has(label)) continue;
    if (dataflowFamily.has(label)) {
      // A generic name (SECRET_KEY) read where no secret operation reaches it may hold another secret in that service.
      if (!jwtPattern(label.replace(/\*/g, '')) && read.roles.length === 0 && !servicesOf.get(label)?.has(read.service ?? '')) generic.add(read);
      continue;
    }
    const claimed = claimedBy(label);
    if (claimed !== null) {
      nameFamily.set(label, claimed);
      continue;
    }
    const viaIdentity = identityFamily.get(keyIdentity(label));
    if (viaIdentity !== undefined) nameFamily.set(label, viaIdentity);
    else if (jwtPattern(label.replace(/\*/g, ''))) nameFamily.set(label, jwtId);
  }

  const families: ModelFamily[] = [];
  const ids = new Set([...draft.map((d) => d.id), ...nameFamily.values()]);
  if (!ids.has(jwtId)) ids.add(jwtId);
  for (const id of [...ids].sort((a, b) => (a === jwtId ? -1 : b === jwtId ? 1 : compareText(a, b)))) {
    const d = draft.find((x) => x.id === id);
    const configured = input.configured.find(([cid]) => cid === id)?.[1];
    const dataflowNames = d ? [...d.component.names] : [];
    const nameOnly = [...nameFamily].filter(([, f]) => f === id).map(([n]) => n);
    const labels = [...new Set([...dataflowNames, ...nameOnly])];
    const names = labels.filter((l) => !l.includes('*')).sort(compareText);
    const patterns = labels.filter((l) => l.includes('*')).sort(compareText);
    const signers = d?.component.signers ?? [];
    const verifiers = d?.component.verifiers ?? [];
    const familyUses = d?.component.uses ?? [];
    const kind: ModelFamily['kind'] = d && !isToken(d.component) ? 'service' : 'token';
    const senders = kind === 'token' ? signers : familyUses.filter((u) => u.kind !== 'compare');
    const choice = chooseCanonical({
      names,
      configured: configured?.canonical,
      signers: senders,
      verb: kind === 'token' ? 'signs tokens with' : 'sends or keys its messages with',
      tail: kind === 'token' ? 'verifiers can converge on it without re-issuing tokens' : 'the services that check it can converge on it',
      reads: input.envReads.filter((r) => r.name !== null && names.includes(r.name) && !input.isTooling(r.file)),
      provisions: input.provisions,
    });
    families.push({
      id,
      names,
      patterns,
      canonical: choice.name,
      canonicalReason: choice.reason,
      canonicalWhy: choice.why,
      nameOnly: names.filter((n) => !dataflowNames.includes(n)).sort(compareText),
      kind,
      signers,
      verifiers,
      uses: familyUses,
    });
  }
  const labelFamily = new Map<string, { family: string; by: 'dataflow' | 'name' }>();
  for (const [n, id] of dataflowFamily) labelFamily.set(n, { family: id, by: 'dataflow' });
  for (const [n, id] of nameFamily) if (!labelFamily.has(n)) labelFamily.set(n, { family: id, by: 'name' });
  return { families, familyOf: (label) => labelFamily.get(label) ?? null, outside: (read) => generic.has(read) };
}

function firstName(c: Component): string {
  return [...c.names].sort(compareText)[0] ?? '';
}

/** Words that mark a refresh-token key: a verifier of bearer tokens checks access tokens, not these. */
const REFRESH = /(^|[^A-Z])REFRESH([^A-Z]|$)/i;

function attachTarget(signing: Component[], names: Set<string>): Component | null {
  if (signing.length === 1) return signing[0];
  // A verifier whose names say nothing of refresh tokens verifies access tokens: refresh-token families are not candidates.
  const refresh = [...names].some((n) => REFRESH.test(n));
  const candidates = refresh ? signing : signing.filter((s) => ![...s.names].every((n) => REFRESH.test(n)));
  if (candidates.length === 1) return candidates[0];
  let best: Component | null = null;
  let bestScore = 0;
  let tie = false;
  for (const s of candidates) {
    const score = similarity(s.names, names);
    if (score > bestScore) {
      best = s;
      bestScore = score;
      tie = false;
    } else if (score === bestScore && score > 0) tie = true;
  }
  return tie ? null : best;
}

/** The first name its signers try most often, else its first name: used to name a family. */
function canonicalGuess(c: Component): string {
  const counts = new Map<string, number>();
  for (const op of [...c.signers, ...c.uses]) {
    const first = namesOf(op)[0];
    if (first !== undefined) counts.set(first, (counts.get(first) ?? 0) + 1);
  }
  return mostCommon(counts) ?? firstName(c);
}

function mostCommon(counts: Map<string, number>): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const [name, count] of [...counts].sort((a, b) => compareText(a[0], b[0]))) {
    if (count > bestCount) {
      best = name;
      bestCount = count;
    }
  }
  return best;
}

/** A component that issues tokens by its name: an auth, account, identity or login service. */
function isIssuer(service: string): boolean {
  return /(^|[-_/.])(auth|accounts?|identity|iam|login|sso|oauth)([-_/.]|$)/i.test(service);
}

interface CanonicalInput {
  names: string[];
  configured: string | undefined;
  /** What defines the family's key: its signers (tokens) or the uses that send or key with it (service secrets). */
  signers: { secret: ModelJwtOp['secret']; service: string | null; via?: ModelJwtOp['via'] }[];
  /** How the signers use the name, for the sentence (`signs tokens with`). */
  verb: string;
  /** Why converging on the signers' name is cheapest, for the sentence. */
  tail: string;
  reads: ModelEnvRead[];
  provisions: ModelProvision[];
}

/**
 * The name a family converges on: the configured one; else the name its signers try first (most
 * often across signers, ties broken by which more deployments provide); else the name most
 * deployment environments provide; else the most-read name. Each with a one-sentence reason.
 */
function chooseCanonical(input: CanonicalInput): { name: string | null; reason: ModelFamily['canonicalReason']; why: string } {
  if (input.configured) return { name: input.configured, reason: 'configured', why: `${input.configured} is the canonical name set in the config.` };
  const provided = new Map<string, number>();
  for (const p of input.provisions) {
    if (!input.names.includes(p.name)) continue;
    provided.set(p.name, (provided.get(p.name) ?? 0) + 1);
  }
  const signerFirst = new Map<string, number>();
  const signerServices = new Map<string, Set<string>>();
  for (const op of input.signers) {
    const first = namesOf(op).find((n) => !n.includes('*') && input.names.includes(n));
    if (first === undefined) continue;
    signerFirst.set(first, (signerFirst.get(first) ?? 0) + 1);
    const services = signerServices.get(first) ?? new Set<string>();
    if (op.service) services.add(op.service);
    signerServices.set(first, services);
  }
  // Most signers first; a tie goes to the name more deployments provide, then to the name's order.
  let bySigner: string | null = null;
  for (const [name, count] of [...signerFirst].sort((a, b) => compareText(a[0], b[0]))) {
    const best = bySigner === null ? null : { count: signerFirst.get(bySigner) ?? 0, provided: provided.get(bySigner) ?? 0 };
    if (!best || count > best.count || (count === best.count && (provided.get(name) ?? 0) > best.provided)) bySigner = name;
  }
  // Services that store the key in a token library's registry slot under different names: none of them is the issuer, so the name more deployments already provide wins.
  const slotNames = [
    ...new Set(
      input.signers
        .filter((op) => op.via)
        .map((op) => namesOf(op).find((n) => input.names.includes(n)))
        .filter((n) => n !== undefined),
    ),
  ];
  if (slotNames.length > 1) {
    // The component that issues tokens (an auth or account service) decides, when exactly one name is its.
    const issuerNames = slotNames.filter((n) => [...(signerServices.get(n) ?? [])].some(isIssuer));
    if (issuerNames.length === 1) {
      const name = issuerNames[0];
      const who = [...(signerServices.get(name) ?? [])].filter(isIssuer).sort(compareText).join(', ');
      return {
        name,
        reason: 'signer',
        why: `${name} is the name the issuing service (${who}) stores for the token library's key, so the other services can converge on it without re-issuing tokens.`,
      };
    }
    const best = [...slotNames].sort(
      (a, b) => (provided.get(b) ?? 0) - (provided.get(a) ?? 0) || (signerFirst.get(b) ?? 0) - (signerFirst.get(a) ?? 0) || compareText(a, b),
    )[0];
    if ((provided.get(best) ?? 0) > 0) {
      const spread = slotNames
        .map((n) => `${n} in ${signerServices.get(n)?.size ?? 0}`)
        .sort(compareText)
        .join(', ');
      return {
        name: best,
        reason: 'deployments',
        why: `${best} is the name the most deployment files provide (${provided.get(best)}); the services that store the key in the token library's registry slot disagree (${spread} services), so converging on it changes the fewest deployments.`,
      };
    }
  }
  if (bySigner) {
    const who = [...(signerServices.get(bySigner) ?? [])].sort(compareText);
    const subject = who.length > 0 ? who.join(', ') : 'the signing code';
    const verb = who.length > 1 ? input.verb.replace(/^(\w+)s\b/, '$1').replace(/ or (\w+)s\b/, ' or $1') : input.verb;
    return { name: bySigner, reason: 'signer', why: `${bySigner} is the name ${subject} ${verb} first, so ${input.tail}.` };
  }
  const byDeployments = mostCommon(provided);
  if (byDeployments)
    return {
      name: byDeployments,
      reason: 'deployments',
      why: `${byDeployments} is the name the most deployment files provide (${provided.get(byDeployments)}), and no signer in the repository uses this family.`,
    };
  const readCounts = new Map<string, number>();
  for (const r of input.reads) if (r.name) readCounts.set(r.name, (readCounts.get(r.name) ?? 0) + 1);
  const byReads = mostCommon(readCounts);
  if (byReads)
    return {
      name: byReads,
      reason: 'most-read',
      why: `${byReads} is the most-read name of the family (${readCounts.get(byReads)} reads); no signer uses it and no deployment provides a family name.`,
    };
  return { name: null, reason: null, why: 'no canonical name could be chosen: set `canonical` for this family in the config.' };
}
