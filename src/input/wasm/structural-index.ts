/**
 * A JSON structural index in WebAssembly SIMD: one pass over a payload, 16 bytes at a time, that lists the
 * offsets of every double quote and of every `{ } [ ] , :` outside strings, and refuses (returns -1) any
 * payload that needs the general decoder's care: a backslash, a byte >= 0x80, a control byte inside a string
 * or one other than tab / line feed / carriage return outside, or an unclosed string.
 *
 * The module is small (one function), so it is assembled here from its instructions instead of shipping a
 * .wasm file: there is no build step, no binary to keep in step with a source, and tests check it against a
 * plain JavaScript scan. Its text form:
 *
 *   for each 16-byte chunk v at i (the input is padded with zero bytes to a multiple of 16):
 *     if bitmask(v == '\\') | bitmask(v)              -> return -1     (bitmask(v): bytes >= 0x80)
 *     q   = bitmask(v == '"')
 *     s   = bitmask(v == ':' | v == ',' | (v | 0x20) == '{' | (v | 0x20) == '}')   ('[' | 0x20 == '{')
 *     ctl = bitmask(v <u 0x20) & valid(i)            (valid: the bits of bytes before len)
 *     ws  = bitmask(v == '\t' | v == '\n' | v == '\r')
 *     in  = prefix_xor(q) ^ carry                    (1 from an opening quote up to the byte before its closing one)
 *     carry = in's bit 15 ? 0xffff : 0
 *     if ctl & (in | ~ws)                            -> return -1
 *     for each set bit b of (q | (s & ~in)): positions[n++] = i + b
 *   if carry -> return -1 (unclosed string); return n
 */

/** Largest payload the index takes (longer ones go to the general decoder). */
export const MAX_INDEXED_BYTES = 16_384;
const POSITIONS_AT = 65_536;
const PAGES = 2; // input at 0..16 KiB (padded), positions (u32) at 64 KiB..128 KiB

// Opcodes (WebAssembly core and SIMD, binary format).
const BLOCK = 0x02, LOOP = 0x03, IF = 0x04, END = 0x0b, BR = 0x0c, BR_IF = 0x0d, RETURN = 0x0f;
const LOCAL_GET = 0x20, LOCAL_SET = 0x21, I32_STORE = 0x36, I32_CONST = 0x41;
const I32_EQZ = 0x45, I32_GE_U = 0x4f;
const I32_CTZ = 0x68, I32_ADD = 0x6a, I32_SUB = 0x6b, I32_MUL = 0x6c, I32_AND = 0x71, I32_OR = 0x72, I32_XOR = 0x73, I32_SHL = 0x74, I32_SHR_U = 0x76;
const SIMD = 0xfd, V128_LOAD = 0x00, I8X16_SPLAT = 0x0f, I8X16_EQ = 0x23, I8X16_LT_U = 0x26, V128_OR = 0x50, I8X16_BITMASK = 0x64;
const VOID = 0x40, I32 = 0x7f, V128 = 0x7b;

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];

// Locals: 0 len (param); i32 1 i, 2 q, 3 s, 4 inStr, 5 carry, 6 out, 7 m, 8 ctl, 9 ws; v128 10 v.
const LEN = 0, I = 1, Q = 2, S = 3, IN = 4, CARRY = 5, OUT = 6, M = 7, CTL = 8, WS = 9, V = 10;

const get = (l: number) => [LOCAL_GET, l];
const set = (l: number) => [LOCAL_SET, l];
const k = (n: number) => [I32_CONST, ...sleb(n)];
const simd = (op: number) => [SIMD, ...uleb(op)];
/** bitmask(v == byte) as an i32 on the stack. */
const eqVec = (byte: number) => [...get(V), ...k(byte), ...simd(I8X16_SPLAT), ...simd(I8X16_EQ)];
const eqVecOr20 = (byte: number) => [...get(V), ...k(0x20), ...simd(I8X16_SPLAT), ...simd(V128_OR), ...k(byte), ...simd(I8X16_SPLAT), ...simd(I8X16_EQ)];
const bitmask = () => simd(I8X16_BITMASK);
const prefixStep = (shift: number) => [...get(IN), ...get(IN), ...k(shift), I32_SHL, I32_XOR, ...set(IN)];

