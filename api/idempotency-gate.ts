/**
 * One request at a time per idempotency key. Requests carrying the same key (for the same
 * tenant and route) run one after another: each starts once the previous has settled, so it
 * finds the first one's durable idempotency record and gets the same answer, or 422.
 *
 * Why here and not only in the ledger: the ledger's own check looks the key up in the store
 * and then in its in-flight table with an await in between, so a retry whose lookup straddles
 * the first append's commit sees neither and appends a second entry. Until the ledger claims
 * the key before awaiting the store, this gate keeps API clients safe. It only covers one
 * process, which is all a LevelDB ledger allows.
 */

/** Serialises async work by key. */
export class IdempotencyGate {
  private readonly _tails = new Map<string, Promise<unknown>>();

  /** Runs `work` after every earlier `run` with the same key has settled. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this._tails.get(key);
    const mine = previous === undefined ? work() : previous.then(work);

    // The stored tail never rejects, so the next caller always gets its turn.
    const tail = mine.catch(() => undefined);
    this._tails.set(key, tail);
    void tail.then(() => {
      if (this._tails.get(key) === tail) this._tails.delete(key);
    });
    return mine;
  }

  /** Keys with work in flight (for tests and metrics). */
  get size(): number {
    return this._tails.size;
  }
}
