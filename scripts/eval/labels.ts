// The real-world corpus contract: `eval/corpus.json` and one `eval/labels/<name>.json` per repository, as zod schemas.
import { z } from 'zod';

const RepositoryKind = z.enum(['reference', 'node', 'python', 'mixed', 'control']);

const CorpusEntrySchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case kebab-case'),
  repo: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'owner/name'),
  commit: z.string().regex(/^[0-9a-f]{40}$/, '40 hex digits'),
  kind: RepositoryKind,
  languages: z.array(z.enum(['python', 'typescript', 'javascript'])).min(1),
  why: z.string().min(10),
});

export const CorpusSchema = z.strictObject({
  $comment: z.string().optional(),
  repositories: z.array(CorpusEntrySchema).min(1),
});

const RuleId = z.string().regex(/^[a-z][a-z0-9-]*$/);
const RelPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'a repository-relative path');

/** A finding a careful reviewer must be told about. */
const ExpectedSchema = z.strictObject({
  rule: RuleId,
  file: RelPath,
  line: z.number().int().positive(),
  why: z.string().min(5),
  /** `code`: written from reading the code before any jwtfrag output; `review`: a true positive first seen in jwtfrag's output. */
  foundBy: z.enum(['code', 'review']).default('code'),
});

/** A look-alike that must not be reported at warning or above. */
const NotFindingSchema = z.strictObject({
  rule: RuleId,
  file: RelPath,
  line: z.number().int().positive().optional(),
  why: z.string().min(5),
});

/**
 * A verdict on a finding jwtfrag produced. With `line`, it covers the finding at that line (±2); without,
 * `file` may be a glob and the verdict covers every finding of the rule in the matching files.
 */
const ReviewedSchema = z.strictObject({
  rule: RuleId,
  file: z.string().min(1),
  line: z.number().int().positive().optional(),
  verdict: z.enum(['tp', 'fp', 'debatable']),
  reason: z.string().min(5),
});

const ModelLabelSchema = z.strictObject({
  /** Deployable services: name → folder (repo-relative, no trailing slash). */
  services: z.record(z.string(), z.string()).optional(),
  /** Folders that must never be services (tooling, tests, docs, libraries). */
  notServices: z.array(z.string()).optional(),
  /** Per family id: the name the team should converge on, and the names that belong to that token. */
  families: z
    .record(
      z.string(),
      z.strictObject({ canonical: z.string().nullable(), names: z.array(z.string()).optional(), why: z.string().optional() }),
    )
    .optional(),
});

export const LabelsSchema = z.strictObject({
  $comment: z.string().optional(),
  name: z.string(),
  /** A jwtfrag config the repository's owners would plausibly write; absent = zero config. */
  config: z.record(z.string(), z.unknown()).optional(),
  summary: z.string().optional(),
  model: ModelLabelSchema.optional(),
  expected: z.array(ExpectedSchema),
  notFindings: z.array(NotFindingSchema),
  reviewed: z.array(ReviewedSchema),
});

export type CorpusEntry = z.infer<typeof CorpusEntrySchema>;
export type Corpus = z.infer<typeof CorpusSchema>;
export type Labels = z.infer<typeof LabelsSchema>;
export type Expected = z.infer<typeof ExpectedSchema>;
export type NotFinding = z.infer<typeof NotFindingSchema>;
export type Reviewed = z.infer<typeof ReviewedSchema>;
