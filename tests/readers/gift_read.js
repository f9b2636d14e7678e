// Reads GIFT files with gift-pegjs (an independent GIFT parser) and prints what it read
// as JSON, one file after another: [{"file": ..., "questions": [...]}, ...].
// A file it cannot parse is printed with its error instead, and the exit code is 1.
"use strict";
const fs = require("fs");
const { parse } = require("gift-pegjs");

let failed = false;
const read = process.argv.slice(2).map((file) => {
  try {
    return { file, questions: parse(fs.readFileSync(file, "utf8")) };
  } catch (error) {
    failed = true;
    const where = error.location ? error.location.start : null;
    return { file, error: String(error.message), where };
  }
});
process.stdout.write(JSON.stringify(read));
process.exitCode = failed ? 1 : 0; // not process.exit(): it can cut a piped stdout short
