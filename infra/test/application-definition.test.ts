import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadApplicationDefinition, streamsCreatedBy } from '../lib/application-definition.js';
import { fixtureAppDir, projectRoot } from './support/test-app.js';

describe('application definition', () => {
  it('loads the SQL and the input schema of a folder', () => {
    const app = loadApplicationDefinition(fixtureAppDir);
    expect(app.sql).toMatch(/CREATE OR REPLACE PUMP "STREAM_PUMP"/);
    expect(app.input.columns.map((c) => c.name)).toEqual(['TICKER_SYMBOL', 'SECTOR', 'CHANGE', 'PRICE']);
  });

  it('fails clearly, naming the context field, when the application is missing or invalid', () => {
    expect(() => loadApplicationDefinition('no/such/app', 'applicationPath', '/tmp'))
      .toThrow(/^applicationPath: "no\/such\/app" \(resolved to \/tmp\/no\/such\/app\): .*no such file or directory$/);
    const dir = mkdtempSync(join(tmpdir(), 'app-'));
    expect(() => loadApplicationDefinition(dir)).toThrow(/applicationPath: .*holds none of application.yaml, application.yml, application.json/);
    writeFileSync(join(dir, 'application.yaml'), 'sql: x\ninput:\n  format: XML\n  columns: [{ name: A, sqlType: INTEGER }]\n');
    expect(() => loadApplicationDefinition(dir)).toThrow(/applicationPath: .*application.yaml:3:\d+: input.format: must be one of "JSON", "CSV"/);
  });

  it('reads the other application forms too: the seed-shaped CloudFormation template', () => {
    const app = loadApplicationDefinition('examples/kda-cloudformation/ticker-app.yaml', 'applicationPath', projectRoot);
    expect(app.input).toMatchObject({ format: 'JSON', recordRowPath: '$', namePrefix: 'SOURCE_SQL_STREAM' });
    expect(app.sql).toMatch(/GROUP BY TICKER_SYMBOL/);
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
