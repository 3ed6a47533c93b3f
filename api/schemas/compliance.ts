/**
 * Schemas of the compliance routes: the policy and assignment documents (their shape only;
 * ledger/zk judges their content), the versions and roots registered, proving jobs, and the
 * bundles they produce. Roots are bytes32 hex (0x and 64 digits), as anchored on chain.
 */
import { Static, Type } from "@sinclair/typebox";

import type { JobStatus } from "../../ledger/compliance/prove-jobs";
import type { RootVersion } from "../../ledger/compliance/compliance-store";
import { MAX_SAMPLE_WINDOWS, TIME_FOREVER } from "../../ledger/zk";
import { sameKeys } from "./same-keys";

const Name = (description: string) => Type.String({ minLength: 1, maxLength: 256, description });
const Time = (description: string) =>
  Type.Integer({ minimum: 0, maximum: TIME_FOREVER, description });
const EndTime = (description: string) => Type.Union([Time(description), Type.Null()]);
const Bytes32 = (description: string) => Type.String({ pattern: "^0x[0-9a-f]{64}$", description });

/** A policy document: roles and their grants. */
export const PolicyDocumentSchema = Type.Object(
  {
    version: Type.Literal(1),
    roles: Type.Array(Name("A role"), { maxItems: 1024 }),
    grants: Type.Array(
      Type.Object(
        {
          role: Name("A declared role"),
          action: Name("The action the role may do"),
          resourceClass: Name("On resources of this class"),
          validFrom: Time("From this time, seconds since the Unix epoch"),
          validUntil: EndTime("Until this time, exclusive; null for no end"),
        },
        { additionalProperties: false },
      ),
      { maxItems: 65_536, description: "Canonical order does not depend on the listing" },
    ),
  },
  { additionalProperties: false, title: "PolicyDocument" },
);

/** A role assignment document: who holds which role, when. */
export const AssignmentsDocumentSchema = Type.Object(
  {
    version: Type.Literal(1),
    assignments: Type.Array(
      Type.Object(
        {
          actor: Name("The actor"),
          role: Name("A role the current policy declares"),
          from: Time("Held from this time, seconds since the Unix epoch"),
          until: EndTime("Held until this time, exclusive; null while not revoked"),
        },
        { additionalProperties: false },
      ),
      { maxItems: 65_536 },
    ),
  },
  { additionalProperties: false, title: "AssignmentsDocument" },
);

/** Body of PUT /v1/compliance/settings. */
export const ComplianceSettingsSchema = Type.Object(
  {
    required: Type.Boolean({
      description: "When true, every appended event must carry role and resourceClass",
    }),
  },
  { additionalProperties: false },
);

/** One registered version and its root. */
export const RootVersionSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal("policy"), Type.Literal("assignments")]),
    version: Type.Integer({ minimum: 1 }),
    root: Bytes32("Poseidon root as 32 bytes, big-endian"),
    setAtMs: Type.Integer({ description: "When it took effect, ms since the Unix epoch" }),
    entries: Type.Integer({ description: "Grants or assignments in the document" }),
  },
  { additionalProperties: false, title: "RootVersion" },
);

sameKeys<Static<typeof RootVersionSchema>, RootVersion>(true);

/** A tenant's compliance settings, current roots and root history. */
export const ComplianceStateSchema = Type.Object(
  {
    required: Type.Boolean(),
    policyRoot: Bytes32("Current policy root; zero when none"),
    assignmentRoot: Bytes32("Current assignment root; zero when none"),
    policy: Type.Array(RootVersionSchema, { description: "Every policy version, oldest first" }),
    assignments: Type.Array(RootVersionSchema, { description: "Every assignment version" }),
  },
  { additionalProperties: false, title: "ComplianceState" },
);

/** Path of GET /v1/compliance/policy/:version. */
export const VersionParamsSchema = Type.Object(
  { version: Type.String({ pattern: "^[1-9][0-9]{0,8}$", description: "Version number" }) },
  { additionalProperties: false },
);

