import { describe, expect, it } from 'vitest';
import { main } from '../../index.js';

async function output(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  try {
    return { code: await main(argv), out };
  } finally {
    process.stdout.write = write;
  }
}

describe('studio command', () => {
  it('is in --help with its options', async () => {
    const all = await output(['--help']);
    expect(all.code).toBe(0);
    expect(all.out).toMatch(/studio \[options\] <app>\s+a local web page to edit, run and watch an\s+application/);
    expect(all.out).toMatch(/discover \[options\] <source>/);
    const one = await output(['studio', '--help']);
    expect(one.out).toMatch(/--open/);
    expect(one.out).toMatch(/--source <source>/);
  });
});
