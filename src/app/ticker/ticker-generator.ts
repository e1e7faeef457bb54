/**
 * Deterministic ticker records in the schema of the KDA demo stream (TICKER_SYMBOL, SECTOR, CHANGE, PRICE) plus
 * an EVENT_TIME. The same seed gives the same records, so a run, a test and a benchmark can be reproduced.
 */
import { mulberry32 } from '../../util/mulberry32.js';

export interface TickerRecord {
  readonly TICKER_SYMBOL: string;
  readonly SECTOR: string;
  readonly CHANGE: number;
  readonly PRICE: number;
  /** ISO-8601 UTC, millisecond precision. */
  readonly EVENT_TIME: string;
}

const SECTORS = ['TECHNOLOGY', 'RETAIL', 'ENERGY', 'FINANCIAL', 'HEALTHCARE'] as const;

/** `n` ticker symbols of up to 4 letters, the same for the same `n`: AAA, AAB... chosen to look like tickers. */
export function tickerSymbols(n: number): string[] {
  const out: string[] = [];
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (let i = 0; out.length < n; i++) {
    const a = letters[(i * 7) % 26];
    const b = letters[(i * 11 + 3) % 26];
    const c = letters[Math.floor(i / 26) % 26];
    const s = i % 3 === 0 ? `${a}${b}${c}` : `${a}${b}${c}${letters[(i * 5) % 26]}`;
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

export interface TickerGeneratorOptions {
  /** @default 42 */
  readonly seed?: number;
  /** How many distinct tickers. @default 50 */
  readonly tickers?: number;
}

/**
 * Generates ticker records one at a time; each ticker's price follows its own random walk.
 *
 * @example
 * const gen = new TickerGenerator({ seed: 1 });
 * const r = gen.next(Date.parse('2026-01-01T00:00:00Z')); // { TICKER_SYMBOL: 'AAD', ... }
 */
export class TickerGenerator {
  private readonly random: () => number;
  private readonly symbols: string[];
  private readonly sectors: string[];
  private readonly prices: number[];

  constructor(options: TickerGeneratorOptions = {}) {
    this.random = mulberry32(options.seed ?? 42);
    this.symbols = tickerSymbols(options.tickers ?? 50);
    this.sectors = this.symbols.map((_, i) => SECTORS[i % SECTORS.length]);
    this.prices = this.symbols.map(() => 10 + Math.round(this.random() * 9000) / 100);
  }

  get tickerSymbols(): readonly string[] {
    return this.symbols;
  }

  /** The next record, with EVENT_TIME `eventTime` (epoch ms). */
  next(eventTime: number): TickerRecord {
    const i = Math.floor(this.random() * this.symbols.length);
    const change = Math.round((this.random() - 0.5) * 200) / 100;
    const price = Math.max(1, Math.round((this.prices[i] + change) * 100) / 100);
    this.prices[i] = price;
    return { TICKER_SYMBOL: this.symbols[i], SECTOR: this.sectors[i], CHANGE: change, PRICE: price, EVENT_TIME: new Date(eventTime).toISOString() };
  }
}
