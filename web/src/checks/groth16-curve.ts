/**
 * Makes snarkjs verify Groth16 proofs on the page's own thread.
 *
 * snarkjs builds its BN254 curve with worker threads unless told otherwise, and in a browser
 * its workers start from data: URLs, which the page's Content-Security-Policy (rightly)
 * refuses. snarkjs reuses a curve it finds at `globalThis.curve_bn128`, so placing a
 * single-threaded one there first keeps every later verification on this thread. One
 * verification takes tens of milliseconds, so the threads would buy nothing here.
 */
import { snarkjs } from "../../../ledger/zk/snarkjs-api";

type CurveBuilder = (name: string, options: { singleThread: boolean }) => Promise<unknown>;

let ready: Promise<void> | undefined;

/** Installs the single-threaded curve once; later calls wait for the same installation. */
export function useSingleThreadCurve(): Promise<void> {
  ready ??= (async () => {
    const holder = globalThis as { curve_bn128?: unknown };
    if (holder.curve_bn128) return;

    const build = snarkjs.curves.getCurveFromName as unknown as CurveBuilder;
    holder.curve_bn128 = await build("bn128", { singleThread: true });
  })();
  return ready;
}
