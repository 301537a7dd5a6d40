// The rule registry: every rule file in this folder, in id order (a catalog test keeps it complete).
import type { Rule } from '../src/rule-api.js';
import committedSecretValue from './committed-secret-value.js';
import dynamicSecretName from './dynamic-secret-name.js';
import forbiddenCrossServiceImport from './forbidden-cross-service-import.js';
import hardcodedJwtSecret from './hardcoded-jwt-secret.js';
import invalidSuppression from './invalid-suppression.js';
import secretFallbackChain from './secret-fallback-chain.js';
import secretNameSprawl from './secret-name-sprawl.js';
import secretProvidedNotRead from './secret-provided-not-read.js';
import secretReadNotProvided from './secret-read-not-provided.js';
import sharedImportsService from './shared-imports-service.js';
import signerVerifierMismatch from './signer-verifier-mismatch.js';
import unusedSuppression from './unused-suppression.js';
import unverifiedJwtDecode from './unverified-jwt-decode.js';
import wsClientSuppliedIdentity from './ws-client-supplied-identity.js';
import wsLongLivedDbSession from './ws-long-lived-db-session.js';
import wsNoAuth from './ws-no-auth.js';
import wsSecretMismatch from './ws-secret-mismatch.js';
import wsSharedConnectionState from './ws-shared-connection-state.js';
import wsTokenInQuery from './ws-token-in-query.js';

export const RULES: readonly Rule[] = [
  committedSecretValue,
  dynamicSecretName,
  forbiddenCrossServiceImport,
  hardcodedJwtSecret,
  invalidSuppression,
  secretFallbackChain,
  secretNameSprawl,
  secretProvidedNotRead,
  secretReadNotProvided,
  sharedImportsService,
  signerVerifierMismatch,
  unusedSuppression,
  unverifiedJwtDecode,
  wsClientSuppliedIdentity,
  wsLongLivedDbSession,
  wsNoAuth,
  wsSecretMismatch,
  wsSharedConnectionState,
  wsTokenInQuery,
];
