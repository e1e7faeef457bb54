import { describe, expect, it } from 'vitest';
import { TickerGenerator, tickerSymbols } from './ticker-generator.js';

describe('TickerGenerator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    const a = new TickerGenerator({ seed: 7 });
    const b = new TickerGenerator({ seed: 7 });
    const c = new TickerGenerator({ seed: 8 });
    const ra = Array.from({ length: 100 }, (_, i) => a.next(t0 + i));
    expect(Array.from({ length: 100 }, (_, i) => b.next(t0 + i))).toEqual(ra);
    expect(Array.from({ length: 100 }, (_, i) => c.next(t0 + i))).not.toEqual(ra);
  });
  it('uses the requested number of distinct 3-4 letter symbols and positive prices', () => {
    expect(new Set(tickerSymbols(50)).size).toBe(50);
    for (const s of tickerSymbols(50)) expect(s).toMatch(/^[A-Z]{3,4}$/);
    const g = new TickerGenerator({ tickers: 5 });
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const r = g.next(0);
      seen.add(r.TICKER_SYMBOL);
      expect(r.PRICE).toBeGreaterThan(0);
      expect(Math.abs(r.CHANGE)).toBeLessThanOrEqual(1);
    }
    expect(seen.size).toBe(5);
  });
});
