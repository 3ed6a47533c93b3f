#!/usr/bin/env node
// The installed `anchorlog` binary: compiles this project's TypeScript on the fly (type
// checking is left to `npm run typecheck`) and runs the command line's entry point.
"use strict";
/* global require, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS shim loads with require */

const path = require("node:path");

require("ts-node").register({
  project: path.join(__dirname, "..", "..", "tsconfig.json"),
  transpileOnly: true,
});
require("../anchorlog.ts");
