/**
 * Loads an application from any accepted form: the project's own definition (YAML or JSON, a file or a
 * directory holding `application.yaml`), a CloudFormation template with a KDA application, or
 * describe-application JSON.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../errors.js';
import type { ApplicationDefinition } from '../../spec/app-definition.js';
import { isCloudFormationTemplate, readCloudFormation } from './cloudformation-import.js';
import { isDescribeApplication, readDescribeApplication } from './describe-application-import.js';
import type { ImportOptions } from './import-options.js';
import { readOwnDefinition } from './own-definition.js';
import { SourceDocument } from './source-document.js';

/** File names looked for when the application is given as a directory. */
export const DEFINITION_FILE_NAMES = ['application.yaml', 'application.yml', 'application.json'] as const;

/**
 * @example
 * const app = loadApplicationDefinition('examples/ticker');
 * app.outputs[0].destination // { type: 'local', path: 'output/analytics-bucket' }
 */
export function loadApplicationDefinition(path: string, options: ImportOptions = {}): ApplicationDefinition {
  const file = resolveDefinitionFile(path);
  const src = SourceDocument.read(file);
  if (isCloudFormationTemplate(src.value)) return readCloudFormation(src, options);
  if (isDescribeApplication(src.value)) return readDescribeApplication(src, options);
  const own = readOwnDefinition(src);
  return applyOverrides(own, options);
}

function resolveDefinitionFile(path: string): string {
  if (!existsSync(path)) throw new ConfigError('(file)', 'no such file or directory', { location: { file: path } });
  if (!statSync(path).isDirectory()) return path;
  for (const name of DEFINITION_FILE_NAMES) {
    const f = join(path, name);
    if (existsSync(f)) return f;
  }
  throw new ConfigError('(file)', `the directory holds none of ${DEFINITION_FILE_NAMES.join(', ')}`, { location: { file: path } });
}

/** Command-line options also override the project's own form (e.g. `--source` for a definition file). */
function applyOverrides(def: ApplicationDefinition, o: ImportOptions): ApplicationDefinition {
  return {
    ...def,
    input: {
      ...def.input,
      source: o.source ?? def.input.source,
      preprocessor: o.preprocessor ?? def.input.preprocessor,
      startingPosition: o.startingPosition ?? def.input.startingPosition,
    },
    references: def.references.map((r) => ({ ...r, location: o.references?.[r.tableName] ?? r.location })),
    outputs: def.outputs.map((out) => ({ ...out, destination: o.destinations?.[out.stream] ?? out.destination })),
  };
}
