/**
 * Builds the verifier page once per test run, with the project's own Vite config, into a
 * temporary folder that is removed when the process exits.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

const PROJECT_ROOT = resolve(__dirname, "..", "..");
const VITE_BIN = join(PROJECT_ROOT, "node_modules", "vite", "bin", "vite.js");

let built: Promise<string> | undefined;

/** The folder holding the built page (index.html and assets/); built on first call. */
export function builtPage(): Promise<string> {
  built ??= build();
  return built;
}

async function build(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), "anchorlog-web-"));
  process.once("exit", () => rmSync(outDir, { recursive: true, force: true }));

  const args = ["build", "--config", "web/vite.config.mts", "--outDir", outDir, "--emptyOutDir"];
  await run(process.execPath, [VITE_BIN, ...args], { cwd: PROJECT_ROOT });
  return outDir;
}
