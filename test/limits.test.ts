/** Cutting text that leaves the provider to a bound (limits.ts, pure). */
import { expect } from "chai";
import fc from "fast-check";
import { cutChars } from "../provider/limits";

describe("text bounds (pure)", () => {
    it("cuts to at most the bound, marks the cut, and leaves short text alone", () => {
        expect(cutChars("short", 10)).to.equal("short");
        expect(cutChars("abcdefghijkl", 10)).to.equal("abcdefghi…");
        expect(cutChars("abc", 0)).to.equal("");
    });

    it("never splits a surrogate pair, whatever the text and the bound", () => {
        const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
        fc.assert(
            fc.property(fc.string({ unit: "grapheme" }), fc.integer({ min: 1, max: 50 }), (text, max) => {
                const cut = cutChars(text, max);
                expect(cut.length).to.be.at.most(Math.max(max, 0));
                expect(lone.test(cut)).to.equal(false);
            }),
            { numRuns: 1000 },
        );
    });
});
