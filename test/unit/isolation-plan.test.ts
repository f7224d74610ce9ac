/**
 * The splitting plan (provider/core/isolation.ts), pure: driven against a model of Box that refuses, as a
 * whole, any request naming someone it does not know. Answers arrive in a random order among the
 * requests in flight, as they do under concurrency. The bounds are the issue's; the properties hold
 * for any list, any unknown set, any batch size and concurrency.
 */
import { expect } from "chai";
import fc from "fast-check";
import { IsolationPlan, MAX_BLIND_REFUSALS, spreadFraction } from "../../provider/core/isolation";
import type { PlannedRequest } from "../../provider/core/isolation-types";
import { planBatches } from "../../provider/core/batches";
import type { Principals } from "../../provider/core/types";

/** How the modelled Box answers a request. */
type Answerer = (request: PlannedRequest) => "accept" | "refuse" | "fatal";

interface Run {
    requests: PlannedRequest[];
    plan: IsolationPlan;
}

/** A small deterministic generator, so a failing seed can be replayed. */
function seeded(seed: number): () => number {
    let s = (Math.abs(Math.floor(seed)) % 2147483647) + 1;
    return () => {
        s = (s * 48271) % 2147483647;
        return s / 2147483647;
    };
}

/** Drives a plan to its end: up to `concurrency` requests in flight, answered in a random order. */
function drive(
    principals: Principals,
    answer: Answerer,
    options: { batchSize: number; concurrency: number; seed?: number },
): Run {
    const plan = new IsolationPlan(planBatches(principals, options.batchSize));
    const random = seeded(options.seed ?? 1);
    const requests: PlannedRequest[] = [];
    const inFlight: PlannedRequest[] = [];
    for (;;) {
        while (plan.pending() < options.concurrency) {
            const next = plan.next();
            if (!next) break;
            requests.push(next);
            inFlight.push(next);
        }
        if (inFlight.length === 0) break;
        const [request] = inFlight.splice(Math.floor(random() * inFlight.length), 1);
        const verdict = answer(request);
        if (verdict === "accept") plan.accept(request);
        else if (verdict === "fatal") plan.stop(request);
        else
            plan.refuse(request, {
                status: 404,
                code: "not_found",
                requestId: `req-${requests.indexOf(request)}`,
            });
    }
    expect(plan.next(), "a finished plan asks for nothing more").to.equal(undefined);
    return { requests, plan };
}

/** Box with a directory: a request naming anyone in `unknown` is refused as a whole. */
const directory =
    (unknown: ReadonlySet<string>): Answerer =>
    (request) =>
        request.entries.some((e) => unknown.has(e.value)) ? "refuse" : "accept";

const ids = (n: number, from = 1000): string[] => Array.from({ length: n }, (_, i) => String(from + i));
const users = (userIds: string[], userLogins: string[] = []): Principals => ({
    userIds,
    userLogins,
    groupIds: [],
});

/** Every principal of `p`, as values. */
const valuesOf = (p: Principals): string[] => [...p.userIds, ...p.userLogins, ...p.groupIds];

