import { expect } from "chai";
import { planDiff } from "../../provider/core/diff";
import { checkTermination } from "../../provider/core/lifecycle";
import { boundFailures, checkInputs, UNKNOWN } from "../../provider/core/validation";

describe("check: validation and normalization (pure)", () => {
    it("accepts a valid termination and normalizes order, repeats, spaces and login case", () => {
        const { inputs, failures } = checkInputs({
            userIds: ["22466421", " 7 ", "22466421"],
            userLogins: ["JDoe@Example.com", "jdoe@example.com", "amy@example.com"],
            groupIds: ["300", "2"],
            reason: "HR-4412: last day 2026-11-30",
            triggers: ["t1"],
        });
        expect(failures).to.deep.equal([]);
        expect(inputs).to.deep.equal({
            userIds: ["7", "22466421"],
            userLogins: ["amy@example.com", "jdoe@example.com"],
            groupIds: ["2", "300"],
            reason: "HR-4412: last day 2026-11-30",
            triggers: ["t1"],
        });
    });

    it("reports at most the first 100 failures, then one line counting the rest", () => {
        const bad = Array.from({ length: 100_000 }, (_, i) => `not-an-id-${i}`);
        const { failures } = checkInputs({ userIds: bad, ["x".repeat(5000)]: 1 });
        expect(failures).to.have.length(101);
        expect(failures[0].property).to.have.length.at.most(100);
        expect(failures[1]).to.deep.equal({
            property: "userIds[0]",
            reason: 'must be a Box ID made of digits, got "not-an-id-0"',
        });
        expect(failures[100]).to.deep.equal({
            property: "userIds",
            reason: "and 99,901 more failures not listed (the first 100 are)",
        });
        expect(JSON.stringify(failures).length).to.be.below(20_000);
        expect(boundFailures(failures.slice(0, 3), 3)).to.have.length(3);
        expect(boundFailures(failures.slice(0, 5), 3)[3]).to.deep.equal({
            property: "userIds",
            reason: "and 2 more failures not listed (the first 3 are)",
        });
    });

    it("normalization is idempotent", () => {
        const once = checkInputs({ userIds: ["9", "10", "9"], userLogins: ["B@x.io", "a@x.io"] }).inputs;
        const twice = checkInputs(once as unknown as Record<string, unknown>).inputs;
        expect(twice).to.deep.equal(once);
    });

    it("measures a login's length as stored (NFC): a decomposed 254-character login passes, 255 fail saying why", () => {
        const local = "e\u0301".repeat(121); // é decomposed: 242 code units, 121 once composed
        const nfd = `${local}${"x".repeat(254 - 121 - "@example.com".length)}@example.com`;
        expect(nfd.normalize("NFC")).to.have.length(254);
        const ok = checkInputs({ userLogins: [nfd] });
        expect(ok.failures).to.deep.equal([]);
        expect(ok.inputs.userLogins).to.deep.equal([nfd.normalize("NFC")]);
        const long = `${"a".repeat(255 - "@example.com".length)}@example.com`;
        expect(checkInputs({ userLogins: [long] }).failures).to.deep.equal([
            {
                property: "userLogins[0]",
                reason: "is 255 characters long; an email address (a Box login) has at most 254",
            },
        ]);
    });

    it("reports each wrong entry with its property and index", () => {
        const { failures } = checkInputs({
            userIds: ["1", "2", "jdoe@example.com", 42],
            userLogins: ["not-an-email", ""],
            groupIds: [null],
        });
        expect(failures.map((f) => f.property)).to.deep.equal([
            "userIds[2]",
            "userIds[3]",
            "userLogins[0]",
            "userLogins[1]",
            "groupIds[0]",
        ]);
        expect(failures[0].reason).to.match(/digits.*put logins in userLogins/);
        expect(failures[1].reason).to.equal("must be a string, got number 42");
        expect(failures[2].reason).to.match(/email address/);
        expect(failures[3].reason).to.equal("must not be empty");
        expect(failures[4].reason).to.equal("must be a string, got null");
    });

    it("leaves out only the keys a front door's host adds (the dynamic resource's __provider)", () => {
        const news = { userIds: ["1"], __provider: "exports.handler = x;" };
        const log = () => undefined;
        const carry = () => ({});
        const dynamic = checkTermination({}, news, { log, carry, hostKeys: ["__provider"] });
        expect(dynamic.failures).to.deep.equal([]);
        expect(dynamic.inputs).to.not.have.property("__provider");
        // A native provider's host adds nothing: there, `__provider` is a user's typo like any other.
        expect(checkTermination({}, news, { log, carry }).failures.map((f) => f.reason)).to.deep.equal([
            "__provider: is not a SessionTermination property (expected one of userIds, userLogins, groupIds, reason, triggers)",
        ]);
    });

    it("requires at least one principal, naming the lists", () => {
        for (const news of [{}, { userIds: [], userLogins: [], groupIds: [] }, { reason: "x" }]) {
            const { failures } = checkInputs(news);
            expect(failures).to.have.length(1);
            expect(failures[0].property).to.equal("userIds");
            expect(failures[0].reason).to.match(/userIds, userLogins and groupIds/);
        }
    });

    it("rejects lists that are not lists, a non-string reason, non-list triggers and unknown properties", () => {
        const { failures } = checkInputs({
            userIds: "22466421",
            reason: 5,
            triggers: "x",
            groupId: ["1"],
            groupIds: ["1"],
        });
        expect(failures.map((f) => f.property).sort()).to.deep.equal([
            "groupId",
            "reason",
            "triggers",
            "userIds",
        ]);
        expect(failures.find((f) => f.property === "groupId")!.reason).to.match(
            /not a SessionTermination property/,
        );
    });

    it("names the type of a wrong reason or triggers, never the value (either may be a secret)", () => {
        const canary = "s3cr3t-reason-canary";
        const { failures } = checkInputs({ userIds: ["1"], reason: { text: canary }, triggers: canary });
        expect(failures).to.deep.equal([
            { property: "reason", reason: "must be a string, got an object" },
            { property: "triggers", reason: "must be a list, got a string" },
        ]);
    });

    it("accepts values not yet known in preview, as whole lists or as entries, and never reports them", () => {
        expect(checkInputs({ userIds: UNKNOWN }).failures).to.deep.equal([]);
        expect(
            checkInputs({ userIds: [UNKNOWN], reason: UNKNOWN, triggers: UNKNOWN }).failures,
        ).to.deep.equal([]);
        const { inputs, failures } = checkInputs({ userLogins: ["b@x.io", UNKNOWN, "a@x.io"] });
        expect(failures).to.deep.equal([]);
        expect(inputs.userLogins).to.deep.equal(["a@x.io", "b@x.io", UNKNOWN]);
        // A known bad entry next to an unknown one is still reported.
        expect(checkInputs({ userIds: [UNKNOWN, "abc"] }).failures.map((f) => f.property)).to.deep.equal([
            "userIds[1]",
        ]);
    });

    it("treats null lists as absent", () => {
        const { inputs, failures } = checkInputs({ userIds: null, groupIds: ["5"] });
        expect(failures).to.deep.equal([]);
        expect(inputs.userIds).to.deep.equal([]);
    });
});

