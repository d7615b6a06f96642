/**
 * A deterministic pseudo-random generator (mulberry32) returning numbers in [0, 1). The same seed
 * always yields the same sequence, so a failing chunking can be replayed from its seed.
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Inclusive range of chunk sizes in bytes. */
export interface ChunkSizeRange {
  min: number;
  max: number;
}

/** Default chunk sizes: 1 to 64 bytes, so events, lines and multi-byte characters get split. */
export const defaultChunkSizes: Readonly<ChunkSizeRange> = Object.freeze({ min: 1, max: 64 });

/**
 * Splits `bytes` into consecutive slices whose sizes are drawn uniformly from `sizes` using
 * `random`. Slices share the input's memory; joined back they equal the input exactly.
 */
export function splitIntoChunks(
  bytes: Uint8Array,
  random: () => number,
  sizes: ChunkSizeRange = defaultChunkSizes,
): Uint8Array[] {
  const min = Math.max(1, Math.floor(sizes.min));
  const max = Math.max(min, Math.floor(sizes.max));
  const chunks: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.byteLength) {
    const size = min + Math.floor(random() * (max - min + 1));
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}
