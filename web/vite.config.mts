/**
 * Builds the verifier page into plain static files (web/dist) that any host can serve. The
 * base is relative, so the same files work at the root of a host or under a path such as
 * /verify/.
 *
 * The page must run the same verify modules as the command line, unchanged. Those modules
 * promise to avoid Node-only APIs; the guard below turns a broken promise into a failed build
 * instead of letting Vite quietly replace the module with an empty stub.
 */
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";

import { defineConfig, type Plugin } from "vite";

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Fails the build when any module of the page imports a Node built-in. */
function refuseNodeBuiltins(): Plugin {
  return {
    name: "anchorlog-refuse-node-builtins",
    enforce: "pre",
    resolveId(source, importer) {
      if (!NODE_BUILTINS.has(source)) return null;
      this.error(`${importer ?? "the page"} imports the Node built-in "${source}"`);
    },
  };
}

// The page uses one function of circomlibjs, buildPoseidon (to recompute a policy root). Its
// package entry also loads Poseidon variants that import Node's "assert"; its own browser-safe
// module for buildPoseidon is used instead.
const CIRCOMLIB_POSEIDON = fileURLToPath(
  new URL("../node_modules/circomlibjs/src/poseidon_wasm.js", import.meta.url),
);

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  publicDir: false,
  logLevel: "warn",
  plugins: [refuseNodeBuiltins()],
  resolve: { alias: [{ find: /^circomlibjs$/, replacement: CIRCOMLIB_POSEIDON }] },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // No inline <script> is ever emitted, so the page's policy can forbid inline scripts.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // The compliance chunk (snarkjs, its field library, Poseidon's constants) is about 2.4 MB
    // and loads only when a bundle is checked; the main chunk is about 330 kB.
    chunkSizeWarningLimit: 2600,
    // ledger/zk loads snarkjs and circomlibjs with require(); these options turn those calls
    // into imports of the packages' browser builds.
    commonjsOptions: {
      include: [/node_modules/, /ledger[\\/]zk[\\/]/],
      transformMixedEsModules: true,
      extensions: [".js", ".cjs", ".ts"],
    },
  },
});
