/**
 * The body of a commitment worker thread: loads Poseidon, says "ready", then answers each
 * message { id, operations } with { id, commitments } or { id, error }. It never logs.
 */
// Must stay the first import: see the shim's comment.
import "./worker-thread-shim";

import { parentPort } from "node:worker_threads";

import { isZkError } from "../zk/errors";
import { operationCommitment } from "../zk/operation-commitment";
import { loadPoseidon } from "../zk/poseidon";
import type { Operation } from "../zk/types";

/** A request from the pool. */
export interface WorkerRequest {
  readonly id: number;
  readonly operations: readonly Operation[];
}

/** A reply to the pool: commitments in request order, or why none could be computed. */
export type WorkerReply =
  | { readonly ready: true }
  | { readonly id: number; readonly commitments: readonly bigint[] }
  | { readonly id: number; readonly error: { code?: string; message: string } };

if (parentPort !== null) {
  const port = parentPort;
  void loadPoseidon().then((hash) => {
    port.on("message", (request: WorkerRequest) => {
      let reply: WorkerReply;
      try {
        reply = {
          id: request.id,
          commitments: request.operations.map((op) => operationCommitment(hash, op)),
        };
      } catch (err) {
        const code = isZkError(err) ? err.code : undefined;
        reply = { id: request.id, error: { code, message: String(err) } };
      }
      port.postMessage(reply);
    });
    port.postMessage({ ready: true } satisfies WorkerReply);
  });
}
