/**
 * HyperLogLog (Flajolet et al. 2007) with 2^precision registers, fed with 64 bits of hash per item (two
 * independent 32-bit murmur3-style hashes of the item's text). Standard error about 1.04 / sqrt(2^precision):
 * 0.81 % at the default precision 14. Small cardinalities use linear counting, as in the paper.
 */
export class HyperLogLog {
  readonly precision: number;
  private readonly registers: Uint8Array;

  constructor(precision = 14) {
    this.precision = precision;
    this.registers = new Uint8Array(1 << precision);
  }

  addString(text: string): void {
    const h1 = hashString(text, 0x9747b28c);
    const h2 = hashString(text, 0x1b873593);
    const index = h1 >>> (32 - this.precision);
    // Rank: position of the first 1 bit in the remaining bits of h1 followed by h2.
    const rest = (h1 << this.precision) >>> 0;
    let rank: number;
    if (rest !== 0) rank = Math.clz32(rest) + 1;
    else rank = 32 - this.precision + (h2 === 0 ? 33 : Math.clz32(h2) + 1);
    if (rank > this.registers[index]) this.registers[index] = rank;
  }

  /** The registers, for snapshots. */
  get registerBytes(): Uint8Array {
    return this.registers;
  }

  estimate(): number {
    const m = this.registers.length;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < m; i++) {
      sum += 2 ** -this.registers[i];
      if (this.registers[i] === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / m);
    const raw = (alpha * m * m) / sum;
    if (raw <= 2.5 * m && zeros > 0) return m * Math.log(m / zeros);
    return raw;
  }
}

/** murmur3 (32-bit) over the UTF-16 code units of `text`. */
export function hashString(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    let k = text.charCodeAt(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= text.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
