import { App, Aws, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { MSF_PROPERTY_LIMITS, SQL_PROPERTY_GROUP, sqlPropertyGroup, TOKEN_BUDGET_CHARS } from '../lib/flink-properties.js';

const parts = (sql: string) => Object.entries(sqlPropertyGroup(sql).propertyMap).sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);

describe('the script as MSF application properties', () => {
  it('puts a short script in one part of the SqlJob group', () => {
    expect(sqlPropertyGroup('SELECT 1;')).toEqual({ propertyGroupId: SQL_PROPERTY_GROUP, propertyMap: { 'sql.000': 'SELECT 1;' } });
  });

  it('cuts a long script into parts of at most 2048 characters that join back, never inside a surrogate pair', () => {
    const sql = `${'x'.repeat(2047)}😀${'y'.repeat(3000)}`;
    const p = parts(sql);
    expect(p.join('')).toBe(sql);
    for (const part of p) expect(part.length).toBeLessThanOrEqual(MSF_PROPERTY_LIMITS.valueChars);
    expect(p[0]).toBe('x'.repeat(2047));
    expect(p[1].startsWith('😀')).toBe(true);
  });

  it('never cuts a deploy-time value, and counts each at its longest possible length', () => {
    const stack = new Stack(new App(), 'S');
    const region = Aws.REGION;
    const sql = `${'a'.repeat(2000)}'${region}'${'b'.repeat(10)}'${region}'`;
    const p = parts(sql);
    expect(p.join('')).toBe(sql);
    // The first token would push the first part past the limit at its longest: it opens the second part whole.
    expect(p[0]).toBe(`${'a'.repeat(2000)}'`);
    expect(p[1].startsWith(region)).toBe(true);
    for (const part of p) {
      const tokens = part.match(/\$\{Token\[[^\]]+\]\}/g) ?? [];
      const literal = part.replace(/\$\{Token\[[^\]]+\]\}/g, '').length;
      expect(literal + tokens.length * TOKEN_BUDGET_CHARS).toBeLessThanOrEqual(MSF_PROPERTY_LIMITS.valueChars);
    }
    // A whole token resolves to the region reference; a cut one would not resolve at all.
    expect(stack.resolve(p[1])).toEqual({ 'Fn::Join': ['', [{ Ref: 'AWS::Region' }, `'${'b'.repeat(10)}'`, { Ref: 'AWS::Region' }, "'"]] });
  });

  it('fails on an empty script and on one longer than a property group holds', () => {
    expect(() => sqlPropertyGroup('  \n')).toThrow('flink translation: is empty; expected a Flink SQL script');
    expect(() => sqlPropertyGroup('z'.repeat(51 * 2048))).toThrow(/translates to a Flink SQL script of 51 parts of up to 2048 characters; MSF allows 50 values in a property group/);
    expect(parts('z'.repeat(50 * 2048))).toHaveLength(50);
  });
});
