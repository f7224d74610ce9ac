/**
 * The byte bound `check` enforces so that a partial failure of any resource it accepts can be
 * recorded (record-bound.ts), and the revocations loader's split of entries past it. Checked against
 * the real encoders Pulumi's host uses (real-trailer.ts), with worst cases built at random. Through
 * the real CLI: test/engine/large-partial.test.ts.
 */
import { expect } from "chai";
import fc from "fast-check";
import { boundTextKeepingEnds, MAX_TRAILER_BYTES } from "../../provider/core/trailer-limits";
import { TerminationIncompleteError } from "../../provider/core/partial-failure";
import { partialResultFits, recordBoundFailure, type RecordedExtras } from "../../provider/core/record-bound";
import { parseRevocations } from "../../provider/revocations";
import { outputsOf } from "../../provider/core/state";
import type { PrincipalKind, Principals } from "../../provider/core/types";
import { subtractPrincipals } from "../../provider/core/principals";
import { principalsOf } from "../../provider/core/validation";
import { configure, inputs, provider } from "../helpers";
import { realTrailerBytes } from "../real-trailer";
import { LEAST_CARRY, providerCarry } from "../../provider/dynamic/partial-record";

const logins = (n: number, length: number, tag = "") =>
    Array.from({ length: n }, (_, i) => {
        const local = `${tag}u${i}.${"a".repeat(length)}`.slice(0, length - "@example.com".length);
        return `${local}@example.com`;
    });
const ids = (n: number, digits: number) =>
    Array.from({ length: n }, (_, i) => String(10 ** (digits - 1) + i));

/** The most principals `make(n)` may hold for `check` to accept them. */
function largestAccepted(
    make: (n: number) => Principals,
    extras: RecordedExtras = { least: LEAST_CARRY },
): number {
    let lo = 0;
    let hi = 100_000;
    while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (partialResultFits(make(mid), extras)) lo = mid;
        else hi = mid - 1;
    }
    return lo;
}

const only = (kind: PrincipalKind, values: string[]): Principals => ({
    userIds: [],
    userLogins: [],
    groupIds: [],
    [kind]: values,
});

