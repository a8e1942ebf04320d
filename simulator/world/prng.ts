import { createHash } from 'node:crypto';

/** A small seeded pseudo-random generator (mulberry32): every simulated value comes from one of these. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

function digest(parts: ReadonlyArray<string | number>): Buffer {
  return createHash('sha256').update(parts.map(String).join('\u001f')).digest();
}

/** A 32-bit seed derived from the given parts (the scenario seed, a tenant, a date…). */
export function hashSeed(...parts: Array<string | number>): number {
  return digest(parts).readUInt32LE(0);
}

/** A number in [0, 1) derived from the parts alone (no state). */
export function hashUnit(...parts: Array<string | number>): number {
  return hashSeed(...parts) / 0x1_0000_0000;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

export function createRng(...parts: Array<string | number>): Rng {
  const next = mulberry32(hashSeed(...parts));
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
  };
  return rng;
}

/** A GUID (version 4 layout) derived from the parts. */
export function hashGuid(...parts: Array<string | number>): string {
  const bytes = digest(['guid', ...parts]).subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
