/**
 * What the provider records, from whatever the engine hands it (state.ts, pure): state of older
 * versions, missing and extra fields, undefined values, principals not normalized.
 */
import { expect } from "chai";
import fc from "fast-check";
import { asProps, outputsOf, plainValue, principalsToSend, recordOf } from "../../provider/core/state";

/** True when `value` holds `undefined` anywhere: the one thing Pulumi's host cannot send. */
function holdsUndefined(value: unknown): boolean {
    if (value === undefined) return true;
    if (Array.isArray(value)) return value.some(holdsUndefined);
    if (value !== null && typeof value === "object") return Object.values(value).some(holdsUndefined);
    return false;
}

const none = { userIds: [], userLogins: [], groupIds: [] };

describe("state from anything the engine hands over (pure)", () => {
    it("state of an older version, without message or terminatedAt, records neither rather than undefined", () => {
        const old = { userIds: ["2", "1"], reason: "r", message: undefined, extra: 1 };
        expect(recordOf(old)).to.deep.equal({});
        const outs = outputsOf(
            { reason: "new", triggers: undefined },
            { ...none, userIds: ["1"] },
            recordOf(old),
        );
        expect(outs).to.deep.equal({ reason: "new", userIds: ["1"], userLogins: [], groupIds: [] });
        expect(recordOf({ message: "ok", terminatedAt: "2026-11-22T10:00:00.000Z" })).to.deep.equal({
            message: "ok",
            terminatedAt: "2026-11-22T10:00:00.000Z",
        });
        expect(recordOf({ message: 42, terminatedAt: null })).to.deep.equal({});
    });

    it("no output ever holds undefined, whatever the inputs and state", () => {
        fc.assert(
            fc.property(fc.anything({ withUndefined: true } as never), fc.anything(), (inputs, state) => {
                const outs = outputsOf(inputs, { ...none, userIds: ["1"] }, recordOf(state));
                expect(holdsUndefined(outs)).to.equal(false);
            }),
            { numRuns: 1000 },
        );
        expect(plainValue([undefined, { a: undefined, b: [undefined, NaN] }])).to.deep.equal([
            null,
            { b: [null, null] },
        ]);
    });

    it("reads fields from anything: undefined, null, a list, a string", () => {
        for (const value of [undefined, null, [], "x", 3]) expect(asProps(value)).to.deep.equal({});
        expect(asProps({ a: 1 })).to.deep.equal({ a: 1 });
    });

    it("refuses to send an empty set, or a set check would reject, saying nothing was sent", () => {
        expect(principalsToSend({})).to.deep.equal({
            refusal:
                "Nothing was sent to Box: userIds: at least one principal is required across userIds, userLogins and groupIds.",
        });
        expect(principalsToSend({ userIds: [], userLogins: null })).to.have.property("refusal");
        expect(principalsToSend(undefined)).to.have.property("refusal");
        const bad = principalsToSend({ userIds: ["1", "abc"] });
        expect(bad).to.deep.equal({
            refusal: 'Nothing was sent to Box: userIds[1]: must be a Box ID made of digits, got "abc".',
        });
        // Unknown extra fields are not a reason to refuse: the principals are what is sent.
        expect(principalsToSend({ userIds: [" 2", "1", "1"], somethingNew: true })).to.deep.equal({
            principals: { userIds: ["1", "2"], userLogins: [], groupIds: [] },
        });
    });
});
