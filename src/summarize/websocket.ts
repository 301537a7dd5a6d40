// The WebSocket endpoints table of the result: where each endpoint is, how its token arrives, how it is checked, the verdict.
import type { ModelWsEndpoint, WsSourceSite, WsVerification } from '../model/types.js';
import type { TokenSource } from '../vocabulary.js';
import type { WsEndpointRow } from './result.js';

/** The report's table rows, one per endpoint (sorted by file and line). */
export function wsEndpointRows(endpoints: readonly ModelWsEndpoint[]): WsEndpointRow[] {
  return endpoints.map((e) => ({
    service: e.service,
    file: e.file,
    loc: e.loc,
    framework: e.framework,
    path: e.fullPath,
    handler: e.handler,
    tokenSources: [...new Set(e.credentialSources.map((s) => s.source))].sort(),
    verification: e.verification,
    verifiedAt: e.verifyOps.map((op) => ({ file: op.file, loc: op.loc })),
    verdict: e.rejectsAll ? 'ok' : verdictOf(e.verification, e.credentialSources),
  }));
}

/** Sources that put the credential in the URL (query string or path). */
const URL_SOURCES = new Set<TokenSource>(['query', 'path']);

/** The table verdict: the most important problem of an endpoint, or `ok`. */
function verdictOf(verification: WsVerification, sources: WsSourceSite[]): WsEndpointRow['verdict'] {
  if (verification === 'none' && sources.length === 0) return 'no-auth';
  if (verification === 'unverified') return 'unverified';
  if (verification === 'none') return 'unknown';
  if (sources.some((s) => URL_SOURCES.has(s.source))) return 'token-in-query';
  return verification === 'unknown' ? 'unknown' : 'ok';
}
