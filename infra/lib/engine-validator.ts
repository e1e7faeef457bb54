/**
 * The synth-time check of the application with the real runtime: the application is built exactly as the
 * analytics function builds it at its cold start (src/runtime's buildApplication: input mapping, SQL parsed,
 * planned and type-checked), so an invalid statement fails `cdk synth` with its line and column instead of
 * failing in Lambda after deployment.
 */
import { buildApplication } from '../../src/runtime/application-runtime.js';
import { DEFAULT_NAME_PREFIX } from '../../src/spec/app-definition.js';
import type { ApplicationValidator } from './application-definition.js';

export const validateWithEngine: ApplicationValidator = (application) => {
  const { input } = application;
  const built = buildApplication({ sql: application.sql, input: { ...input, namePrefix: input.namePrefix ?? DEFAULT_NAME_PREFIX } });
  return { streams: built.streams.map((s) => s.name) };
};