function body(): number[] {
  return [
    ...k(POSITIONS_AT), ...set(OUT),
    BLOCK, VOID, // $done
    LOOP, VOID, // $chunk
    ...get(I), ...get(LEN), I32_GE_U, BR_IF, 1,
    ...get(I), ...simd(V128_LOAD), 0x04, 0x00, ...set(V),
    // a backslash or a byte >= 0x80: the general decoder's case
    ...eqVec(0x5c), ...bitmask(), ...get(V), ...bitmask(), I32_OR, IF, VOID, ...k(-1), RETURN, END,
    ...eqVec(0x22), ...bitmask(), ...set(Q),
    ...eqVec(0x3a), ...eqVec(0x2c), ...simd(V128_OR), ...eqVecOr20(0x7b), ...simd(V128_OR), ...eqVecOr20(0x7d), ...simd(V128_OR), ...bitmask(), ...set(S),
    // control bytes among the first len - i bytes (the padding is zeros)
    ...get(V), ...k(0x20), ...simd(I8X16_SPLAT), ...simd(I8X16_LT_U), ...bitmask(),
    ...k(-1), ...get(LEN), ...get(I), I32_SUB, ...k(16), I32_GE_U, IF, I32, ...k(0xffff), 0x05 /* else */, ...k(1), ...get(LEN), ...get(I), I32_SUB, I32_SHL, ...k(1), I32_SUB, END,
    I32_AND, I32_AND, ...set(CTL),
    ...eqVec(0x09), ...eqVec(0x0a), ...simd(V128_OR), ...eqVec(0x0d), ...simd(V128_OR), ...bitmask(), ...set(WS),
    // inside-string mask: prefix xor of the quotes, plus the carry from the previous chunk
    ...get(Q), ...set(IN),
    ...prefixStep(1), ...prefixStep(2), ...prefixStep(4), ...prefixStep(8),
    ...get(IN), ...k(0xffff), I32_AND, ...get(CARRY), I32_XOR, ...set(IN),
    ...get(IN), ...k(15), I32_SHR_U, ...k(1), I32_AND, ...k(0xffff), I32_MUL, ...set(CARRY),
    // a control byte inside a string, or one outside that is not whitespace
    ...get(CTL), ...get(IN), ...get(WS), ...k(0xffff), I32_XOR, I32_OR, I32_AND, IF, VOID, ...k(-1), RETURN, END,
    ...get(Q), ...get(S), ...get(IN), ...k(0xffff), I32_XOR, I32_AND, I32_OR, ...set(M),
    BLOCK, VOID, // $bits
    LOOP, VOID, // $bit
    ...get(M), I32_EQZ, BR_IF, 1,
    ...get(OUT), ...get(I), ...get(M), I32_CTZ, I32_ADD, I32_STORE, 0x02, 0x00,
    ...get(OUT), ...k(4), I32_ADD, ...set(OUT),
    ...get(M), ...get(M), ...k(1), I32_SUB, I32_AND, ...set(M),
    BR, 0,
    END, END,
    ...get(I), ...k(16), I32_ADD, ...set(I),
    BR, 0,
    END, END,
    ...get(CARRY), IF, VOID, ...k(-1), RETURN, END,
    ...get(OUT), ...k(POSITIONS_AT), I32_SUB, ...k(2), I32_SHR_U,
    END,
  ];
}

/** The module's bytes. */
export function structuralIndexModule(): Uint8Array {
  const code = body();
  const locals = vec([[9, I32], [1, V128]]);
  const fn = [...locals, ...code];
  const name = [...'structurals'].map((c) => c.charCodeAt(0));
  const mem = [...'mem'].map((c) => c.charCodeAt(0));
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, 1, I32, 1, I32]])), // type: (i32) -> i32
    ...section(3, vec([[0]])), // function 0 of type 0
    ...section(5, vec([[0x00, PAGES]])), // memory: min PAGES
    ...section(7, vec([[...uleb(name.length), ...name, 0x00, 0], [...uleb(mem.length), ...mem, 0x02, 0]])),
    ...section(10, vec([[...uleb(fn.length), ...fn]])),
  ]);
}

/**
 * The part of the WebAssembly JavaScript API used here. The project's TypeScript libraries (ES2022 without
 * DOM) do not declare it; Node has it as a global.
 */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

/** One instance: the payload is copied into its memory, indexed, and the offsets read from `positions`. */
export class StructuralIndex {
  /** Offsets written by the last `index` call (the first `count` entries). */
  readonly positions: Uint32Array;
  private readonly input: Uint8Array;
  private readonly run: (len: number) => number;

  private constructor(instance: { exports: Record<string, unknown> }) {
    const memory = instance.exports.mem as WasmMemory;
    this.input = new Uint8Array(memory.buffer, 0, MAX_INDEXED_BYTES + 16);
    this.positions = new Uint32Array(memory.buffer, POSITIONS_AT, MAX_INDEXED_BYTES);
    this.run = instance.exports.structurals as (len: number) => number;
  }

  /** A new index, or null where this runtime has no WebAssembly SIMD (then the general decoder does it all). */
  static create(): StructuralIndex | null {
    try {
      const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
      const bytes = structuralIndexModule();
      if (wasm === undefined || !wasm.validate(bytes)) return null;
      return new StructuralIndex(new wasm.Instance(new wasm.Module(bytes)));
    } catch {
      return null;
    }
  }

  /** Indexes `payload`: the number of offsets, or -1 for a payload it refuses (also one over MAX_INDEXED_BYTES). */
  index(payload: Uint8Array): number {
    const n = payload.length;
    if (n > MAX_INDEXED_BYTES) return -1;
    const input = this.input;
    input.set(payload, 0);
    input.fill(0, n, (n + 15) & ~15);
    return this.run(n);
  }
}
