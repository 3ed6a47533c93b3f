/**
 * Schemas of proofs, checkpoints and receipts. Proof hashes are hex as the ledger returns
 * them; receipts and checkpoints keep the base64 of the C2SP formats they follow.
 */
import { Static, Type } from "@sinclair/typebox";

import type { InclusionProof } from "../../ledger";
import type { AnchorProof, Receipt } from "../../ledger/verify";
import { DecimalString, HexHash, PositiveDecimalString } from "./common";
import { sameKeys } from "./same-keys";

/** Query of GET /v1/proofs/inclusion: exactly one of index and leafHash. */
export const InclusionQuerySchema = Type.Object(
  {
    index: Type.Optional(DecimalString("Leaf index")),
    leafHash: Type.Optional(HexHash("Leaf hash, hex")),
    treeSize: Type.Optional(
      PositiveDecimalString("Tree size to prove against (default: latest checkpoint)"),
    ),
  },
  { additionalProperties: false },
);

/** An inclusion proof and what it proves. */
export const InclusionProofSchema = Type.Object(
  {
    index: Type.Integer(),
    treeSize: Type.Integer(),
    leafHash: Type.String({ description: "Hex" }),
    proof: Type.Array(Type.String(), { description: "RFC 9162 inclusion path, hex, bottom-up" }),
  },
  { additionalProperties: false, title: "InclusionProof" },
);

sameKeys<Static<typeof InclusionProofSchema>, InclusionProof>(true);

/** Query of GET /v1/proofs/consistency. */
export const ConsistencyQuerySchema = Type.Object(
  {
    size1: PositiveDecimalString("The older tree size"),
    size2: Type.Optional(PositiveDecimalString("The newer tree size (default: latest)")),
  },
  { additionalProperties: false },
);

/** A consistency proof between two tree sizes. */
export const ConsistencyProofSchema = Type.Object(
  {
    size1: Type.Integer(),
    size2: Type.Integer(),
    proof: Type.Array(Type.String(), { description: "RFC 9162 consistency proof, hex" }),
  },
  { additionalProperties: false, title: "ConsistencyProof" },
);

/** The latest signed checkpoint in JSON form. */
export const CheckpointSchema = Type.Object(
  {
    origin: Type.String(),
    treeSize: Type.Integer(),
    rootHash: Type.String({ description: "Base64, as in the checkpoint body" }),
    note: Type.String({ description: "The C2SP signed note (tlog-checkpoint)" }),
    signedAtMs: Type.Integer({ description: "When it was signed (0 for the empty log)" }),
    verifierKey: Type.String({
      description: "The note verifier key as the operator states it; pin it out of band",
    }),
  },
  { additionalProperties: false, title: "Checkpoint" },
);

const AnchorProofSchema = Type.Object(
  {
    chainId: Type.Integer(),
    registry: Type.String(),
    epoch: Type.Integer(),
    epochRoot: Type.String(),
    proof: Type.Array(Type.String()),
    txHash: Type.String(),
    blockNumber: Type.Integer(),
    blockHash: Type.Optional(Type.String()),
    policyRoot: Type.Optional(Type.String()),
    assignmentRoot: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

sameKeys<Static<typeof AnchorProofSchema>, AnchorProof>(true);

/**
 * A receipt (format anchorlog-receipt/v1). Must list every field of the ledger's Receipt:
 * the serializer drops what the schema does not name.
 */
export const ReceiptSchema = Type.Object(
  {
    format: Type.String(),
    origin: Type.String(),
    index: Type.Integer(),
    treeSize: Type.Integer(),
    leafData: Type.String({ description: "Base64" }),
    inclusionProof: Type.Array(Type.String(), { description: "Base64, bottom-up" }),
    checkpoint: Type.String({ description: "Signed note of size treeSize" }),
    verifierKey: Type.Optional(Type.String()),
    status: Type.Union([Type.Literal("signed"), Type.Literal("anchored")]),
    anchor: Type.Optional(AnchorProofSchema),
  },
  { additionalProperties: false, title: "Receipt" },
);

sameKeys<Static<typeof ReceiptSchema>, Receipt>(true);
