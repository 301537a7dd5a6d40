// Test helper: validates SARIF against the official 2.1.0 schema and GitHub code scanning's own rules (test/sarif/GITHUB-CODE-SCANNING.md §2, §8).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The official OASIS schema, vendored with its source note in test/sarif/README.md. */
export const SARIF_SCHEMA_PATH = path.resolve(repoRoot, 'test', 'sarif', 'sarif-schema-2.1.0.json');

/** GitHub code scanning limits (GITHUB-CODE-SCANNING.md §2). */
const GITHUB_LIMITS = {
  runs: 20,
  resultsPerRun: 25_000,
  rulesPerRun: 25_000,
  extensionsPerRun: 100,
  threadFlowLocations: 10_000,
  locationsPerResult: 1_000,
  tagsKept: 10,
  tagsMax: 20,
  ruleName: 255,
  description: 1024,
  gzipBytes: 10_000_000,
} as const;

// Both packages are CommonJS; under NodeNext their default import is `module.exports`, which also carries `.default`.
const Ajv04 = ajvDraft04.default;
const addFormats = ajvFormats.default;

let compiled: ValidateFunction | null = null;

function schemaValidator(): ValidateFunction {
  if (compiled === null) {
    const ajv = new Ajv04({ allErrors: true });
    addFormats(ajv);
    const schema = JSON.parse(readFileSync(SARIF_SCHEMA_PATH, 'utf8')) as object;
    compiled = ajv.compile(schema);
    return compiled;
  }
  return compiled;
}

/** Validates a parsed SARIF log against the official OASIS 2.1.0 (Errata 01) schema; returns problems. */
export function validateSarifSchema(log: unknown): string[] {
  const validate = schemaValidator();
  if (validate(log)) return [];
  return (validate.errors ?? []).map((error) => `schema: ${error.instancePath || '/'} ${error.message ?? 'invalid'}`);
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown): Json {
  return isRecord(value) ? value : {};
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

const LEVELS = new Set(['note', 'warning', 'error']);
const CWE_TAG = /^external\/cwe\/cwe-\d+$/;
const LINE_HASH = /^[0-9a-f]{1,16}:\d+$/;
const SECURITY_SEVERITY = /^\d+(\.\d+)?$/;
const EMBEDDED_LINK = /(?<!\\)\[((?:[^\]\\]|\\.)*)\]\((\d+)\)/g;

/**
 * Every GitHub-specific check of GITHUB-CODE-SCANNING.md §8 plus the §2 limits, which no schema
 * expresses. Returns a list of problems (empty = passes). `text` is the serialised log for the
 * gzip size check; without it the log is serialised here.
 */
export function checkGithubRules(log: unknown, text?: string): string[] {
  const problems: string[] = [];
  if (!isRecord(log)) return ['log: not a JSON object'];
  if (!nonEmptyString(log.$schema)) problems.push('log: missing $schema');
  if (log.version !== '2.1.0') problems.push(`log: version must be "2.1.0", got ${JSON.stringify(log.version)}`);
  if (!Array.isArray(log.runs)) return [...problems, "log: missing 'runs' array"];
  if (log.runs.length === 0) problems.push('log: no runs');
  if (log.runs.length > GITHUB_LIMITS.runs) problems.push(`log: ${log.runs.length} runs (max ${GITHUB_LIMITS.runs})`);

  const runKeys = new Set<string>();
  for (const [runIndex, runValue] of log.runs.entries()) {
    const at = `runs[${runIndex}]`;
    const run = record(runValue);
    const driver = record(record(run.tool).driver);
    const key = JSON.stringify([driver.name, driver.fullName, driver.version, driver.semanticVersion, driver.guid, record(run.automationDetails).id]);
    if (runKeys.has(key)) problems.push(`${at}: duplicate tool+category run key ${key}`);
    runKeys.add(key);
    checkRun(run, driver, at, problems);
  }

  const serialised = text ?? JSON.stringify(log);
  const gzipped = gzipSync(Buffer.from(serialised, 'utf8')).length;
  if (gzipped > GITHUB_LIMITS.gzipBytes) problems.push(`log: gzip size ${gzipped} exceeds ${GITHUB_LIMITS.gzipBytes}`);
  return problems;
}

