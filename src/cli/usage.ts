// A user mistake on the command line (bad flag value, missing file): exit 2 with one line.
export class UsageError extends Error {}
