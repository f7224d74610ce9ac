/** Cutting text that leaves the provider to a bound: limits.ts (pure), and where Box's text meets it. */
import { expect } from "chai";
import fc from "fast-check";
import { cutChars } from "../../provider/core/limits";
import { startBoxEmulator, type BoxEmulator } from "../../provider/testing";
import { configure, inputs, provider } from "../helpers";

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

describe("Box's text in state (in-process provider, real HTTP)", () => {
    const TOKEN = "tok_limits_prefix_0123456789abcdef";
    let box: BoxEmulator;
    beforeEach(async () => {
        box = await startBoxEmulator({ accessTokens: [TOKEN] });
        await configure({ "box:accessToken": TOKEN, "box:baseUrl": box.baseUrl });
    });
    afterEach(() => box.close());

    it("is redacted before it is cut, so no part of a secret survives at the cut", async () => {
        const echoed = `${"a".repeat(990)}${TOKEN}`;
        box.enqueue({
            path: "/2.0/users/terminate_sessions",
            status: 202,
            body: JSON.stringify({ message: echoed }),
        });
        const created = await provider.create(inputs({ userIds: ["1"] }));
        const message = String(created.outs.message);
        expect(message).to.have.length.at.most(1000);
        expect(message).to.not.include(TOKEN.slice(0, 8));
        expect(message).to.match(/\[REDACTED\]$/);
    });
});