describe("record bound: every resource check accepts records a partial failure", () => {
    before(() => configure({}));

    it("1,000 logins of 36 characters (inside box:maxNewPrincipals) fail check on userLogins, saying how to split", async () => {
        const result = await provider.check!({}, inputs({ userLogins: logins(1000, 36), reason: "SEC-1" }));
        expect(result.failures).to.have.length(1);
        const [failure] = result.failures!;
        expect(failure.property).to.equal("");
        expect(failure.reason).to.match(
            /^userLogins: 1,000 principals take too many bytes for a partial failure to be recorded in Pulumi state \(about [\d,]+ of the 40,000 one provider answer can carry to the engine\)/,
        );
        expect(failure.reason).to.include(
            "Split them across at least 2 SessionTermination resources, filling each in order",
        );
        // The split it names is enough: two resources of 500 pass.
        for (const half of [logins(1000, 36).slice(0, 500), logins(1000, 36).slice(500)]) {
            expect(
                (await provider.check!({}, inputs({ userLogins: half, reason: "SEC-1" }))).failures,
            ).to.deep.equal([]);
        }
    });

    it("1,000 user IDs still fit one resource; a 20,000-character reason does not, naming reason", async () => {
        expect(
            recordBoundFailure(only("userIds", ids(1000, 11)), { reason: "SEC-1", least: LEAST_CARRY }),
        ).to.equal(undefined);
        const failure = recordBoundFailure(only("userIds", ["1"]), {
            reason: "漢".repeat(20_000),
            least: LEAST_CARRY,
        });
        expect(failure?.property).to.equal("reason");
        expect(failure?.reason).to.match(/^too long for a partial failure to be recorded/);
        expect(failure?.reason).to.not.include("漢");
    });

    it("a resource recorded whole that adds no one is never refused: nothing would be sent", async () => {
        const all = logins(1500, 60);
        const olds = inputs({ userLogins: all, reason: "SEC-1" });
        const same = await provider.check!(olds, inputs({ userLogins: all, reason: "SEC-2" }));
        expect(same.failures).to.deep.equal([]);
        const more = await provider.check!(
            olds,
            inputs({ userLogins: [...all, "new@example.com"], reason: "SEC-2" }),
        );
        expect(more.failures!.map((f) => f.reason.split(":")[0])).to.deep.equal(["userLogins"]);
    });

    it("at the bound and below, whatever Box answers, the partial result fits the real trailer and is recorded", () => {
        const kinds = fc.constantFrom<PrincipalKind>("userIds", "userLogins", "groupIds");
        fc.assert(
            fc.property(
                kinds,
                fc.integer({ min: 16, max: 254 }),
                fc.double({ min: 0, max: 1, noNaN: true }),
                fc.string({ unit: "grapheme", maxLength: 400 }),
                fc.string({ unit: "grapheme", minLength: 0, maxLength: 60_000 }),
                fc.string({ unit: "grapheme", maxLength: 1000 }),
                (kind, length, fraction, reason, causeText, message) => {
                    const make = (n: number) =>
                        only(kind, kind === "userLogins" ? logins(n, length) : ids(n, Math.min(length, 19)));
                    const max = largestAccepted(make, { reason, least: LEAST_CARRY });
                    const all = principalsOf(
                        make(Math.max(1, Math.round(max * (fraction > 0.5 ? 1 : fraction)))),
                    );
                    if (!partialResultFits(all, { reason })) return; // a reason alone too long: check refuses it
                    const refusedValue = all[kind][0];
                    const notDone = only(kind, [refusedValue]);
                    const accepted = subtractPrincipals(all, notDone);
                    const record = {
                        message,
                        terminatedAt: new Date().toISOString(),
                        requestIds: ids(100, 100),
                        requestCount: 400,
                    };
                    const err = new TerminationIncompleteError({
                        accepted,
                        notDone,
                        refused: [
                            {
                                kind,
                                value: refusedValue,
                                status: 404,
                                code: "n".repeat(100),
                                requestId: "r".repeat(100),
                            },
                        ],
                        cause: new Error(causeText),
                        id: "6c1f9d1e-0000-4000-8000-000000000001",
                        properties: { ...outputsOf({ reason, triggers: [] }, accepted, record) },
                        carry: providerCarry("x".repeat(150_000)),
                    });
                    expect(err.properties, "recorded").to.not.equal(undefined);
                    expect(err.properties![kind]).to.deep.equal(accepted[kind]);
                    expect(realTrailerBytes({ ...err, message: err.message }) + 512).to.be.at.most(
                        MAX_TRAILER_BYTES,
                    );
                },
            ),
            { numRuns: 40 },
        );
    });

    it("a Box that gives each of 150 refusals a 100-character code of its own still gets the 300 IDs recorded", () => {
        const all = principalsOf(only("userIds", ids(300, 10)));
        expect(partialResultFits(all, { reason: "SEC-1", least: LEAST_CARRY })).to.equal(true);
        const refusedIds = all.userIds.filter((_, i) => i % 2 === 1);
        const notDone = only("userIds", refusedIds);
        const accepted = subtractPrincipals(all, notDone);
        const err = new TerminationIncompleteError({
            accepted,
            notDone,
            refused: refusedIds.map((value) => ({
                kind: "userIds" as const,
                value,
                status: 404,
                code: `not_found_${value}`.padEnd(100, "x"),
                requestId: "r".repeat(100),
            })),
            id: "6c1f9d1e-0000-4000-8000-000000000002",
            properties: { ...outputsOf({ reason: "SEC-1" }, accepted, { message: "ok", requestIds: [] }) },
            carry: providerCarry("x".repeat(150_000)),
        });
        expect(err.properties).to.not.equal(undefined);
        expect(err.message).to.include("and 147 other answers");
    });

    it("a triggers change is refused when too large, as the replacement sends everyone again", async () => {
        const logins3 = ["a@example.com", "b@example.com", "c@example.com"];
        const olds = inputs({ userLogins: logins3, triggers: [1] });
        const result = await provider.check!(
            olds,
            inputs({ userLogins: logins3, triggers: ["x".repeat(45_000)] }),
        );
        expect(result.failures!.map((f) => f.reason.split(":")[0])).to.deep.equal(["triggers"]);
    });

    it("the split it advises is enough, for ASCII and non-ASCII logins of any length", () => {
        for (const [length, n, ch] of [
            [36, 1000, "a"],
            [254, 200, "a"],
            [254, 200, "ü"],
            [120, 50, "€"],
        ] as const) {
            const list = Array.from(
                { length: n },
                (_, i) => `${i}.${ch.repeat(length)}`.slice(0, length - 12) + "@example.com",
            );
            const failure = recordBoundFailure(only("userLogins", list), {
                reason: "SEC-1",
                least: LEAST_CARRY,
            });
            const advised = failure
                ? Number(/across at least (\d+) SessionTermination/.exec(failure.reason)?.[1])
                : 1;
            const parts = parseRevocations(
                [
                    "revocations:",
                    "  - name: bulk",
                    '    reason: "SEC-1"',
                    "    userLogins:",
                    ...list.map((l) => `      - "${l}"`),
                ].join("\n"),
                "r.yaml",
            );
            expect(parts.length, `${n} logins of ${length} '${ch}'`).to.equal(advised);
            for (const p of parts)
                expect(partialResultFits(principalsOf(p), { reason: "SEC-1", least: LEAST_CARRY })).to.equal(
                    true,
                );
        }
        // The smallest report names one principal per list, so even the longest non-ASCII logins fit by the dozen.
        const longest = Array.from(
            { length: 20 },
            (_, i) => `${i}.${"ü".repeat(254)}`.slice(0, 242) + "@example.com",
        );
        expect(
            partialResultFits(principalsOf(only("userLogins", longest)), {
                reason: "SEC-1",
                least: LEAST_CARRY,
            }),
        ).to.equal(true);
    });

    it("a cut explanation keeps Box's request ID and endpoint at its end", () => {
        const message = `Box API 403 access_denied: ${"漢".repeat(5000)} (request ID req-77a1) [POST /2.0/users/terminate_sessions]`;
        const cut = boundTextKeepingEnds(message, 800);
        expect(encodeURI(cut).length).to.be.at.most(800);
        expect(cut).to.match(/^Box API 403 access_denied: 漢/);
        expect(cut).to.match(/\(request ID req-77a1\) \[POST \/2\.0\/users\/terminate_sessions\]$/);
    });
});

