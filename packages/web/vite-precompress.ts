import { readdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Text formats worth compressing (images and fonts are compressed already). */
const compressible = new Set(['.html', '.js', '.mjs', '.css', '.svg', '.json', '.map', '.txt', '.wasm']);

/** Files smaller than this are sent as they are: the saving would not pay for the header. */
const minBytes = 1024;

/**
 * Writes `name.br` (Brotli, maximum quality) and `name.gz` (gzip level 9) next to every compressible
 * file of the build, once, at build time. `cricket serve` sends them to clients that accept the
 * encoding, so the server never compresses on the fly.
 */
export function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'cricket-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = await readdir(outDir, { recursive: true, withFileTypes: true });
      await Promise.all(
        files
          .filter((entry) => entry.isFile() && compressible.has(extname(entry.name)))
          .map(async (entry) => {
            const path = join(entry.parentPath, entry.name);
            const body = await readFile(path);
            if (body.length < minBytes) return;
            const [br, gz] = await Promise.all([
              brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }),
              gzipAsync(body, { level: 9 }),
            ]);
            await Promise.all([writeFile(`${path}.br`, br), writeFile(`${path}.gz`, gz)]);
          }),
      );
    },
  };
}
