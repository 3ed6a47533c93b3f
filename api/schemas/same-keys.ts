/**
 * A compile-time guard that a schema names exactly the fields of the ledger type it carries.
 * Response serialisation drops fields a schema does not name, silently, so a field added to
 * the ledger type must fail the type check here until the schema follows.
 */

/** `true` only when A and B have the same property names. */
export type SameKeys<A, B> = [keyof A] extends [keyof B]
  ? [keyof B] extends [keyof A]
    ? true
    : false
  : false;

/**
 * Call as `sameKeys<Static<typeof Schema>, LedgerType>(true)`: the argument only type-checks
 * when the two have the same property names. Does nothing at run time.
 */
export function sameKeys<A, B>(same: SameKeys<A, B>): void {
  void same;
}
