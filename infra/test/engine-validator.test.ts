import { describe, expect, it } from 'vitest';
import { validateWithEngine } from '../lib/engine-validator.js';
import { loadApplicationDefinition } from '../lib/application-definition.js';
import { buildTestApp, fixtureAppDir, projectRoot } from './support/test-app.js';

describe('synth-time validation with the engine', () => {
  it('accepts the ticker example and reports the streams it creates', () => {
    const app = loadApplicationDefinition('examples/ticker', 'applicationPath', projectRoot);
    expect(validateWithEngine(app)).toEqual({ streams: ['DESTINATION_SQL_STREAM'] });
  });

  it('fails synth on invalid SQL, naming the line and column', () => {
    // GIVEN the fixture application with a misspelt keyword on its third line
    const good = loadApplicationDefinition(fixtureAppDir);
    const sql = 'CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (a INTEGER);\nCREATE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM"\nSELEKT STREAM 1 FROM "SOURCE_SQL_STREAM_001";';
    // WHEN the app is synthesized with the engine validator THEN synth fails with the position
    expect(() => buildTestApp({ application: { ...good, sql }, validateApplication: validateWithEngine })).toThrow(/application "ticker" is not valid: .*line 3, column 1/);
  });

  it('fails synth on a column the input schema does not have', () => {
    const good = loadApplicationDefinition(fixtureAppDir);
    const sql = good.sql.replace('AVG(price)', 'AVG(prise)');
    expect(() => buildTestApp({ application: { ...good, sql }, validateApplication: validateWithEngine })).toThrow(/not valid: line \d+, column \d+: .*PRISE/);
  });
});
