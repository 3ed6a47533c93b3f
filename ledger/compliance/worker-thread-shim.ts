/**
 * Imported first by the commitment worker, before anything loads circomlibjs.
 *
 * circomlibjs loads ffjavascript, which loads the `web-worker` package at once; inside any
 * worker thread that package assumes its own Worker started the thread and reads
 * `workerData.mod`, so the load fails. The commitment worker never starts web workers (Poseidon
 * runs on the calling thread), so the package's module-cache entry gets an inert stand-in that
 * refuses to be constructed.
 */
import { createRequire, Module } from "node:module";
import { isMainThread } from "node:worker_threads";

if (!isMainThread) {
  const fromCircomlib = createRequire(require.resolve("circomlibjs"));
  const fromFfjavascript = createRequire(fromCircomlib.resolve("ffjavascript"));
  const target = fromFfjavascript.resolve("web-worker");

  const inert = new Module(target);
  inert.filename = target;
  inert.loaded = true;
  inert.exports = class InertWebWorker {
    constructor() {
      throw new Error("web workers are not available in a commitment worker thread");
    }
  };
  require.cache[target] = inert;
}
