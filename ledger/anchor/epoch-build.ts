import path from "node:path";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

import type { CheckpointCommitment } from "./checkpoint-commitment";
import { buildEpochTree } from "./epoch-tree";
import { AnchorError, isAnchorError, type AnchorErrorCode } from "./errors";

/** An epoch tree reduced to what anchoring keeps: its root and the proofs asked for. */
export interface BuiltEpoch {
  readonly root: string;
  readonly size: number;
  /** Epoch proofs by origin hash, for the origins asked for. */
  readonly proofs: ReadonlyMap<string, readonly string[]>;
}

interface ThreadInput {
  readonly tag: typeof THREAD_TAG;
  readonly commitments: readonly CheckpointCommitment[];
  readonly proofsFor: readonly string[];
}

interface ThreadOutput {
  readonly root: string;
  readonly size: number;
  readonly proofs: [string, string[]][];
}

/** What a thread sends back: its result, or the coded failure of the build. */
type ThreadMessage =
  | { readonly ok: true; readonly output: ThreadOutput }
  | { readonly ok: false; readonly code: AnchorErrorCode; readonly data: unknown };

const THREAD_TAG = "anchorlog-epoch-build";

/**
 * Builds the epoch tree over `commitments` and returns its root with the proofs of the
 * origins in `proofsFor`. From `threadMinLeaves` commitments on, the build runs in a worker
 * thread: it is synchronous and takes seconds for ten thousand tenants, which would stall
 * every append sharing this event loop. Smaller epochs are built inline, where a thread's
 * start-up would cost more than the hashing.
 *
 * Throws what {@link buildEpochTree} throws, for either path.
 */
export async function buildEpoch(
  commitments: readonly CheckpointCommitment[],
  proofsFor: readonly string[],
  threadMinLeaves: number,
): Promise<BuiltEpoch> {
  const output =
    commitments.length >= threadMinLeaves
      ? await inThread({ tag: THREAD_TAG, commitments, proofsFor })
      : build(commitments, proofsFor);

  return { root: output.root, size: output.size, proofs: new Map(output.proofs) };
}

function build(commitments: readonly CheckpointCommitment[], proofsFor: readonly string[]) {
  const tree = buildEpochTree(commitments);

  const proofs = proofsFor.map((origin): [string, string[]] => [origin, tree.proof(origin)]);
  return { root: tree.root, size: tree.size, proofs };
}

function inThread(input: ThreadInput): Promise<ThreadOutput> {
  const worker = new Worker(bootstrap(), { eval: true, workerData: input });

  return new Promise<ThreadOutput>((resolve, reject) => {
    worker.once("message", (message: ThreadMessage) => {
      if (message.ok) resolve(message.output);
      // Errors cross threads as plain objects; the coded ones are rebuilt as they were.
      else reject(new AnchorError(message.code, message.data as never));
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      reject(new Error(`invariant: the epoch build thread exited (code ${code}) without a result`));
    });
  }).finally(() => void worker.terminate());
}

// The thread runs this very file. Run from TypeScript sources (as the service and the tests
// are), the thread needs the same TypeScript loader first: threads do not inherit the
// loaders of a process that mocha or a `-r` flag set up.
function bootstrap(): string {
  const lines: string[] = [];
  if (path.extname(__filename) === ".ts") {
    const tsNode = require.resolve("ts-node", { paths: [__dirname] });
    const project = path.resolve(__dirname, "..", "..", "tsconfig.json");
    const options = { transpileOnly: true, project };
    lines.push(`require(${JSON.stringify(tsNode)}).register(${JSON.stringify(options)});`);
  }

  lines.push(`require(${JSON.stringify(__filename)});`);
  return lines.join("\n");
}

if (!isMainThread && (workerData as ThreadInput | undefined)?.tag === THREAD_TAG) {
  const input = workerData as ThreadInput;
  let message: ThreadMessage;
  try {
    message = { ok: true, output: build(input.commitments, input.proofsFor) };
  } catch (error) {
    // Anything else (a TypeError for a malformed commitment) fails the thread as it is.
    if (!isAnchorError(error)) throw error;
    message = { ok: false, code: error.code, data: error.data };
  }
  parentPort?.postMessage(message);
}
