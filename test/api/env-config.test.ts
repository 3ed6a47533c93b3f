/**
 * Server settings from the environment: defaults, parsing, and one-line refusals.
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";

import { ConfigError, configFromEnv } from "../../api/startup";
import { DEFAULT_API_CONFIG } from "../../api";
import { generateApiKey } from "../../ledger/tenancy/api-keys";

const isConfigError = (name: string) => (err: unknown) =>
  err instanceof ConfigError && err.message.startsWith(name) && !err.message.includes("\n");

describe("configFromEnv", () => {
  it("takes the documented defaults from an empty environment", () => {
    const { config, unknown } = configFromEnv({});

    assert.equal(config.port, 8080);
    assert.equal(config.host, "127.0.0.1");
    assert.equal(config.dataDir, resolve("./data"));
    assert.equal(config.originPrefix, "localhost/anchorlog");
    assert.equal(config.adminKey, undefined);
    assert.equal(config.maxQueuedEntries, 65536);
    assert.deepEqual(config.api.rateLimit, DEFAULT_API_CONFIG.rateLimit);
    assert.equal(config.api.readyMaxQueueDepth, Math.floor(65536 * 0.9));
    assert.deepEqual(unknown, []);
  });

  it("reads every setting", () => {
    const key = generateApiKey();
    const { config } = configFromEnv({
      ANCHORLOG_PORT: "9000",
      ANCHORLOG_HOST: "0.0.0.0",
      ANCHORLOG_DATA_DIR: "/srv/anchorlog",
      ANCHORLOG_ORIGIN_PREFIX: "log.example.com/audit",
      ANCHORLOG_ADMIN_KEY: key,
      ANCHORLOG_LOG_LEVEL: "debug",
      ANCHORLOG_BODY_LIMIT_BYTES: "2048",
      ANCHORLOG_MAX_BATCH_EVENTS: "10",
      ANCHORLOG_MAX_EVENT_BYTES: "4096",
      ANCHORLOG_MAX_QUEUED_ENTRIES: "100",
      ANCHORLOG_RATE_LIMIT_MAX: "0",
      ANCHORLOG_MAX_EVENT_LOOP_DELAY_MS: "250",
      ANCHORLOG_METRICS_TOKEN: "0123456789abcdef",
    });

    assert.equal(config.port, 9000);
    assert.equal(config.host, "0.0.0.0");
    assert.equal(config.dataDir, "/srv/anchorlog");
    assert.equal(config.originPrefix, "log.example.com/audit");
    assert.equal(config.adminKey, key);
    assert.equal(config.logLevel, "debug");
    assert.equal(config.api.bodyLimitBytes, 2048);
    assert.equal(config.api.maxBatchEvents, 10);
    assert.equal(config.maxEventBytes, 4096);
    assert.equal(config.api.readyMaxQueueDepth, 90);
    assert.equal(config.api.rateLimit, false);
    assert.equal(config.api.maxEventLoopDelayMs, 250);
    assert.equal(config.api.metricsToken, "0123456789abcdef");
  });

  it("refuses bad values with one line naming the variable", () => {
    const bad: [string, string][] = [
      ["ANCHORLOG_PORT", "80a"],
      ["ANCHORLOG_PORT", "65536"],
      ["ANCHORLOG_PORT", "-1"],
      ["ANCHORLOG_HOST", "bad host"],
      ["ANCHORLOG_ORIGIN_PREFIX", "has+plus"],
      ["ANCHORLOG_ORIGIN_PREFIX", "trailing/"],
      ["ANCHORLOG_ADMIN_KEY", "secret"],
      ["ANCHORLOG_LOG_LEVEL", "loud"],
      ["ANCHORLOG_MAX_BATCH_EVENTS", "0"],
      ["ANCHORLOG_RATE_LIMIT_WINDOW_MS", "1.5"],
      ["ANCHORLOG_METRICS_TOKEN", "short"],
    ];
    for (const [name, value] of bad) {
      assert.throws(
        () => configFromEnv({ [name]: value }),
        isConfigError(name),
        `${name}=${value}`,
      );
    }
  });

  it("never echoes a secret in its message", () => {
    assert.throws(
      () => configFromEnv({ ANCHORLOG_ADMIN_KEY: "hunter2-hunter2" }),
      (err: Error) => !err.message.includes("hunter2"),
    );
  });

  it("reports unknown ANCHORLOG_ variables, which are usually typos", () => {
    const { unknown } = configFromEnv({ ANCHORLOG_PROT: "1", OTHER: "x" });

    assert.deepEqual(unknown, ["ANCHORLOG_PROT"]);
  });
});
