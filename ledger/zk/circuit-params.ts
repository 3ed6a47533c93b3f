/**
 * Parameters of a ComplianceWindow circuit: the number of operations one proof covers and the
 * depths of the two trees. Each parameter set is compiled to its own circuit with its own
 * trusted setup and verification key.
 *
 * Pure: no Node-only APIs.
 */

/** One parameter set. Depths count binary levels: a tree of depth d has 2^d leaf slots. */
export interface CircuitParams {
  /** Short name used for build folders and artifact files. */
  readonly name: string;
  /** Operations per proof (N). */
  readonly operations: number;
  /** Depth of the policy tree; even, since the tree has arity 4. */
  readonly policyDepth: number;
  /** Depth of the assignment tree; even, since the tree has arity 4. */
  readonly assignmentDepth: number;
}

/**
 * The development parameters: 2 operations per proof, 16 grants, 256 assignments. Small
 * enough (about 6,800 constraints) for a 2^13 setup that is shipped with the sources.
 */
export const DEV_PARAMS: CircuitParams = {
  name: "dev",
  operations: 2,
  policyDepth: 4,
  assignmentDepth: 8,
};

/**
 * The production parameters: 4 operations per proof, 256 grants, 65,536 assignments (about
 * 21,400 constraints; a 2^15 phase-1 ceremony file covers them).
 */
export const PRODUCTION_PARAMS: CircuitParams = {
  name: "production",
  operations: 4,
  policyDepth: 8,
  assignmentDepth: 16,
};

/**
 * Checks a parameter set: a kebab-case name, 1-64 operations, even depths in [2, 32].
 *
 * @throws RangeError naming the offending parameter.
 */
export function checkCircuitParams(params: CircuitParams): CircuitParams {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(params.name)) {
    throw new RangeError(`circuit name "${params.name}" must be kebab-case`);
  }
  if (!Number.isInteger(params.operations) || params.operations < 1 || params.operations > 64) {
    throw new RangeError(`operations is ${params.operations}, wanted an integer in [1, 64]`);
  }
  for (const key of ["policyDepth", "assignmentDepth"] as const) {
    const depth = params[key];
    if (!Number.isInteger(depth) || depth < 2 || depth > 32 || depth % 2 !== 0) {
      throw new RangeError(`${key} is ${depth}, wanted an even integer in [2, 32]`);
    }
  }

  return params;
}

/** Number of public signals: windowStart, policyRoot, assignmentRoot, N commitments, N times. */
export function publicSignalCount(params: CircuitParams): number {
  return 3 + 2 * params.operations;
}
