/**
 * Loads an application from any accepted form: the project's own definition (YAML or JSON, a file or a
 * directory holding `application.yaml`), a CloudFormation template with a KDA application (V1, or V2 with the
 * SQL runtime), describe-application JSON (V1 or V2), or a Terraform file with an
 * `aws_kinesis_analytics_application`. Every form then goes through the same whole-application checks.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../errors.js';
import type { ApplicationDefinition } from '../../spec/app-definition.js';
import { checkDefinition } from './check-definition.js';
import { isCloudFormationTemplate, readCloudFormation } from './cloudformation-import.js';
import { optionSite, type ReadDefinition } from './definition-sites.js';
import { importOutput } from './kda-application-parts.js';
import { isDescribeApplication, readDescribeApplication } from './describe-application-import.js';
import type { ImportOptions } from './import-options.js';
import { readOwnDefinition } from './own-definition.js';
import { SourceDocument } from './source-document.js';
import { isTerraformFile, readTerraform } from './terraform-import.js';

/** File names looked for when the application is given as a directory. */
export const DEFINITION_FILE_NAMES = ['application.yaml', 'application.yml', 'application.json'] as const;

/**
 * @example
 * const app = loadApplicationDefinition('examples/ticker');
 * app.outputs[0].destination // { type: 'local', path: 'output/analytics-bucket' }
 */
export function loadApplicationDefinition(path: string, options: ImportOptions = {}): ApplicationDefinition {
  const file = resolveDefinitionFile(path);
  const { definition, sites } = addCommandLineOutputs(readDefinition(file, options), options);
  checkDefinition(definition, sites);
  return definition;
}

function readDefinition(file: string, options: ImportOptions): ReadDefinition {
  if (isTerraformFile(file)) return readTerraform(file, options);
  const src = SourceDocument.read(file);
  if (isCloudFormationTemplate(src.value)) return readCloudFormation(src, options);
  if (isDescribeApplication(src.value)) return readDescribeApplication(src, options);
  return applyOverrides(readOwnDefinition(src), options);
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

/** KDA's limit of outputs (destinations) per application; an error_stream output is one of them. */
export const MAX_OUTPUTS = 3;

/**
 * `--output STREAM=dest` for a stream the application delivers nowhere adds an output, so that a stream (the
 * error_stream of a template, say) can be watched without editing the application; the whole-application check
 * then refuses a stream the SQL never creates, naming the option. `--include-rowtime STREAM` marks an output.
 */
function addCommandLineOutputs({ definition: def, sites }: ReadDefinition, o: ImportOptions): ReadDefinition {
  const declared = new Set(def.outputs.map((out) => out.stream));
  const added = Object.keys(o.destinations ?? {}).filter((stream) => !declared.has(stream));
  const outputs = [...def.outputs, ...added.map((stream) => importOutput(stream, 'JSON', o))];
  if (outputs.length > MAX_OUTPUTS) {
    throw new ConfigError(
      `--output ${added[0]}`,
      `the application would have ${outputs.length} outputs (${outputs.map((out) => out.stream).join(', ')}); KDA allows at most ${MAX_OUTPUTS} per application, error_stream included`,
    );
  }
  const withRowtime = new Set(o.includeRowtime ?? []);
  for (const stream of withRowtime) {
    if (!outputs.some((out) => out.stream === stream)) {
      throw new ConfigError(`--include-rowtime ${stream}`, `no output delivers the stream "${stream}"; the outputs are ${outputs.map((out) => `"${out.stream}"`).join(', ') || 'none'}`);
    }
  }
  return {
    definition: { ...def, outputs: outputs.map((out) => (withRowtime.has(out.stream) ? { ...out, includeRowtime: true } : out)) },
    sites: {
      ...sites,
      outputStreams: [...sites.outputStreams, ...added.map((stream) => optionSite(`--output ${stream}`))],
      outputPrefixes: [...sites.outputPrefixes, ...added.map(() => undefined)],
    },
  };
}

/** Command-line options also override the project's own form (e.g. `--source` for a definition file). */
function applyOverrides({ definition: def, sites }: ReadDefinition, o: ImportOptions): ReadDefinition {
  const definition: ApplicationDefinition = {
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
  return {
    definition,
    sites: {
      ...sites,
      referenceLocations: def.references.map((r, i) => (o.references?.[r.tableName] !== undefined ? optionSite(`--reference ${r.tableName}`) : sites.referenceLocations[i])),
      preprocessorModule: o.preprocessor !== undefined ? optionSite('--preprocessor') : sites.preprocessorModule,
    },
  };
}
