import assert from "node:assert/strict";

import fc from "fast-check";

import { canonicalJson } from "../../ledger/verify";

/** An independent reading of RFC 8785 §3.2: members sorted by UTF-16 code units. */
function jcs(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jcs).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    entries.sort(([a], [b]) => {
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        if (a.charCodeAt(i) !== b.charCodeAt(i)) return a.charCodeAt(i) - b.charCodeAt(i);
      }
      return a.length - b.length;
    });
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${jcs(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

describe("canonicalJson", () => {
  it("sorts members by UTF-16 code units at every depth, for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        assert.equal(canonicalJson(value), jcs(value));
      }),
      { numRuns: 500 },
    );
  });

  it("orders integer-like keys as strings, not as JavaScript prints them", () => {
    const value = JSON.parse('{"10":1,"9":2,"":3,"a":4}');

    assert.equal(JSON.stringify(value), '{"9":2,"10":1,"":3,"a":4}');
    assert.equal(canonicalJson(value), '{"":3,"10":1,"9":2,"a":4}');
  });

  it("keeps a __proto__ key as an ordinary member", () => {
    const value = JSON.parse('{"b":1,"__proto__":{"x":true},"a":[2,{"d":null,"c":"é"}]}');

    assert.equal(canonicalJson(value), '{"__proto__":{"x":true},"a":[2,{"c":"é","d":null}],"b":1}');
  });

  it("refuses values JSON cannot represent exactly", () => {
    for (const bad of [NaN, Infinity, 1n, () => 0, [undefined]]) {
      assert.throws(() => canonicalJson(bad), TypeError);
    }
  });
});
