/**
 * Reads one tenant log over its C2SP tlog-tiles HTTP interface: `<base>checkpoint`,
 * `<base>tile/<L>/<N>[.p/<W>]`. anchorlog serves these under `/v1/log/` and takes the tenant
 * from the bearer key, so a read key is sent as `Authorization: Bearer <key>` when given.
 *
 * Requests carry no cookies and no referrer. Tiles never change once they exist, so each one
 * is fetched once per reader.
 */
import { WebError } from "../errors";
import { formatTileIndex } from "./tile-path";

const HASH_BYTES = 32;

/** Where a reader finds a log. */
export interface LogLocation {
  /** The tlog-tiles base URL, e.g. `https://host/v1/log/`; a missing final slash is added. */
  baseUrl: string;
  /** A read key of the tenant, sent as a bearer token; empty or undefined sends none. */
  readKey?: string;
}

/** A tlog-tiles client for one log. */
export class HttpLog {
  readonly baseUrl: string;

  private readonly _headers: Record<string, string>;

  private readonly _tiles = new Map<string, Promise<Uint8Array>>();

  /** Throws WebError WEB_BAD_INPUT when `baseUrl` is not an http(s) URL. */
  constructor(location: LogLocation) {
    this.baseUrl = normaliseBase(location.baseUrl);
    const key = location.readKey?.trim() ?? "";
    this._headers = key === "" ? {} : { authorization: `Bearer ${key}` };
  }

  /** The log's latest signed checkpoint note, as served. */
  async checkpoint(): Promise<string> {
    const response = await this._get(`${this.baseUrl}checkpoint`, "no-store");

    return response.text();
  }

  /**
   * The hashes of tile `n` at `level`, `width` of them (1-256), as 32-byte arrays.
   *
   * @throws WebError WEB_FETCH_FAILED when the log does not serve the tile, WEB_BAD_TILE when
   *   it serves a tile of another length.
   */
  async tile(level: number, n: number, width: number): Promise<Uint8Array[]> {
    const url = `${this.baseUrl}tile/${level}/${formatTileIndex(n, width)}`;

    let pending = this._tiles.get(url);
    if (pending === undefined) {
      pending = this._fetchTile(url, width);
      this._tiles.set(url, pending);
      pending.catch(() => this._tiles.delete(url));
    }
    const bytes = await pending;

    const hashes: Uint8Array[] = [];
    for (let i = 0; i < width; i++)
      hashes.push(bytes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES));
    return hashes;
  }

  private async _fetchTile(url: string, width: number): Promise<Uint8Array> {
    const response = await this._get(url, "default");

    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length !== width * HASH_BYTES) {
      throw new WebError("WEB_BAD_TILE", {
        url,
        expectedBytes: width * HASH_BYTES,
        actualBytes: bytes.length,
      });
    }
    return bytes;
  }

  private async _get(url: string, cache: RequestCache): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: this._headers,
        cache,
        credentials: "omit",
        referrerPolicy: "no-referrer",
      });
    } catch (cause) {
      throw new WebError("WEB_FETCH_FAILED", { url, status: null }, { cause });
    }

    if (!response.ok) throw new WebError("WEB_FETCH_FAILED", { url, status: response.status });
    return response;
  }
}

function normaliseBase(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim(), globalThis.location?.href);
  } catch (cause) {
    throw new WebError("WEB_BAD_INPUT", { what: "log URL", reason: "not a URL" }, { cause });
  }

  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new WebError("WEB_BAD_INPUT", { what: "log URL", reason: "must be http or https" });
  }
  url.search = "";
  url.hash = "";
  return url.href.endsWith("/") ? url.href : `${url.href}/`;
}
