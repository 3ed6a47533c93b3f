/**
 * The opening of an operation commitment, sealed with its event in the entry's encrypted
 * record (under the key "compliance"): the salt and the field encodings the commitment was
 * computed from. Proving needs it again; erasing the entry destroys it, after which the
 * operation can no longer be proven (nor guessed from its commitment).
 *
 *   { "v": 1, "time": <seconds>, "salt": "<decimal>",
 *     "fields": ["<actor>", "<role>", "<action>", "<resource class>"] }   field elements, decimal
 *
 * The operation's time is the event's timestamp in whole seconds (rounded down).
 */
import type { AuditEvent } from "../log/event";
import { encodeName, type Operation } from "../zk";
import { ComplianceError } from "./errors";

/** The key of the opening among an entry's sealed extras. */
export const OPENING_KEY = "compliance";

/** The sealed form of an operation's opening. */
export interface OperationOpening {
  readonly v: 1;
  readonly time: number;
  readonly salt: string;
  readonly fields: readonly [string, string, string, string];
}

/** An event's timestamp as whole seconds since the Unix epoch (rounded down). */
export function eventTimeSeconds(event: AuditEvent): number {
  return Math.floor(Date.parse(event.timestamp) / 1000);
}

/**
 * The operation an event describes, with `salt`; undefined when the event lacks a role or a
 * resource class. Names are not checked here: committing to them does that.
 */
export function operationOf(event: AuditEvent, salt: bigint): Operation | undefined {
  if (event.role === undefined || event.resourceClass === undefined) return undefined;

  return {
    actor: event.actor,
    role: event.role,
    action: event.action,
    resourceClass: event.resourceClass,
    time: eventTimeSeconds(event),
    salt,
  };
}

/** The opening to seal for `op`. */
export function openingOf(op: Operation): OperationOpening {
  return {
    v: 1,
    time: op.time,
    salt: op.salt.toString(),
    fields: [
      encodeName("actor", op.actor).toString(),
      encodeName("role", op.role).toString(),
      encodeName("action", op.action).toString(),
      encodeName("resource-class", op.resourceClass).toString(),
    ],
  };
}

/**
 * Reads the operation of entry `index` back from its private record: the event's names with
 * the sealed time and salt. The sealed field encodings must equal those of the names, so a
 * record sealed under another encoding is caught here rather than as a failing witness.
 *
 * @throws ComplianceError COMPLIANCE_NO_COMMITMENT when the record holds no opening,
 *   COMPLIANCE_OPENING_MISMATCH when the opening disagrees with the event.
 */
export function readOpening(
  record: { event: AuditEvent } & Record<string, unknown>,
  index: number,
): Operation {
  const opening = record[OPENING_KEY] as OperationOpening | undefined;
  if (opening === undefined || opening.v !== 1) {
    throw new ComplianceError("COMPLIANCE_NO_COMMITMENT", { index });
  }

  const op = operationOf(record.event, 0n);
  if (op === undefined || !/^[0-9]{1,80}$/.test(opening.salt)) {
    throw new ComplianceError("COMPLIANCE_OPENING_MISMATCH", { index });
  }
  const withSalt: Operation = { ...op, time: opening.time, salt: BigInt(opening.salt) };
  const expected = openingOf(withSalt);
  if (expected.fields.join(",") !== opening.fields.join(",")) {
    throw new ComplianceError("COMPLIANCE_OPENING_MISMATCH", { index });
  }
  return withSalt;
}
