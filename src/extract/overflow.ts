// Recognises the JS engine running out of stack: input nested deeper than the current thread allows.

/** Whether an error is a stack overflow (the pool retries such a file on a thread with a larger stack). */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}