/** Body of POST /v1/compliance/proofs: a window, or a sampling audit of an epoch. */
export const ProveRequestSchema = Type.Union(
  [
    Type.Object(
      {
        kind: Type.Literal("window"),
        windowStart: Type.Integer({ minimum: 0, description: "First log index of the window" }),
        epoch: Type.Optional(Type.Integer({ minimum: 1, description: "Prove against it" })),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal("sample"),
        epoch: Type.Integer({ minimum: 1, description: "The audited epoch" }),
        count: Type.Integer({ minimum: 1, maximum: MAX_SAMPLE_WINDOWS }),
      },
      { additionalProperties: false },
    ),
  ],
  { title: "ProveRequest" },
);

/** Path of the job routes. */
export const JobParamsSchema = Type.Object(
  { jobId: Type.String({ pattern: "^[0-9a-f]{32}$", description: "Job id" }) },
  { additionalProperties: false },
);

/** A proving job's status. */
export const JobStatusSchema = Type.Object(
  {
    id: Type.String(),
    tenant: Type.String(),
    state: Type.Union(["queued", "running", "done", "failed"].map((s) => Type.Literal(s))),
    request: Type.Optional(ProveRequestSchema),
    createdMs: Type.Optional(Type.Integer()),
    startedMs: Type.Optional(Type.Integer()),
    finishedMs: Type.Optional(Type.Integer()),
    error: Type.Optional(
      Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: false }),
    ),
    durable: Type.Boolean({
      description:
        "False while the job lives only in memory: a restart loses queued and running jobs",
    }),
  },
  { additionalProperties: false, title: "JobStatus" },
);

sameKeys<Static<typeof JobStatusSchema>, JobStatus>(true);

const ParamsSchema = Type.Object(
  {
    name: Type.String(),
    operations: Type.Integer(),
    policyDepth: Type.Integer(),
    assignmentDepth: Type.Integer(),
  },
  { additionalProperties: false },
);

const AnchorSchema = Type.Object(
  {
    chainId: Type.Integer(),
    registry: Type.String(),
    epoch: Type.Integer(),
    epochRoot: Type.String(),
    proof: Type.Array(Type.String()),
    txHash: Type.String(),
    blockNumber: Type.Integer(),
    blockHash: Type.Optional(Type.String()),
    policyRoot: Type.String(),
    assignmentRoot: Type.String(),
  },
  { additionalProperties: false },
);

const ProofSchema = Type.Object(
  {
    pi_a: Type.Array(Type.String()),
    pi_b: Type.Array(Type.Array(Type.String())),
    pi_c: Type.Array(Type.String()),
    protocol: Type.String(),
    curve: Type.String(),
  },
  { additionalProperties: false },
);

/** A window bundle (format anchorlog-compliance/v1); see docs/compliance.md. */
export const ComplianceBundleSchema = Type.Object(
  {
    format: Type.Literal("anchorlog-compliance/v1"),
    origin: Type.String(),
    params: ParamsSchema,
    vkeyHash: Type.String(),
    windowStart: Type.Integer(),
    treeSize: Type.Integer(),
    leaves: Type.Array(Type.String(), { description: "Leaf data, base64" }),
    inclusionProofs: Type.Array(Type.Array(Type.String()), { description: "Base64, bottom-up" }),
    checkpoint: Type.String({ description: "Signed checkpoint note of size treeSize" }),
    anchor: AnchorSchema,
    proof: ProofSchema,
    publicSignals: Type.Array(Type.String()),
  },
  { additionalProperties: false, title: "ComplianceBundle" },
);

/** A sampling audit (format anchorlog-compliance-sample/v1). */
export const SampleBundleSchema = Type.Object(
  {
    format: Type.Literal("anchorlog-compliance-sample/v1"),
    origin: Type.String(),
    params: ParamsSchema,
    count: Type.Integer(),
    treeSize: Type.Integer(),
    checkpoint: Type.String(),
    anchor: AnchorSchema,
    windows: Type.Array(ComplianceBundleSchema),
  },
  { additionalProperties: false, title: "ComplianceSampleBundle" },
);
