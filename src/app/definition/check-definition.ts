/**
 * Checks on a whole application that no single field shows, made when the definition is loaded, so that
 * `validate` refuses everything `run` would refuse (both load through here): SQL that holds no statement, an
 * output naming a stream the SQL never creates, an unsafe key prefix, a reference file or a preprocessor module
 * that does not exist. Each error is placed at the field (or file, or option) it came from.
 */
import { existsSync, statSync } from 'node:fs';
import { ConfigError } from '../../errors.js';
import { parseScript, tokenize } from '../../sql/index.js';
import type { ApplicationDefinition } from '../../spec/app-definition.js';
import type { DefinitionSites } from './definition-sites.js';

/** KDA's stream of rows that failed; every application has it. */
const ERROR_STREAM = 'error_stream';

export function checkDefinition(def: ApplicationDefinition, sites: DefinitionSites): void {
  checkSql(def, sites);
  def.outputs.forEach((o, i) => {
    const prefixSite = sites.outputPrefixes[i];
    if (prefixSite && (o.prefix.startsWith('/') || o.prefix.split('/').some((s) => s === '..' || s === '.'))) {
      throw prefixSite(`a key prefix must be relative and hold no '.' or '..' segments; received '${o.prefix}'`);
    }
  });
  def.references.forEach((r, i) => {
    if (r.location.startsWith('s3://')) return;
    if (!existsSync(r.location) || !statSync(r.location).isFile()) {
      throw sites.referenceLocations[i](`the data file of reference table ${r.tableName} does not exist: ${r.location}`);
    }
  });
  const p = def.input.preprocessor;
  if (p.type === 'module' && !existsSync(p.path)) {
    const site = sites.preprocessorModule;
    const message = `the preprocessor module does not exist: ${p.path}`;
    throw site ? site(message) : new ConfigError('input.preprocessor', message);
  }
}

function checkSql(def: ApplicationDefinition, sites: DefinitionSites): void {
  let tokens;
  try {
    tokens = tokenize(def.sql);
  } catch {
    // A lexical error is the SQL compiler's to report, with its own position.
    return;
  }
  if (tokens.every((t) => t.kind === 'eof')) {
    throw sites.sql(def.sql.trim() === '' ? 'the application SQL is empty: nothing can come out of it' : 'the application SQL holds only comments: nothing can come out of it');
  }
  let created: Set<string>;
  try {
    created = new Set(parseScript(def.sql).statements.flatMap((s) => (s.kind === 'CreateStream' ? [s.name.name] : [])));
  } catch {
    return;
  }
  created.add(`${def.input.namePrefix}_001`);
  def.outputs.forEach((o, i) => {
    if (o.stream === ERROR_STREAM || created.has(o.stream)) return;
    const named = [...created].map((s) => `"${s}"`).join(', ');
    const hint = [...created].find((s) => s.toUpperCase() === o.stream.toUpperCase());
    throw sites.outputStreams[i](
      `the SQL creates no stream "${o.stream}", so this output would never receive a row${hint ? ` (stream names are case-sensitive: the SQL creates "${hint}")` : ''}; the SQL's streams are ${named}, and ${ERROR_STREAM}`,
    );
  });
}
