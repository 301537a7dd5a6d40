// Names of constant-time comparison helpers, shared by the TS/JS and Python extractors.

/**
 * A function that compares two secrets in constant time, by its (last) name: `safeEqual`,
 * `secureCompare`, `timingSafeCompare`, `constant_time_compare`, `safe_str_cmp`, `tsscmp`. A call of
 * one with a request value and a configured secret is a comparison like `===`.
 */
export const COMPARE_HELPER = /^(?:(?:safe|secure|timing_?safe|constant_?time|const_?time)_?(?:str_?|string_?)?(?:equals?|compare|cmp|eq)|t?scmp)$/i;
