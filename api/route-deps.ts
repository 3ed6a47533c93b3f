/**
 * What route modules are given: the ledger, the key store, the resolved settings and the
 * metrics. Routes hold no other state.
 */
import type { Ledger } from "../ledger";
import type { Receipt } from "../ledger/verify/receipt";
import type { ApiKeyStore } from "../ledger/tenancy/api-keys";
import type { ApiConfig } from "./config";
import type { ApiMetrics } from "./metrics";

/** Dependencies of every route module. */
export interface RouteDeps {
  ledger: Ledger;
  keys: ApiKeyStore;
  config: ApiConfig;
  metrics: ApiMetrics;
  /** Where receipts come from; the ledger's signed receipts when undefined. */
  receipts?: ReceiptSource;
  /**
   * What appends go through; the ledger itself when undefined. The server passes the
   * compliance appender, which adds each operation's commitment to its leaf.
   */
  appender?: Appender;
}

/** The append half of the ledger's interface. */
export type Appender = Pick<Ledger, "append" | "appendBatch">;

/** Makes the receipt of entry `index` of `tenant` (see Ledger.receipt). */
export type ReceiptSource = (tenant: string, index: number) => Promise<Receipt>;

/** The OpenAPI security requirement of authenticated routes. */
export const BEARER_SECURITY = [{ bearerAuth: [] as string[] }];
