/**
 * Where a monitor reads a log: the anchorlog API (checkpoint, consistency proofs, receipts)
 * with a tenant key, or any C2SP tlog-tiles server, from whose tiles the monitor builds
 * consistency proofs itself. Nothing read here is trusted: every checkpoint is verified
 * against the keys the person gave, every proof against those checkpoints.
 */
import { pureHasher } from "../../ledger/verify/hasher";
import { buildConsistencyProof } from "../../ledger/verify/proof-builder";
import { decodeHash } from "./input";
import { joinUrl, requestJson, requestText } from "./http-client";
import { tileSource } from "./tile-source";

/** A log as a monitor reads it. */
export interface LogSource {
  /** Describes the source for messages. */
  readonly name: string;
  /** The latest signed checkpoint note. */
  checkpoint(): Promise<string>;
  /** The consistency proof from `size1` to `size2` (0 < size1 < size2). */
  consistency(size1: number, size2: number): Promise<Uint8Array[]>;
  /** The receipt of entry `index` (anchored once an epoch covers it); API sources only. */
  receipt?(index: number): Promise<unknown>;
}

/** A source on the anchorlog API at `base`, with a tenant key that may read. */
export function apiSource(base: string, key: string | undefined): LogSource {
  const url = (path: string) => joinUrl(base, path);
  return {
    name: base,
    async checkpoint() {
      return (await requestJson<{ note: string }>(url("/v1/checkpoint"), { key })).note;
    },
    async consistency(size1, size2) {
      const answer = await requestJson<{ proof: unknown[] }>(
        url(`/v1/proofs/consistency?size1=${size1}&size2=${size2}`),
        { key },
      );
      return answer.proof.map((h, i) => decodeHash(h, `consistency proof hash ${i}`));
    },
    receipt(index) {
      return requestJson<unknown>(url(`/v1/entries/${index}/receipt`), { key });
    },
  };
}

/** A source on the tlog-tiles server at `base` (the folder holding `checkpoint`). */
export function tilesSource(base: string, key: string | undefined): LogSource {
  return {
    name: base,
    checkpoint() {
      return requestText(joinUrl(base, "checkpoint"), { key });
    },
    consistency(size1, size2) {
      const source = tileSource(base, size2, pureHasher, key);
      return buildConsistencyProof(source, pureHasher, size1, size2);
    },
  };
}
