// Name and text patterns the TS/JS and Python extractors share.

/**
 * A function that compares two secrets in constant time, by its (last) name: `safeEqual`,
 * `secureCompare`, `timingSafeCompare`, `constant_time_compare`, `safe_str_cmp`, `tsscmp`. A call of
 * one with a request value and a configured secret is a comparison like `===`.
 */
export const COMPARE_HELPER = /^(?:(?:safe|secure|timing_?safe|constant_?time|const_?time)_?(?:str_?|string_?)?(?:equals?|compare|cmp|eq)|t?scmp)$/i;

/** Names shaped like an environment variable: a member of an imported binding, or a literal passed to an imported function, is an env read only with such a name. */
export const ENV_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/** Argument text that can carry a key to a wrapper: the name of a secret, key, token, password or credential (or a getter of one). */
export const KEY_ARGUMENT = /secret|key|token|password|credential/i;
