// The WebSocket endpoints table of the result: where each endpoint is, how its token arrives, how it is checked, the verdict.
import type { ModelWsEndpoint } from '../model/types.js';
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
    verdict: e.verdict,
  }));
}
