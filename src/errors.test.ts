import { describe, expect, it } from 'vitest';
import { ConfigError, describeError, InternalError, PlanError, SqlSyntaxError, unhandledKind } from './errors.js';

describe('typed errors carry their context as fields', () => {
  it('a SQL error keeps its detail, line and column apart; locating it in a file leaves the message as it was', () => {
    const e = new PlanError('unknown column TICKR', { line: 3, column: 17 });
    expect([e.name, e.detail, e.line, e.column, e.message]).toEqual(['PlanError', 'unknown column TICKR', 3, 17, 'line 3, column 17: unknown column TICKR']);
    expect(describeError(e)).toBe('line 3, column 17: unknown column TICKR');
    e.locate({ file: 'app.yaml', line: 30, column: 9 });
    expect(e.message).toBe('line 3, column 17: unknown column TICKR');
    expect(describeError(e)).toBe('app.yaml:30:9: line 3, column 17: unknown column TICKR');
  });

  it('a configuration error names its field in the message and its file position only in describeError', () => {
    const e = new ConfigError('input.format', 'must be one of "JSON", "CSV"', { location: { file: 'a.yaml', line: 4 } });
    expect([e.field, e.detail, e.message]).toEqual(['input.format', 'must be one of "JSON", "CSV"', 'input.format: must be one of "JSON", "CSV"']);
    expect(describeError(e)).toBe('a.yaml:4: input.format: must be one of "JSON", "CSV"');
    expect(new SqlSyntaxError("unknown SQL type 'FOO'").message).toBe("unknown SQL type 'FOO'");
  });

  it('an internal error says it is a bug, also when a switch meets a kind it does not handle', () => {
    expect(new InternalError('x').message).toMatch(/^internal error \(a bug in streaming-analytics, please report it\): x$/);
    expect(() => unhandledKind('plan node', { kind: 'Nope' } as never)).toThrow(/a bug .*no handler for plan node "Nope"/);
  });
});
