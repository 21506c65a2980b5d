// Trunk post-build hook (Trunk.toml): writes a Content-Security-Policy meta tag into the staged
// index.html. Scripts and wasm may come only from the page's own origin; the one inline script
// trunk writes (the loader that imports the wasm bindings) is allowed by its SHA-256, which
// changes with every build because it names the hashed file names, so it is computed here.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('csp.mjs: TRUNK_STAGING_DIR is not set; run it as trunk\'s post_build hook (Trunk.toml)');
  process.exit(1);
}
const file = join(staging, 'index.html');
const html = readFileSync(file, 'utf8');

// Inline scripts are those without a src attribute; their text is hashed byte for byte.
const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
if (inline.length === 0) {
  console.error(`csp.mjs: no inline loader script in ${file}; has trunk changed how it loads the wasm?`);
  process.exit(1);
}
const hashes = inline.map((text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);

const policy = [
  "default-src 'self'",
  // 'wasm-unsafe-eval' lets the page compile its own wasm; it allows no JavaScript eval.
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`,
  // Yew writes style attributes (positions, sizes, colours of drawn elements).
  "style-src 'self' 'unsafe-inline'",
  // Canvases are read back as data: and blob: URLs (screenshots, thumbnails).
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const charset = '<meta charset="utf-8" />';
if (!html.includes(charset)) {
  console.error(`csp.mjs: ${file} has no '${charset}' to put the policy after`);
  process.exit(1);
}
const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}" />`;
writeFileSync(file, html.replace(charset, `${charset}\n    ${meta}`));
