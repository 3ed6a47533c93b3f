/**
 * tlog-tiles path encoding. The vector "1234067 is x001/x234/067" is the example of the
 * C2SP tlog-tiles specification; the rest are properties of the canonical encoding.
 */
import assert from "node:assert/strict";

import fc from "fast-check";

import { ApiError } from "../../api";
import { formatTilePath, parseTileLevel, parseTilePath } from "../../api/tile-path";

const isBadPath = (err: unknown) => err instanceof ApiError && err.code === "API_BAD_TILE_PATH";

describe("tile paths", () => {
  describe("formatTilePath", () => {
    it("encodes the specification's example and the edges of each element count", () => {
      assert.equal(formatTilePath(1234067), "x001/x234/067");
      assert.equal(formatTilePath(0), "000");
      assert.equal(formatTilePath(999), "999");
      assert.equal(formatTilePath(1000), "x001/000");
      assert.equal(formatTilePath(5, 44), "005.p/44");
    });
  });

  describe("parseTilePath", () => {
    it("inverts formatTilePath for every safe index and width", () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
          fc.option(fc.integer({ min: 1, max: 255 }), { nil: undefined }),
          (n, width) => {
            assert.deepEqual(parseTilePath(formatTilePath(n, width)), { n, width });
          },
        ),
      );
    });

    it("accepts only the canonical encoding: any other string is refused", () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 40 }), (text) => {
          let parsed;
          try {
            parsed = parseTilePath(text);
          } catch (err) {
            assert.ok(isBadPath(err));
            return;
          }
          assert.equal(formatTilePath(parsed.n, parsed.width), text);
        }),
      );
    });

    it("refuses leading zero elements, bad widths and indices beyond 2^53", () => {
      for (const text of ["x000/001", "000.p/0", "000.p/256", "000.p/01", "1", "x1/000", "000/"]) {
        assert.throws(() => parseTilePath(text), isBadPath, text);
      }
      assert.throws(() => parseTilePath("x009/x007/x199/x254/x740/x992/000"), isBadPath);
    });
  });

  describe("parseTileLevel", () => {
    it("accepts 0-63 without leading zeros", () => {
      assert.equal(parseTileLevel("0"), 0);
      assert.equal(parseTileLevel("63"), 63);
      for (const text of ["64", "00", "01", "-1", "", "1e1", " 1", "entries"]) {
        assert.throws(() => parseTileLevel(text), isBadPath, text);
      }
    });
  });
});
