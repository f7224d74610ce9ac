/**
 * Sizing what an error carries out of Pulumi's provider host, checked against the real encoders the
 * host uses (google-protobuf's Struct, google.rpc.Status, grpc-js's encodeURI of the message).
 */
import { expect } from "chai";
import fc from "fast-check";
import {
    boundText,
    errorForHost,
    MAX_TRAILER_BYTES,
    structBytes,
    trailerBytes,
} from "../../provider/core/trailer-limits";
import { planPartialReport } from "../../provider/core/partial-failure";
import { providerCarry, READ_DELETE_PROVIDER } from "../../provider/dynamic/partial-record";

import { realTrailerBytes, structproto } from "../real-trailer";

const key = fc.string({ unit: "grapheme" }).filter((k) => k !== "__proto__");
const jsonValue = fc.letrec((tie) => ({
    value: fc.oneof(
        { depthSize: "small" },
        fc.string({ unit: "grapheme" }),
        fc.string({ unit: "binary" }),
        fc.boolean(),
        fc.double({ noNaN: true }),
        fc.constant(null),
        fc.array(tie("value"), { maxLength: 5 }),
        fc.dictionary(key, tie("value"), { maxKeys: 5 }),
    ),
}));

describe("host limits: what an error can carry out of Pulumi's provider host", () => {
    it("sizes a protobuf Struct exactly as google-protobuf encodes it (any JSON, any Unicode)", () => {
        fc.assert(
            fc.property(
                fc.dictionary(fc.string({ unit: "grapheme" }), jsonValue.value, { maxKeys: 8 }),
                (obj) => {
                    const clean = JSON.parse(JSON.stringify(obj), (k: string, v: unknown) =>
                        k === "__proto__" ? undefined : v,
                    ) as Record<string, unknown>;
                    const real = structproto.Struct.fromJavaScript(clean).serializeBinary().length;
                    expect(structBytes(clean)).to.equal(real);
                },
            ),
            { numRuns: 300 },
        );
    });

    it("sizes the trailers of an error with and without id as the host builds them, plus a fixed allowance", () => {
        fc.assert(
            fc.property(
                fc.string({ unit: "grapheme" }),
                fc.option(fc.uuid()),
                fc.array(fc.string({ unit: "grapheme" }), { maxLength: 5 }),
                fc.array(fc.string({ unit: "grapheme", maxLength: 300 }), { maxLength: 50 }),
                (message, id, reasons, logins) => {
                    const shape = {
                        message,
                        id: id ?? undefined,
                        properties: { userLogins: logins, __provider: "x" },
                        reasons,
                    };
                    const ours = trailerBytes(shape);
                    const real = realTrailerBytes(shape);
                    expect(ours).to.be.at.least(real);
                    // The allowance, plus a few bytes where proto3 leaves an empty field out.
                    expect(ours - real).to.be.at.most(520);
                },
            ),
            { numRuns: 200 },
        );
    });

    it("cuts text to a byte budget as grpc-js encodes it, and makes lone surrogates safe for encodeURI", () => {
        const text = "é".repeat(10_000);
        const cut = boundText(text, 1_000);
        expect(encodeURI(cut).length).to.be.at.most(1_000);
        expect(cut).to.match(/^é+ … \(cut to fit through Pulumi's provider host\)$/);
        expect(() => encodeURI(boundText("a\uD800b", 100))).to.not.throw();
        expect(boundText("short", 100)).to.equal("short");
    });

    it("bounds any thrown error's message, whatever was thrown", () => {
        const huge = errorForHost(new Error("x".repeat(1_000_000)));
        expect(trailerBytes({ message: huge.message })).to.be.at.most(MAX_TRAILER_BYTES);
        expect(errorForHost("a string").message).to.equal("a string");
    });

    describe("a partial result's report", () => {
        const base = {
            accepted: { userIds: ["1", "2"], userLogins: [], groupIds: [] },
            notDone: { userIds: ["3"], userLogins: [], groupIds: ["9"] },
            cause: new Error(
                "Box API 403 access_denied_insufficient_permissions: Forbidden (request ID r-1)",
            ),
            id: "id-1",
        };

        it("records the real __provider when it fits, with the whole diagnosis in reasons", () => {
            const report = planPartialReport({
                ...base,
                properties: { userIds: ["1", "2"] },
                carry: providerCarry("p"),
            });
            expect(report.properties).to.deep.equal({ userIds: ["1", "2"], __provider: "p" });
            expect(report.reasons).to.deep.equal([
                "Box accepted the termination for 2 principal(s) but not for 2.",
                "Cause: Box API 403 access_denied_insufficient_permissions: Forbidden (request ID r-1)",
                "Terminated: userIds 1, 2",
                "Not terminated: userIds 3; groupIds 9",
                "Pulumi state records only the terminated principals. Fix the cause above, then run `pulumi up` again: it sends only the principals not terminated.",
            ]);
        });

        it("records a read/delete stand-in when the real __provider is too large to travel", () => {
            const report = planPartialReport({
                ...base,
                properties: { userIds: ["1", "2"] },
                carry: providerCarry("x".repeat(80_000)),
            });
            expect(report.properties?.__provider).to.equal(READ_DELETE_PROVIDER);
        });

        it("records nothing, and says so, when even the accepted principals cannot travel", () => {
            const logins = Array.from({ length: 3_000 }, (_, i) => `person${i}@bulk.example`);
            const report = planPartialReport({
                ...base,
                properties: { userLogins: logins },
                carry: providerCarry("p"),
            });
            expect(report.properties).to.equal(undefined);
            expect(report.reasons.at(-1)).to.match(/^This partial result is too large to record/);
            expect(trailerBytes({ message: report.reasons.join("\n") })).to.be.at.most(MAX_TRAILER_BYTES);
        });

        it("every report fits through the host, whatever the reason text and principals", () => {
            fc.assert(
                fc.property(
                    fc.string({ unit: "grapheme", maxLength: 30_000 }),
                    fc.array(fc.string({ unit: "grapheme", minLength: 1, maxLength: 200 }), {
                        maxLength: 400,
                    }),
                    fc.string({ unit: "grapheme", maxLength: 20_000 }),
                    (reason, logins, cause) => {
                        const report = planPartialReport({
                            ...base,
                            cause: new Error(cause),
                            notDone: { userIds: [], userLogins: logins, groupIds: [] },
                            properties: { reason, userLogins: logins },
                            carry: providerCarry("y".repeat(70_000)),
                        });
                        const message = report.reasons.join("\n");
                        const shape = report.properties
                            ? { message, id: "id-1", properties: report.properties, reasons: report.reasons }
                            : { message };
                        expect(realTrailerBytes(shape)).to.be.at.most(MAX_TRAILER_BYTES);
                    },
                ),
                { numRuns: 60 },
            );
        });
    });
});
