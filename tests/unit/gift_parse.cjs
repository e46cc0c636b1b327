// Parse GIFT text from standard input with the independent parser gift-pegjs (pinned dev dependency)
// and print its reading as JSON; a syntax error exits 1 with the parser's message and location.
"use strict";
const { parse } = require("gift-pegjs");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  try {
    process.stdout.write(JSON.stringify(parse(input)));
  } catch (error) {
    const where = error.location ? ` at line ${error.location.start.line}, column ${error.location.start.column}` : "";
    process.stderr.write(`${error.name}: ${error.message}${where}\n`);
    process.exit(1);
  }
});
