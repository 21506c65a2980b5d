import { readFileSync } from 'node:fs';
const { instance } = await WebAssembly.instantiate(readFileSync(process.argv[2]), {});
console.log('wasm   checksum ' + BigInt.asUintN(64, instance.exports.checksum()).toString(16).padStart(16, '0'));
