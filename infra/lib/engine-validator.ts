/**
 * The synth-time check of the application with the real engine: the SQL is parsed, planned and type-checked
 * against the input schema exactly as the analytics function will do it, so an invalid statement fails
 * `cdk synth` with its line and column instead of failing in Lambda after deployment.
 */
import { compileApplication } from '../../src/engine/index.js';
import { createInputDecoder } from '../../src/input/index.js';
import type { ApplicationValidator } from './application-definition.js';

export const validateWithEngine: ApplicationValidator = (application) => {
  const { input } = application;
  const decoder = createInputDecoder({ ...input, columns: input.columns.map((c) => ({ ...c })) });
  const compiled = compileApplication({
    sql: application.sql,
    inputs: [{ name: `${input.namePrefix ?? 'SOURCE_SQL_STREAM'}_001`, columns: decoder.columns.map((c) => ({ name: c.name, type: c.type })) }],
  });
  return { streams: compiled.streams.map((s) => s.name) };
};
