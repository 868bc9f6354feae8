// Prints tiktoken's token ids for files, as JSON lines: {"path", "encoding", "ids"}.
// Usage: node tiktoken_ids.cjs NODE_MODULES_DIR ENCODING FILE...
// Reads each file as UTF-8 (the files given are valid UTF-8; tiktoken takes JS strings).
const path = require("path");
const fs = require("fs");
const [modules, encoding, ...files] = process.argv.slice(2);
const { get_encoding } = require(path.resolve(modules, "tiktoken"));
const enc = get_encoding(encoding);
for (const file of files) {
  const text = fs.readFileSync(file, "utf8");
  const ids = Array.from(enc.encode_ordinary(text));
  process.stdout.write(JSON.stringify({ path: file, encoding, ids }) + "\n");
}
enc.free();
