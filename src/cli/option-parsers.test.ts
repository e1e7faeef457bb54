import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parsePreprocessor } from './option-parsers.js';

describe('--preprocessor', () => {
  it('takes the corrupt-aggregate policy with kpl, as the Lambda hosts take CORRUPT_AGGREGATES', () => {
    expect(parsePreprocessor('kpl')).toEqual({ type: 'kpl' });
    expect(parsePreprocessor('kpl:fail')).toEqual({ type: 'kpl', corruptAggregates: 'fail' });
    expect(parsePreprocessor('kpl:pass-through')).toEqual({ type: 'kpl', corruptAggregates: 'pass-through' });
    expect(parsePreprocessor('none')).toEqual({ type: 'none' });
    expect(parsePreprocessor('module:./pre.mjs')).toEqual({ type: 'module', path: './pre.mjs' });
  });

  it('names the accepted forms for anything else', () => {
    expect(() => parsePreprocessor('kpl:skip')).toThrow(InvalidArgumentError);
    expect(() => parsePreprocessor('kpl:skip')).toThrow(/none, kpl, kpl:pass-through or module:<path>/);
  });
});