describe("diff (pure)", () => {
    const state = {
        userIds: ["1", "2"],
        userLogins: ["a@x.io"],
        groupIds: [],
        reason: "r1",
        message: "m",
        terminatedAt: "t",
        __provider: "old provider text",
    };

    it("reordered and repeated entries are no change, even when the provider text changed", () => {
        const news = checkInputs({ userIds: ["2", "1", "2"], userLogins: ["A@X.io"], reason: "r1" }).inputs;
        const plan = planDiff(state, { ...news, __provider: "new provider text" });
        expect(plan).to.deep.include({ changes: false, replaces: [] });
    });

    it("added principals are an update that sends only them", () => {
        const plan = planDiff(state, {
            userIds: ["1", "2", "3"],
            userLogins: ["a@x.io", "b@x.io"],
            groupIds: ["9"],
            reason: "r1",
        });
        expect(plan.changes).to.equal(true);
        expect(plan.replaces).to.deep.equal([]);
        expect(plan.added).to.deep.equal({ userIds: ["3"], userLogins: ["b@x.io"], groupIds: ["9"] });
    });

    it("removed principals and a new reason are updates that add nobody", () => {
        for (const news of [
            { userIds: ["1"], userLogins: ["a@x.io"], groupIds: [], reason: "r1" },
            { userIds: ["1", "2"], userLogins: ["a@x.io"], groupIds: [], reason: "r2" },
        ]) {
            const plan = planDiff(state, news);
            expect(plan.changes).to.equal(true);
            expect(plan.replaces).to.deep.equal([]);
            expect(plan.added).to.deep.equal({ userIds: [], userLogins: [], groupIds: [] });
        }
    });

    it("changed triggers are a replacement; absent and empty triggers are the same", () => {
        const news = { userIds: ["1", "2"], userLogins: ["a@x.io"], groupIds: [], reason: "r1" };
        expect(planDiff({ ...state, triggers: ["a"] }, { ...news, triggers: ["b"] }).replaces).to.deep.equal([
            "triggers",
        ]);
        expect(
            planDiff({ ...state, triggers: [{ k: 1 }] }, { ...news, triggers: [{ k: 1 }] }).changes,
        ).to.equal(false);
        expect(planDiff(state, { ...news, triggers: [] }).changes).to.equal(false);
    });

    it("unknown values in preview are reported as possible changes", () => {
        const news = { userIds: ["1", "2"], userLogins: ["a@x.io"], groupIds: [], reason: "r1" };
        expect(planDiff(state, { ...news, groupIds: [UNKNOWN] }).changes).to.equal(true);
        expect(planDiff(state, { ...news, triggers: UNKNOWN }).replaces).to.deep.equal(["triggers"]);
    });
});
