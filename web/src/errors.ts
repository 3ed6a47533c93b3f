/**
 * The verifier page's error catalog. Every expected failure of the page's own code (reading
 * what the officer pasted, talking to the log or the chain) is a {@link WebError} with one of
 * these stable codes; the page branches on the code, never on the message, and reads details
 * from `data`. Failures of a proof itself keep the verify modules' own codes.
 */
export interface WebErrorData {
  /** The pasted or dropped text is not what the field expects; `what` names the field. */
  WEB_BAD_INPUT: { what: string; reason: string };
  /** The log or the chain could not be reached, or answered with an HTTP error. */
  WEB_FETCH_FAILED: { url: string; status: number | null };
  /** The log served a tile of the wrong length for the width asked. */
  WEB_BAD_TILE: { url: string; expectedBytes: number; actualBytes: number };
}

/** A stable code of the page, such as `"WEB_FETCH_FAILED"`. */
export type WebErrorCode = keyof WebErrorData;

const MESSAGES: { [C in WebErrorCode]: (data: WebErrorData[C]) => string } = {
  WEB_BAD_INPUT: (d) => `${d.what}: ${d.reason}`,
  WEB_FETCH_FAILED: (d) =>
    d.status === null
      ? `no answer from ${d.url}; check the address and that it allows this page to read it`
      : `${d.url} answered HTTP ${d.status}; check the address and the read key`,
  WEB_BAD_TILE: (d) =>
    `tile ${d.url} has ${d.actualBytes} bytes, expected ${d.expectedBytes}; the log is damaged ` +
    "or is not a tlog-tiles log",
};

/**
 * An expected failure of the page. `code` is stable and `data` carries the offending values;
 * `cause`, when present, is the lower-level error.
 */
export class WebError<C extends WebErrorCode = WebErrorCode> extends Error {
  readonly code: C;

  readonly data: Readonly<WebErrorData[C]>;

  constructor(code: C, data: WebErrorData[C], options?: { cause?: unknown }) {
    super(MESSAGES[code](data), options);

    this.name = "WebError";
    this.code = code;
    this.data = Object.freeze({ ...data });
  }
}

/** The stable code of any coded error (ledger, anchor, zk or page), else undefined. */
export function codeOf(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;

  const code = (err as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** The message of an error, or the value as text. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
