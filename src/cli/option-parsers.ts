/**
 * Parsers for option values, turning a bad value into a usage error that names the option.
 */
import { InvalidArgumentError } from 'commander';
import { parseDestination, type DestinationDefinition, type PreprocessorDefinition, type SourceDefinition } from '../app/definition/index.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `30s`, `5m`, `1h`, `500ms` or a number of seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`'${text}' is not a duration such as 30s, 5m, 1h or 500ms`);
  return Math.round(Number(m[1]) * UNITS[m[2] ?? 's']);
}

export function parsePositiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`'${text}' is not a positive whole number`);
  return n;
}

/** A number >= 0, e.g. a replay pace. */
export function parseNonNegativeNumber(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`'${text}' is not a number >= 0`);
  return n;
}

/** Collects repeated `KEY=VALUE` options into a record. */
export function collectKeyValue(text: string, previous: Record<string, string> = {}): Record<string, string> {
  const i = text.indexOf('=');
  if (i <= 0) throw new InvalidArgumentError(`'${text}' is not KEY=VALUE`);
  return { ...previous, [text.slice(0, i)]: text.slice(i + 1) };
}

/** `embedded`, `kinesis://stream-name` or `file://path` (NDJSON/CSV recording or stream dump). */
export function parseSource(text: string, endpoint?: string, region?: string): SourceDefinition {
  if (text === 'embedded') return { type: 'embedded' };
  const k = /^kinesis:(?:\/\/)?([a-zA-Z0-9_.-]{1,128})$/.exec(text);
  if (k) return { type: 'kinesis', streamName: k[1], ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}) };
  const f = /^file:(?:\/\/)?(.+)$/.exec(text);
  if (f) return { type: 'file', path: f[1] };
  throw new InvalidArgumentError(`'${text}' is not a source: use embedded, kinesis://<stream-name> or file://<path>`);
}

/** `none`, `kpl` or `module:<path>` (a module exporting a KDA preprocessing `handler`). */
export function parsePreprocessor(text: string): PreprocessorDefinition {
  if (text === 'none' || text === 'kpl') return { type: text };
  // The corrupt-aggregate policy, as the Lambda hosts' CORRUPT_AGGREGATES: `kpl` alone means kpl:fail.
  if (text === 'kpl:fail' || text === 'kpl:pass-through') return { type: 'kpl', corruptAggregates: text === 'kpl:fail' ? 'fail' : 'pass-through' };
  if (text.startsWith('module:') && text.length > 'module:'.length) return { type: 'module', path: text.slice('module:'.length) };
  throw new InvalidArgumentError(`'${text}' is not a preprocessor: use none, kpl, kpl:pass-through or module:<path>`);
}

/** `NAME=destination` pairs, each destination as parseDestination reads it. */
export function parseDestinations(pairs: Record<string, string>, s3Endpoint?: string): Record<string, DestinationDefinition> {
  const out: Record<string, DestinationDefinition> = {};
  for (const [name, dest] of Object.entries(pairs)) {
    try {
      const d = parseDestination(dest, `--output ${name}`);
      out[name] = d.type === 's3' && s3Endpoint ? { ...d, endpoint: s3Endpoint } : d;
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  }
  return out;
}
