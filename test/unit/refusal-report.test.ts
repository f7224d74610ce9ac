/**
 * What a run with refused principals reports and records (pure): the reasons name each one with Box's
 * code and request ID, everything fits through Pulumi's provider host whatever Box sent, and the
 * `requestIds` record stays small, typed and free of `undefined`, whatever state it is read from.
 */
import { expect } from "chai";
import fc from "fast-check";
import { fitsThroughHost, MAX_TRAILER_BYTES, trailerBytes } from "../../provider/core/trailer-limits";
import type { RefusedPrincipal } from "../../provider/core/isolation-types";
import { MAX_REQUEST_IDS } from "../../provider/core/limits";
import { describeRefused, planPartialReport } from "../../provider/core/partial-failure";
import { providerCarry, READ_DELETE_PROVIDER } from "../../provider/dynamic/partial-record";
import { refusedLines, TerminationRefusedError } from "../../provider/core/refusal";
import { outputsOf, recordOf } from "../../provider/core/state";

const none = { userIds: [], userLogins: [], groupIds: [] };

/** Whether `value` holds `undefined`, or a number a protobuf Struct cannot carry, anywhere. */
function unfit(value: unknown): boolean {
    if (value === undefined) return true;
    if (typeof value === "number") return !Number.isFinite(value);
    if (Array.isArray(value)) return value.some(unfit);
    if (value !== null && typeof value === "object") return Object.values(value).some(unfit);
    return false;
}
const refusedId = (value: string, requestId = `req-${value}`): RefusedPrincipal => ({
    kind: "userIds",
    value,
    status: 404,
    code: "not_found",
    requestId,
});

describe("reporting principals Box refused (pure)", () => {
    it("names each refused principal with Box's status, code and request ID, IDs by number", () => {
        expect(
            describeRefused([
                refusedId("900"),
                {
                    kind: "userLogins",
                    value: "b@example.com",
                    status: 400,
                    code: "bad_request",
                    requestId: "r2",
                },
                refusedId("12"),
                { kind: "groupIds", value: "77", status: 404 },
            ]),
        ).to.equal(
            "userIds 12 (404 not_found, request ID req-12), 900 (404 not_found, request ID req-900); userLogins b@example.com (400 bad_request, request ID r2); groupIds 77 (404)",
        );
        expect(
            describeRefused(
                Array.from({ length: 25 }, (_, i) => refusedId(String(100 + i))),
                2,
            ),
        ).to.equal(
            "userIds 100 (404 not_found, request ID req-100), 101 (404 not_found, request ID req-101) and 23 more",
        );
    });

    it("a partial report without a stopping cause says who Box does not know and what to do", () => {
        const report = planPartialReport({
            accepted: { ...none, userIds: ["1", "2"] },
            notDone: { ...none, userIds: ["3"] },
            refused: [refusedId("3", "abc")],
            id: "id-1",
            properties: { userIds: ["1", "2"], requestIds: ["r1"], requestCount: 1 },
            carry: providerCarry("p"),
        });
        expect(report.reasons).to.deep.equal([
            "Box accepted the termination for 2 principal(s) but not for 1.",
            "Cause: Box does not know 1 principal(s): it refused each of them named alone (404 not_found). Every other principal was terminated.",
            "Unknown to Box (refused alone): userIds 3 (404 not_found, request ID abc)",
            "Terminated: userIds 1, 2",
            "Not terminated: userIds 3",
            "Pulumi state records only the terminated principals. Remove or correct the principals Box does not know (a deleted user, a mistyped login, a merged group): until then every `pulumi up` sends only them, and fails naming them again.",
        ]);
        expect(report.properties).to.deep.equal({
            userIds: ["1", "2"],
            requestIds: ["r1"],
            requestCount: 1,
            __provider: "p",
        });
    });

    it("drops Box's request IDs (keeping their count) before it gives up recording who was terminated", () => {
        const requestIds = Array.from({ length: MAX_REQUEST_IDS }, (_, i) => `${i}`.padStart(100, "r"));
        const logins = Array.from({ length: 700 }, (_, i) => `person${i}@bulk.example`);
        const report = planPartialReport({
            accepted: { ...none, userLogins: logins },
            notDone: { ...none, userIds: ["3"] },
            refused: [refusedId("3")],
            id: "id-1",
            properties: { userLogins: logins, requestIds, requestCount: 250 },
            carry: providerCarry("x".repeat(80_000)),
        });
        expect(report.properties?.__provider).to.equal(READ_DELETE_PROVIDER);
        expect(report.properties?.requestIds).to.deep.equal([]);
        expect(report.properties?.requestCount).to.equal(250);
        expect(report.properties?.userLogins).to.have.length(700);
    });

    it("when a bulk result is too large to record, still names every principal Box refused (up to 100)", () => {
        const accepted = Array.from({ length: 9_990 }, (_, i) => String(100_000 + i));
        const refused = Array.from({ length: 10 }, (_, i) => refusedId(String(200_000 + i)));
        const report = planPartialReport({
            accepted: { ...none, userIds: accepted },
            notDone: { ...none, userIds: refused.map((r) => r.value) },
            refused,
            id: "id-1",
            properties: { userIds: accepted, requestIds: ["r"], requestCount: 30 },
            carry: providerCarry("p"),
        });
        expect(report.properties).to.equal(undefined);
        const text = report.reasons.join("\n");
        for (const r of refused)
            expect(text).to.include(`${r.value} (404 not_found, request ID req-${r.value})`);
        expect(report.reasons.at(-1)).to.match(/Remove or correct the principals Box does not know first/);
        expect(fitsThroughHost({ message: text })).to.equal(true);
    });

    it("every report fits through the host, whatever Box refused and answered", () => {
        fc.assert(
            fc.property(
                fc.array(fc.string({ unit: "grapheme", minLength: 1, maxLength: 254 }), { maxLength: 300 }),
                fc.array(fc.string({ unit: "grapheme", maxLength: 100 }), { maxLength: MAX_REQUEST_IDS }),
                fc.array(fc.string({ unit: "grapheme", minLength: 1, maxLength: 200 }), { maxLength: 300 }),
                (refusedLogins, requestIds, accepted) => {
                    const refused = refusedLogins.map((value, i): RefusedPrincipal => ({
                        kind: "userLogins",
                        value,
                        status: 404,
                        code: "x".repeat(100),
                        requestId: requestIds[i % Math.max(1, requestIds.length)] ?? "r",
                    }));
                    const report = planPartialReport({
                        accepted: { ...none, userLogins: accepted },
                        notDone: { ...none, userLogins: refusedLogins },
                        refused,
                        id: "id-1",
                        properties: { userLogins: accepted, requestIds, requestCount: requestIds.length },
                        carry: providerCarry("y".repeat(70_000)),
                    });
                    const message = report.reasons.join("\n");
                    const shape = report.properties
                        ? { message, id: "id-1", properties: report.properties, reasons: report.reasons }
                        : { message };
                    expect(fitsThroughHost(shape)).to.equal(true);
                },
            ),
            { numRuns: 60 },
        );
    });

    it("a step Box accepted for no one: Box's own answer first, then who it refused; short whatever the count", () => {
        const refused = Array.from({ length: 5_000 }, (_, i) => refusedId(String(10_000 + i)));
        const error = new TerminationRefusedError({
            notDone: { ...none, userIds: refused.map((r) => r.value) },
            refused,
            refusedEverything: false,
            tried: 5_000,
            firstRefusal: new Error("Box API 404 not_found: Not Found (request ID first) [POST /x]"),
        });
        const lines = error.message.split("\n");
        expect(lines[0]).to.equal("Box API 404 not_found: Not Found (request ID first) [POST /x]");
        expect(lines[1]).to.equal(
            "Box knew none of the 5000 principal(s) tried: it refused each of them named alone (404 not_found), so Box does not know them.",
        );
        expect(lines[2]).to.match(
            /^Unknown to Box \(refused alone\): userIds 10000 \(404 not_found, request ID req-10000\)/,
        );
        expect(lines[2]).to.match(/and 4900 more$/);
        expect(trailerBytes({ message: error.message })).to.be.below(MAX_TRAILER_BYTES / 4);
        expect(error).to.be.instanceOf(Error);
        expect(JSON.parse(JSON.stringify(error)).name).to.equal("TerminationRefusedError");
    });

    it("says when Box refused everything tried and the run stopped early, and how many were never sent", () => {
        const lines = refusedLines({
            notDone: { ...none, userIds: Array.from({ length: 3000 }, (_, i) => String(1 + i)) },
            refused: [refusedId("5")],
            refusedEverything: true,
            tried: 2000,
        });
        expect(lines[0]).to.equal(
            "Box knew none of the 2000 principal(s) tried: it refused every request (404 not_found), including 1 principals named alone from across the list, so it was asked no more. 1000 more were never sent.",
        );
        expect(lines[1]).to.match(/^Check that box:baseUrl and the credentials are those of the enterprise/);
    });
});

