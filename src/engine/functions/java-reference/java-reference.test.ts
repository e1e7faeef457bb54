import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ExecutionError } from '../../../errors.js';
import { formatDateTime, parseDateTime } from '../datetime-format.js';
import { regexReplace } from '../regex-functions.js';
import { compileJavaRegex, javaGroup } from '../regex-translation.js';
import { formatDouble, formatReal } from '../value-format.js';
import type { JavaVector } from './java-vector.js';

/**
 * Answers the JDK gave (java-reference-vectors.json, made by generate.ts) against this library. Where the SQLREF
 * documents a different behaviour, the SQLREF wins and the vector is listed in DOCUMENTED_DEVIATIONS.
 */
const here = dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(readFileSync(join(here, 'java-reference-vectors.json'), 'utf8')) as { vectors: JavaVector[] };

/** A template with a lone `y`: the SQLREF reads 'March 7, 10' with 'MMM dd,y' as the year 10; Java as 2010. */
const loneY = (pattern: string) => /(^|[^y'])y([^y]|$)/.test(pattern);

function ours(v: JavaVector): string {
  try {
    switch (v.kind) {
      case 'parse':
        return String(parseDateTime(v.args[1], v.args[0]));
      case 'format':
        return formatDateTime(Number(v.args[1]), v.args[0]);
      case 'replace':
        return regexReplace(v.args[1], v.args[0], v.args[2], 1, 0)!;
      case 'find': {
        const r = compileJavaRegex(v.args[0]);
        r.regex.lastIndex = 0;
        const m = r.regex.exec(v.args[1]);
        return m === null ? 'NOMATCH' : Array.from({ length: r.groupCount + 1 }, (_, k) => javaGroup(m, k) ?? '<null>').join('|');
      }
      case 'double':
        return formatDouble(Number(v.args[0]));
      case 'float':
        return formatReal(Math.fround(Number(v.args[0])));
    }
  } catch (e) {
    if (e instanceof ExecutionError) return `ERROR:${e.errorName}`;
    throw e;
  }
}

describe('agreement with the JDK (java.text.SimpleDateFormat, java.util.regex, Double/Float.toString)', () => {
  for (const kind of ['parse', 'format', 'replace', 'find', 'double', 'float'] as const) {
    it(`${kind}: every vector agrees (errors with errors) except the documented deviations`, () => {
      const vectors = fixture.vectors.filter((v) => v.kind === kind);
      expect(vectors.length).toBeGreaterThan(10);
      const deviations: string[] = [];
      const mismatches: string[] = [];
      for (const v of vectors) {
        const got = ours(v);
        const agree = v.java.startsWith('ERROR:') ? got.startsWith('ERROR:') : got === v.java;
        if (agree) continue;
        if (kind === 'parse' && loneY(v.args[0])) deviations.push(JSON.stringify(v.args));
        else mismatches.push(`${JSON.stringify(v.args)}: java ${JSON.stringify(v.java)}, ours ${JSON.stringify(got)}`);
      }
      expect(mismatches).toEqual([]);
      expect(deviations.length).toBeLessThanOrEqual(2);
    });
  }
});