describe("isolating the principals Box refuses (pure plan)", () => {
    it("one unknown among 250 in batches of 100, concurrency 4: at most 18 requests, wherever it stands", () => {
        const all = ids(250);
        let worst = 0;
        for (let at = 0; at < all.length; at++) {
            for (const seed of [1, 2, 3]) {
                const { requests, plan } = drive(users(all), directory(new Set([all[at]])), {
                    batchSize: 100,
                    concurrency: 4,
                    seed: at * 10 + seed,
                });
                const result = plan.result();
                expect(result.refused.map((r) => r.value)).to.deep.equal([all[at]]);
                expect(result.accepted).to.have.length(249);
                worst = Math.max(worst, requests.length);
            }
        }
        expect(worst).to.be.at.most(18);
    });

    it("two unknown logins in one batch of 40: at most 25 requests, for every pair", () => {
        const logins = Array.from(
            { length: 40 },
            (_, i) => `person${String(i).padStart(2, "0")}@example.com`,
        );
        let worst = 0;
        for (let a = 0; a < 40; a++) {
            for (let b = a + 1; b < 40; b++) {
                const { requests, plan } = drive(
                    users([], logins),
                    directory(new Set([logins[a], logins[b]])),
                    {
                        batchSize: 40,
                        concurrency: 4,
                        seed: a * 40 + b,
                    },
                );
                expect(plan.result().refused.map((r) => r.value)).to.have.members([logins[a], logins[b]]);
                worst = Math.max(worst, requests.length);
            }
        }
        expect(worst).to.be.at.most(25);
    });

    it("Box refusing everything (wrong enterprise or base URL): 250 principals cost at most 20 requests, whatever the batch size", () => {
        for (const batchSize of [1, 10, 50, 100, 250, 500]) {
            for (const concurrency of [1, 4]) {
                const { requests, plan } = drive(users(ids(250)), () => "refuse", { batchSize, concurrency });
                const result = plan.result();
                expect(requests.length, `batch ${batchSize}, concurrency ${concurrency}`).to.be.at.most(20);
                expect(result.gaveUp).to.equal(true);
                expect(result.accepted).to.deep.equal([]);
                expect(result.refused).to.have.length(MAX_BLIND_REFUSALS);
                // Those named were each refused alone.
                for (const r of result.refused) {
                    expect(
                        requests.some((q) => q.entries.length === 1 && q.entries[0].value === r.value),
                    ).to.equal(true);
                }
            }
        }
    });

    it("probes come from across the list, not its start, where deleted users' old IDs sort", () => {
        const { requests } = drive(users(ids(250)), () => "refuse", { batchSize: 500, concurrency: 4 });
        const probes = requests
            .filter((r) => r.role === "probe")
            .map((r) => Number(r.entries[0].value) - 1000);
        expect(probes.slice(0, 3)).to.deep.equal([125, 62, 188]);
        expect(spreadFraction(1)).to.equal(0.5);
        expect([2, 3, 4, 5].map(spreadFraction)).to.deep.equal([0.25, 0.75, 0.125, 0.625]);
    });

    it("a stale first batch does not stop the run when the next batch proves Box knows this enterprise", () => {
        const all = ids(30);
        const stale = new Set(all.slice(0, 10));
        const { plan } = drive(users(all), directory(stale), { batchSize: 10, concurrency: 1 });
        const result = plan.result();
        expect(result.gaveUp).to.equal(false);
        expect(result.refused.map((r) => r.value)).to.have.members([...stale]);
        expect(result.accepted.map((e) => e.value)).to.have.members(all.slice(10));
    });

    it("a server that refuses only requests larger than N: splitting gets everyone accepted, and no one is named", () => {
        for (const limit of [1, 3, 7, 64]) {
            const { requests, plan } = drive(
                users(ids(120), ["a@example.com", "b@example.com"]),
                (r) => (r.entries.length > limit ? "refuse" : "accept"),
                { batchSize: 100, concurrency: 4, seed: limit },
            );
            const result = plan.result();
            expect(result.refused, `limit ${limit}`).to.deep.equal([]);
            expect(result.accepted).to.have.length(122);
            expect(requests.every((r) => r.entries.length > 0)).to.equal(true);
        }
    });

    it("splits a batch of IDs and logins so each part still carries both lists of the users endpoint", () => {
        const all = users(["11", "12", "13"], ["x@example.com", "y@example.com", "z@example.com"]);
        const { requests } = drive(all, directory(new Set(["z@example.com"])), {
            batchSize: 6,
            concurrency: 1,
        });
        for (const r of requests) {
            expect(r.endpoint).to.equal("users");
            expect(r.principals.userIds).to.be.an("array");
            expect(r.principals.userLogins).to.be.an("array");
            expect(r.principals.groupIds).to.deep.equal([]);
        }
        expect(requests.some((r) => r.principals.userIds.length && r.principals.userLogins.length)).to.equal(
            true,
        );
    });

    it("a failure about the run (not a principal) stops it: nothing new is sent, and answers in flight still count", () => {
        let answered = 0;
        const { requests, plan } = drive(users(ids(40)), () => (++answered === 2 ? "fatal" : "accept"), {
            batchSize: 5,
            concurrency: 4,
        });
        // The first answer freed a slot (a fifth request); the second stopped the run. The three still
        // in flight count; nothing more is sent.
        expect(requests).to.have.length(5);
        expect(plan.result().accepted).to.have.length(20);
    });

    it("for any list, unknown set, batch size and concurrency: exact accounting within the bound", () => {
        const scenario = fc.record({
            n: fc.integer({ min: 1, max: 300 }),
            unknownAt: fc.uniqueArray(fc.nat({ max: 299 }), { maxLength: 40 }),
            logins: fc.integer({ min: 0, max: 300 }),
            groups: fc.integer({ min: 0, max: 30 }),
            batchSize: fc.integer({ min: 1, max: 600 }),
            concurrency: fc.integer({ min: 1, max: 8 }),
            seed: fc.integer(),
        });
        fc.assert(
            fc.property(scenario, (s) => {
                const userIds = ids(s.n);
                const userLogins = Array.from(
                    { length: Math.min(s.logins, s.n) },
                    (_, i) => `u${i}@example.com`,
                );
                const groupIds = ids(s.groups, 900_000);
                const principals: Principals = { userIds, userLogins, groupIds };
                const all = valuesOf(principals);
                const unknown = new Set(s.unknownAt.filter((i) => i < all.length).map((i) => all[i]));
                const { requests, plan } = drive(principals, directory(unknown), s);
                const result = plan.result();
                const accepted = result.accepted.map((e) => e.value);
                const refused = result.refused.map((r) => r.value);

                // No one Box refuses is counted as accepted, and no one is accepted twice.
                expect(accepted.filter((v) => unknown.has(v))).to.deep.equal([]);
                expect(new Set(accepted).size).to.equal(accepted.length);
                // No one is named unless Box refused a request naming them alone.
                for (const v of refused) {
                    expect(unknown.has(v)).to.equal(true);
                    expect(requests.some((r) => r.entries.length === 1 && r.entries[0].value === v)).to.equal(
                        true,
                    );
                }
                // No request names a principal already accepted, or no one, or mixes endpoints.
                const seen = new Set<string>();
                for (const r of requests) {
                    expect(r.entries.length).to.be.at.least(1);
                    expect(r.entries.length).to.be.at.most(Math.max(1, s.batchSize));
                    const kinds = new Set(r.entries.map((e) => (e.kind === "groupIds" ? "groups" : "users")));
                    expect([...kinds]).to.deep.equal([r.endpoint]);
                    for (const e of r.entries) expect(seen.has(e.value)).to.equal(false);
                    if (!r.entries.some((e) => unknown.has(e.value)))
                        r.entries.forEach((e) => seen.add(e.value));
                }
                const batches = planBatches(principals, s.batchSize).length;
                if (result.gaveUp) {
                    // Only when Box accepted no one at all, after refusing MAX_BLIND_REFUSALS alone.
                    expect(accepted).to.deep.equal([]);
                    expect(refused).to.have.length(MAX_BLIND_REFUSALS);
                    expect(requests.length).to.be.at.most(s.concurrency + MAX_BLIND_REFUSALS + batches);
                } else {
                    expect([...refused].sort()).to.deep.equal([...unknown].sort());
                    expect(accepted.length + refused.length).to.equal(all.length);
                    // Each unknown costs at most two requests per halving of its batch, plus one alone.
                    const depth = Math.ceil(Math.log2(Math.max(2, s.batchSize)));
                    const bound = batches + unknown.size * (2 * depth + 1) + MAX_BLIND_REFUSALS;
                    expect(requests.length).to.be.at.most(bound);
                }
                expect(result.requests).to.equal(requests.length);
            }),
            { numRuns: 300 },
        );
    });
});