function checkRun(run: Json, driver: Json, at: string, problems: string[]): void {
  if (!nonEmptyString(driver.name)) problems.push(`${at}.tool.driver: missing name`);
  const extensions = record(run.tool).extensions;
  if (Array.isArray(extensions) && extensions.length > GITHUB_LIMITS.extensionsPerRun) {
    problems.push(`${at}.tool.extensions: ${extensions.length} (max ${GITHUB_LIMITS.extensionsPerRun})`);
  }
  if (driver.informationUri !== undefined && !isHttpsUri(driver.informationUri)) {
    problems.push(`${at}.tool.driver.informationUri: not an absolute https URL`);
  }
  const automation = run.automationDetails;
  if (automation !== undefined && !nonEmptyString(record(automation).id)) {
    problems.push(`${at}.automationDetails: missing id`);
  }
  const baseIds = record(run.originalUriBaseIds);
  for (const [name, base] of Object.entries(baseIds)) {
    const uri = record(base).uri;
    if (uri !== undefined && !(typeof uri === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(uri) && uri.endsWith('/'))) {
      problems.push(`${at}.originalUriBaseIds.${name}: uri must be absolute and end with "/"`);
    }
  }

  const ruleIds: string[] = [];
  if (!Array.isArray(driver.rules)) {
    problems.push(`${at}.tool.driver: missing rules array`);
  } else {
    if (driver.rules.length > GITHUB_LIMITS.rulesPerRun) {
      problems.push(`${at}.tool.driver.rules: ${driver.rules.length} (max ${GITHUB_LIMITS.rulesPerRun})`);
    }
    for (const [index, rule] of driver.rules.entries()) {
      const id = checkRule(record(rule), `${at}.tool.driver.rules[${index}]`, problems);
      if (ruleIds.includes(id)) problems.push(`${at}.tool.driver.rules[${index}]: duplicate id ${id}`);
      ruleIds.push(id);
    }
  }

  if (!Array.isArray(run.results)) {
    problems.push(`${at}: missing 'results' array`);
    return;
  }
  if (run.results.length > GITHUB_LIMITS.resultsPerRun) {
    problems.push(`${at}.results: ${run.results.length} (max ${GITHUB_LIMITS.resultsPerRun})`);
  }
  let withSuppressions = 0;
  for (const [index, result] of run.results.entries()) {
    const value = record(result);
    if (value.suppressions !== undefined && value.suppressions !== null) withSuppressions++;
    checkResult(value, `${at}.results[${index}]`, ruleIds, baseIds, problems);
  }
  if (withSuppressions > 0 && withSuppressions < run.results.length) {
    problems.push(`${at}: suppressions must be all null or all non-null (${withSuppressions} of ${run.results.length} set)`);
  }

  if (Array.isArray(run.invocations)) {
    for (const [index, invocation] of run.invocations.entries()) {
      const notes = record(invocation).toolExecutionNotifications;
      if (!Array.isArray(notes)) continue;
      for (const [noteIndex, note] of notes.entries()) {
        if (!nonEmptyString(record(record(note).message).text)) {
          problems.push(`${at}.invocations[${index}].toolExecutionNotifications[${noteIndex}]: missing message.text`);
        }
      }
    }
  }
}

function checkRule(rule: Json, at: string, problems: string[]): string {
  const id = nonEmptyString(rule.id) ? rule.id : '';
  if (id === '') problems.push(`${at}: missing id`);
  if (rule.name !== undefined && !(nonEmptyString(rule.name) && rule.name.length <= GITHUB_LIMITS.ruleName)) {
    problems.push(`${at}: name must be a non-empty string of at most ${GITHUB_LIMITS.ruleName} characters`);
  }
  for (const field of ['shortDescription', 'fullDescription'] as const) {
    const value = record(rule[field]).text;
    if (!nonEmptyString(value)) problems.push(`${at}: missing ${field}.text`);
    else if (value.length > GITHUB_LIMITS.description) {
      problems.push(`${at}: ${field}.text is ${value.length} characters (max ${GITHUB_LIMITS.description})`);
    }
  }
  if (!nonEmptyString(record(rule.help).text)) problems.push(`${at}: missing help.text`);
  if (rule.helpUri !== undefined && !isHttpsUri(rule.helpUri)) problems.push(`${at}: helpUri is not an absolute https URL`);
  const level = record(rule.defaultConfiguration).level;
  if (level !== undefined && !(typeof level === 'string' && LEVELS.has(level))) {
    problems.push(`${at}: defaultConfiguration.level must be note, warning or error`);
  }
  const properties = record(rule.properties);
  const tags = properties.tags;
  const tagList = Array.isArray(tags) ? tags : [];
  if (tags !== undefined && !Array.isArray(tags)) problems.push(`${at}: properties.tags is not an array`);
  if (tagList.length > GITHUB_LIMITS.tagsKept) {
    problems.push(`${at}: ${tagList.length} tags (GitHub keeps ${GITHUB_LIMITS.tagsKept}, rejects over ${GITHUB_LIMITS.tagsMax})`);
  }
  for (const tag of tagList) {
    if (typeof tag !== 'string' || tag.length === 0) problems.push(`${at}: tag ${JSON.stringify(tag)} is not a non-empty string`);
    else if (/cwe/i.test(tag) && !CWE_TAG.test(tag)) problems.push(`${at}: CWE tag ${tag} must be lower-case external/cwe/cwe-N`);
  }
  const security = properties['security-severity'];
  if (security !== undefined) {
    if (typeof security !== 'string' || !SECURITY_SEVERITY.test(security)) {
      problems.push(`${at}: security-severity must be a numeric string, got ${JSON.stringify(security)}`);
    } else if (!(Number(security) > 0 && Number(security) <= 10)) {
      problems.push(`${at}: security-severity ${security} is outside (0, 10]`);
    }
    if (!tagList.includes('security')) problems.push(`${at}: a rule with security-severity needs the security tag`);
  }
  return id;
}