describe("requestIds in state (pure)", () => {
    it("records Box's request IDs with their count, capped at 100; state without them gains no key", () => {
        const ids = Array.from({ length: 250 }, (_, i) => `rid-${i}`);
        const outs = outputsOf(
            { reason: "r" },
            { ...none, userIds: ["1"] },
            {
                message: "m",
                terminatedAt: "t",
                requestIds: ids,
                requestCount: 250,
            },
        );
        expect(outs.requestIds).to.deep.equal(ids.slice(0, MAX_REQUEST_IDS));
        expect(outs.requestCount).to.equal(250);
        const old = outputsOf({}, { ...none, userIds: ["1"] }, recordOf({ userIds: ["1"], message: "m" }));
        expect(old).to.not.have.any.keys("requestIds", "requestCount");
        expect(unfit(old)).to.equal(false);
    });

    it("reads them back from any state, keeping only what is well-typed and a count that can be right", () => {
        expect(recordOf({ requestIds: ["a", 1, null, "b"], requestCount: 7 })).to.deep.equal({
            requestIds: ["a", "b"],
            requestCount: 7,
        });
        expect(recordOf({ requestIds: ["a", "b"], requestCount: -1 })).to.deep.equal({
            requestIds: ["a", "b"],
            requestCount: 2,
        });
        expect(recordOf({ requestIds: ["a"] })).to.deep.equal({ requestIds: ["a"], requestCount: 1 });
        expect(recordOf({ requestIds: "a", requestCount: 3 })).to.deep.equal({});
        fc.assert(
            fc.property(fc.anything(), fc.anything(), (requestIds, requestCount) => {
                const outs = outputsOf(
                    {},
                    { ...none, userIds: ["1"] },
                    recordOf({ requestIds, requestCount }),
                );
                expect(unfit(outs)).to.equal(false);
                if ("requestIds" in outs) {
                    expect(outs.requestIds).to.satisfy((xs: unknown[]) =>
                        xs.every((x) => typeof x === "string"),
                    );
                    expect(outs.requestCount).to.be.a("number");
                }
            }),
            { numRuns: 500 },
        );
    });
});