describe("record bound: the revocations loader splits entries past it", () => {
    const file = (lists: string[], extra = "") =>
        [
            "revocations:",
            "  - name: bulk",
            '    reason: "SEC-9"',
            "    userLogins:",
            ...lists.map((l) => `      - ${l}`),
            extra,
        ].join("\n");

    it("an entry of 3,000 logins becomes parts that each fit, in file order, the first keeping its name", () => {
        const all = logins(3000, 36);
        const parts = parseRevocations(file(all), "r.yaml");
        expect(parts.map((p) => p.name)).to.deep.equal([
            "bulk",
            ...parts.slice(1).map((_, i) => `bulk-part-${i + 2}`),
        ]);
        expect(parts.length).to.be.within(5, 7);
        expect(parts.flatMap((p) => p.userLogins)).to.deep.equal(all);
        for (const p of parts) {
            expect(p.reason).to.equal("SEC-9");
            expect(partialResultFits(principalsOf(p), { reason: p.reason, least: LEAST_CARRY })).to.equal(
                true,
            );
        }
    });

    it("appending to the entry grows only its last part", () => {
        const before = parseRevocations(file(logins(1000, 36)), "r.yaml");
        const after = parseRevocations(file([...logins(1000, 36), "late@example.com"]), "r.yaml");
        expect(after.slice(0, -1)).to.deep.equal(before.slice(0, -1));
        expect(after.at(-1)!.userLogins).to.deep.equal([...before.at(-1)!.userLogins!, "late@example.com"]);
    });

    it("an entry that fits is left whole; a part name another entry has is a problem naming both", () => {
        expect(parseRevocations(file(logins(10, 36)), "r.yaml")).to.have.length(1);
        const clash = file(
            logins(1000, 36),
            ["  - name: bulk-part-2", '    reason: "SEC-1"', '    userIds: ["1"]'].join("\n"),
        );
        expect(() => parseRevocations(clash, "r.yaml")).to.throw(
            /r\.yaml: "bulk-part-2" is both an entry's name and the name of a part of a larger entry/,
        );
    });
});
