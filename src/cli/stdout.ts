// Standard output for every command: ends quietly when the reader goes away (`| head`), fails with one line when it cannot be written (`> /dev/full`).

let closed = false;
let failure: string | null = null;

/**
 * Installs the handlers once per process. On EPIPE (or a stream already destroyed by it) the
 * remaining output is dropped and the command's own exit code stands; any other write error prints
 * one line on stderr and the process exits 2.
 */
export function guardStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (closed || error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      closed = true;
      return;
    }
    if (failure === null) {
      failure = error.code ?? error.message;
      process.stderr.write(`jwtfrag: cannot write to standard output (${failure})\n`);
    }
    process.exitCode = 2;
  });
  // Nothing is left to tell when stderr itself cannot be written.
  process.stderr.on('error', () => undefined);
  process.on('exit', () => {
    if (failure !== null) process.exitCode = 2;
  });
}

/** Writes to stdout unless the reader has gone away or a write already failed. */
export function writeStdout(text: string): void {
  if (closed || failure !== null || process.stdout.destroyed) return;
  process.stdout.write(text);
}