function checkResult(result: Json, at: string, ruleIds: string[], baseIds: Json, problems: string[]): void {
  const message = record(result.message);
  if (!nonEmptyString(message.text)) problems.push(`${at}: missing message.text`);
  if (!nonEmptyString(result.ruleId)) problems.push(`${at}: missing ruleId`);
  else if (!ruleIds.includes(result.ruleId)) problems.push(`${at}: ruleId ${result.ruleId} is not in rules`);
  if (result.ruleIndex !== undefined) {
    const index = result.ruleIndex;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= ruleIds.length) {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- shows whatever the SARIF file holds
      problems.push(`${at}: ruleIndex ${String(index)} is out of range`);
    } else if (ruleIds[index] !== result.ruleId) {
      problems.push(`${at}: ruleIndex ${index} points at ${ruleIds[index]}, not ${String(result.ruleId)}`);
    }
  }
  if (result.level !== undefined && !(typeof result.level === 'string' && LEVELS.has(result.level))) {
    problems.push(`${at}: level must be note, warning or error`);
  }

  const locations = Array.isArray(result.locations) ? result.locations : [];
  if (locations.length !== 1) problems.push(`${at}: ${locations.length} locations (emit exactly one)`);
  if (locations.length > GITHUB_LIMITS.locationsPerResult) {
    problems.push(`${at}: ${locations.length} locations (max ${GITHUB_LIMITS.locationsPerResult})`);
  }
  for (const [index, location] of locations.entries()) {
    checkLocation(record(location), `${at}.locations[${index}]`, baseIds, problems);
  }

  const relatedIds = new Set<number>();
  const related = Array.isArray(result.relatedLocations) ? result.relatedLocations : [];
  for (const [index, location] of related.entries()) {
    const value = record(location);
    if (typeof value.id === 'number') {
      if (relatedIds.has(value.id)) problems.push(`${at}.relatedLocations[${index}]: duplicate id ${value.id}`);
      relatedIds.add(value.id);
    }
    checkLocation(value, `${at}.relatedLocations[${index}]`, baseIds, problems);
  }
  if (typeof message.text === 'string') {
    for (const match of message.text.matchAll(EMBEDDED_LINK)) {
      if (!relatedIds.has(Number(match[2]))) {
        problems.push(`${at}: message links to related location ${match[2]}, which does not exist`);
      }
    }
  }

  const partial = record(result.partialFingerprints);
  const lineHash = partial.primaryLocationLineHash;
  if (lineHash !== undefined && !(typeof lineHash === 'string' && LINE_HASH.test(lineHash))) {
    problems.push(`${at}: primaryLocationLineHash ${JSON.stringify(lineHash)} does not match ${LINE_HASH.source}`);
  }

  const codeFlows = Array.isArray(result.codeFlows) ? result.codeFlows : [];
  for (const flow of codeFlows) {
    const threadFlows = record(flow).threadFlows;
    for (const thread of Array.isArray(threadFlows) ? threadFlows : []) {
      const steps = record(thread).locations;
      const list = Array.isArray(steps) ? steps : [];
      if (list.length > GITHUB_LIMITS.threadFlowLocations) {
        problems.push(`${at}: ${list.length} thread-flow locations (max ${GITHUB_LIMITS.threadFlowLocations})`);
      }
      for (const step of list) {
        if (record(step).location === undefined) problems.push(`${at}: thread-flow location is not inline`);
      }
    }
  }
}

function checkLocation(location: Json, at: string, baseIds: Json, problems: string[]): void {
  const physical = record(location.physicalLocation);
  const artifact = record(physical.artifactLocation);
  const uri = artifact.uri;
  if (!nonEmptyString(uri)) {
    problems.push(`${at}: missing physicalLocation.artifactLocation.uri`);
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('/') || uri.includes('\\') || uri.startsWith('./')) {
    problems.push(`${at}: uri ${uri} is not a repo-relative posix path`);
  } else if (/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/.test(uri) || /%(?![0-9A-Fa-f]{2})/.test(uri)) {
    problems.push(`${at}: uri ${uri} has characters that must be percent-encoded`);
  }
  if (artifact.uriBaseId !== undefined && !(typeof artifact.uriBaseId === 'string' && artifact.uriBaseId in baseIds)) {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- shows whatever the SARIF file holds
    problems.push(`${at}: uriBaseId ${String(artifact.uriBaseId)} is not declared in originalUriBaseIds`);
  }
  const region = record(physical.region);
  const startLine = region.startLine;
  if (!(typeof startLine === 'number' && Number.isInteger(startLine) && startLine >= 1)) {
    problems.push(`${at}: region.startLine must be an integer >= 1`);
    return;
  }
  const endLine = typeof region.endLine === 'number' ? region.endLine : startLine;
  if (endLine < startLine) problems.push(`${at}: region.endLine ${endLine} is before startLine ${startLine}`);
  const startColumn = typeof region.startColumn === 'number' ? region.startColumn : 1;
  if (endLine === startLine && typeof region.endColumn === 'number' && region.endColumn < startColumn) {
    problems.push(`${at}: region.endColumn ${region.endColumn} is before startColumn ${startColumn}`);
  }
}

function isHttpsUri(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}
