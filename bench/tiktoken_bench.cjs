// The same measurement with the real tiktoken (npm, WASM) in node: load time and the best of R
// single-thread passes of encode_ordinary over the corpus. One JSON object per encoding.
//   node tiktoken_bench.cjs NODE_MODULES CORPUS_DIR [REPEAT]
const path = require("path");
const fs = require("fs");
const [modules, corpus, repeatArg] = process.argv.slice(2);
const repeat = Number(repeatArg || 10);
const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
  e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".md") ? [path.join(dir, e.name)] : []);
const files = walk(corpus).sort();
const docs = files.map((f) => fs.readFileSync(f, "utf8"));
const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
for (const encoding of ["cl100k_base", "o200k_base"]) {
  const t0 = process.hrtime.bigint();
  const { get_encoding } = require(path.resolve(modules, "tiktoken"));
  const enc = get_encoding(encoding);
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  let best = Infinity, tokens = 0;
  for (let r = 0; r < repeat; r++) {
    const start = process.hrtime.bigint();
    tokens = 0;
    for (const d of docs) tokens += enc.encode_ordinary(d).length;
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  enc.free();
  console.log(JSON.stringify({ impl: "tiktoken", encoding, files: files.length, bytes, tokens, seconds: best, load_ms: loadMs }));
}
