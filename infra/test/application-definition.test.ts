import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadApplicationDefinition, streamsCreatedBy } from '../lib/application-definition.js';
import { fixtureAppDir } from './support/test-app.js';

describe('application definition', () => {
  it('loads the SQL and the input schema of a folder', () => {
    const app = loadApplicationDefinition(fixtureAppDir);
    expect(app.sql).toMatch(/CREATE OR REPLACE PUMP "STREAM_PUMP"/);
    expect(app.input.columns.map((c) => c.name)).toEqual(['TICKER_SYMBOL', 'SECTOR', 'CHANGE', 'PRICE']);
  });

  it('fails clearly when the folder or a file is missing, or the schema is not JSON', () => {
    expect(() => loadApplicationDefinition('no/such/app', 'applicationPath', '/tmp'))
      .toThrow('applicationPath: the application folder "no/such/app" does not exist (resolved to /tmp/no/such/app); expected a folder holding application.sql and input-schema.json');
    const dir = mkdtempSync(join(tmpdir(), 'app-'));
    writeFileSync(join(dir, 'application.sql'), 'CREATE STREAM s (a INT);');
    expect(() => loadApplicationDefinition(dir)).toThrow(/applicationPath: the application folder .* has no input-schema.json/);
    writeFileSync(join(dir, 'input-schema.json'), '{ "format": "JSON", ');
    expect(() => loadApplicationDefinition(dir)).toThrow(/applicationPath\/input-schema.json: is not valid JSON/);
    writeFileSync(join(dir, 'input-schema.json'), '{ "format": "XML", "columns": [] }');
    expect(() => loadApplicationDefinition(dir)).toThrow('applicationPath/input.format: must be "JSON" or "CSV". Received "XML"');
  });

  it('finds the streams the SQL creates as KDA names them, ignoring comments and strings', () => {
    const sql = `
      -- CREATE STREAM commented_out (a INT);
      CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (a INT);
      create stream anomalies (b INT); /* CREATE STREAM hidden (c INT); */
      CREATE PUMP p AS INSERT INTO anomalies SELECT STREAM 'CREATE STREAM fake' FROM x;
      CREATE STREAM "Mixed""Case" (d INT);`;
    expect(streamsCreatedBy(sql)).toEqual(['DESTINATION_SQL_STREAM', 'ANOMALIES', 'Mixed"Case']);
  });
});
