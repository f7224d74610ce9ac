/**
 * Protected users inside groups (provider/core/group-members.ts): with protected users set, a create or
 * update lists each group's members before sending anything, refuses a group holding one, and fails
 * closed when Box will not or cannot list them. In-process against the emulator; through the real CLI
 * in both capture modes: test/engine/protected-members.test.ts.
 */
import { expect } from "chai";
import { startBoxEmulator, type BoxEmulator } from "../../provider/testing";
import { ProtectedMemberError } from "../../provider/core/group-members";
import { configure, inputs, provider, rejectionOf } from "../helpers";

const TOKEN = "tok_CANARY_members_3f9a1c";
const GROUPS = "/2.0/groups/terminate_sessions";
const USERS = "/2.0/users/terminate_sessions";
const members = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => ({
        id: String(70_000_000 + from + i),
        login: `m${from + i}@example.com`,
    }));

describe("protected users inside groups", function () {
    this.timeout(60_000);
    let box: BoxEmulator;
    beforeEach(async () => {
        box = await startBoxEmulator({
            accessTokens: [TOKEN],
            directory: {
                groupMembers: {
                    "11446498": [...members(3), { id: "22466421", login: "JDoe@Example.com" }],
                    "500": members(2500),
                    "600": members(12_000),
                    "700": members(5),
                },
            },
        });
    });
    afterEach(() => box.close());

    const settings = (extra: Record<string, string> = {}) =>
        configure({ "box:accessToken": TOKEN, "box:baseUrl": box.baseUrl, ...extra });
    const sent = () => box.requests.filter((r) => r.path === GROUPS || r.path === USERS);
    const listed = () => box.requests.filter((r) => r.method === "GET").map((r) => r.path);

    it("refuses a group holding a protected user, naming group, member and setting, with nothing sent", async () => {
        await settings({ "box:protectedUserIds": "22466421" });
        const err = await rejectionOf(
            provider.create(inputs({ userIds: ["1"], groupIds: ["11446498", "700"], reason: "SEC-1" })),
        );
        expect(err).to.be.instanceOf(ProtectedMemberError);
        expect(err.message).to.equal(
            "Refused: group 11446498 holds user 22466421 (JDoe@Example.com), protected by box:protectedUserIds (stack config). " +
                "No resource of this stack may cut off a protected user, directly or through a group: " +
                "remove the group, or terminate its other members by user. Nothing was sent to Box.",
        );
        expect((err as unknown as { id?: string }).id).to.equal(undefined); // Pulumi records nothing
        expect(sent()).to.deep.equal([]);
        expect(listed()).to.deep.equal(["/2.0/groups/700/memberships", "/2.0/groups/11446498/memberships"]);
    });

    it("finds a protected login in any case, on the last of three pages", async () => {
        await settings({ "box:protectedUserLogins": "M2400@EXAMPLE.COM" });
        const err = await rejectionOf(provider.create(inputs({ groupIds: ["500"] })));
        expect(err.message).to.match(
            /^Refused: group 500 holds user 70002400 \(m2400@example\.com\), protected by box:protectedUserLogins/,
        );
        const pages = box.requests.filter((r) => r.method === "GET");
        expect(pages).to.have.length(3);
        expect(sent()).to.deep.equal([]);
    });

    it("sends a group whose members are not protected, after listing them once", async () => {
        await settings({ "box:protectedUserIds": "22466421" });
        await provider.create(inputs({ groupIds: ["700"] }));
        expect(listed()).to.deep.equal(["/2.0/groups/700/memberships"]);
        expect(box.accepted().map((a) => a.body)).to.deep.equal([{ group_ids: ["700"] }]);
    });

    it("fails closed on a 403, quoting Box's status, code and request ID and saying what to grant", async () => {
        await settings({ "box:protectedUserIds": "22466421" });
        box.enqueue({
            path: "/2.0/groups/700/memberships",
            status: 403,
            body: JSON.stringify({
                type: "error",
                status: 403,
                code: "access_denied_insufficient_permissions",
                message: "Access denied - insufficient permission",
                request_id: "req-members-403",
            }),
        });
        const err = await rejectionOf(provider.create(inputs({ groupIds: ["700"] })));
        expect(err).to.be.instanceOf(ProtectedMemberError);
        expect(err.message).to.include("group 700 is sent only once its members are checked");
        expect(err.message).to.include("Box API 403 access_denied_insufficient_permissions");
        expect(err.message).to.include("req-members-403");
        expect(err.message).to.include("Manage groups scope");
        expect(err.message).to.include("set box:checkGroupMembers to false");
        expect(err.message).to.match(/Nothing was sent to Box\.$/);
        expect(err.message).to.not.include(TOKEN);
        expect(sent()).to.deep.equal([]);
    });

    it("fails closed for a group Box cannot list whole (more than 11,000 members), before reaching the refused offset", async () => {
        await settings({ "box:protectedUserIds": "22466421" });
        const err = await rejectionOf(provider.create(inputs({ groupIds: ["600"] })));
        expect(err.message).to.include("group 600 has more than 11000 members (12000)");
        expect(box.requests.filter((r) => r.status === 400)).to.deep.equal([]);
        expect(sent()).to.deep.equal([]);
    });

    it("fails closed when the answer is not a member list", async () => {
        await settings({ "box:protectedUserIds": "22466421" });
        box.enqueue({ path: "/2.0/groups/700/memberships", status: 200, body: "<html>maintenance</html>" });
        const err = await rejectionOf(provider.create(inputs({ groupIds: ["700"] })));
        expect(err.message).to.include("could not be listed").and.include("could not be read whole as JSON");
        box.enqueue({ path: "/2.0/groups/700/memberships", status: 200, body: '{"total_count": 1}' });
        const again = await rejectionOf(provider.create(inputs({ groupIds: ["700"] })));
        expect(again.message).to.include("has no entries list");
        expect(sent()).to.deep.equal([]);
    });

    it("fails closed on a 404 (Box's answer too for a group these credentials cannot see) and on an entry naming no user", async () => {
        await settings({ "box:protectedUserIds": "22466421" });
        box.enqueue({ path: "/2.0/groups/700/memberships", status: 404 });
        const hidden = await rejectionOf(provider.create(inputs({ groupIds: ["700"] })));
        expect(hidden.message)
            .to.include("Box API 404")
            .and.include("Box does not show these credentials this group");
        box.enqueue({
            path: "/2.0/groups/700/memberships",
            status: 200,
            body: JSON.stringify({ total_count: 2, entries: [{ type: "group_membership" }, null] }),
        });
        const blank = await rejectionOf(provider.create(inputs({ groupIds: ["700"] })));
        expect(blank.message).to.include("an entry without a user");
        expect(sent()).to.deep.equal([]);
    });

    it("reads every page: short pages until total_count, and past a stale total_count while pages are full", async () => {
        await settings({ "box:protectedUserIds": "22466421" });
        const page = (entries: unknown[], total: number) => ({
            path: "/2.0/groups/700/memberships",
            status: 200,
            body: JSON.stringify({ total_count: total, entries }),
        });
        const users = (ids: string[]) => ids.map((id) => ({ user: { id, login: `${id}@example.com` } }));
        // Box may give fewer than asked: the protected user is on the third short page of 300.
        box.enqueue(page(users(["1", "2"]), 5), page(users(["3", "4"]), 5), page(users(["22466421"]), 5));
        const short = await rejectionOf(provider.create(inputs({ groupIds: ["700"] })));
        expect(short.message).to.match(/^Refused: group 700 holds user 22466421/);
        // A total_count of 1,000 with a full page: the next page is read anyway.
        const full = users(Array.from({ length: 1000 }, (_, i) => String(90_000 + i)));
        box.enqueue(page(full, 1000), page(users(["22466421"]), 1000));
        const stale = await rejectionOf(provider.create(inputs({ groupIds: ["700"] })));
        expect(stale.message).to.match(/^Refused: group 700 holds user 22466421/);
        expect(sent()).to.deep.equal([]);
    });

    it("fails closed on a list that cannot be trusted whole: no or bad total_count, an early empty page, a member without ID or login", async () => {
        await settings({ "box:protectedUserIds": "22466421" });
        const answer = (body: unknown) => ({
            path: "/2.0/groups/700/memberships",
            status: 200,
            body: JSON.stringify(body),
        });
        const member = { user: { id: "1", login: "1@example.com" } };
        for (const [body, why] of [
            [{ entries: [member] }, "no valid total_count"],
            [{ total_count: "1001", entries: [member] }, "no valid total_count"],
            [{ total_count: -1, entries: [member] }, "no valid total_count"],
            [{ total_count: 1500, entries: [] }, "ended at 0 of 1500"],
            [
                { total_count: 1, entries: [{ user: { login: "admin@example.com" } }] },
                "without a user ID and login",
            ],
            [{ total_count: 1, entries: [{ user: { id: "22466421" } }] }, "without a user ID and login"],
        ] as const) {
            box.enqueue(answer(body));
            const err = await rejectionOf(provider.create(inputs({ groupIds: ["700"] })));
            expect(err.message, JSON.stringify(body))
                .to.include(why)
                .and.match(/Nothing was sent to Box\.$/);
        }
        expect(sent()).to.deep.equal([]);
    });

    it("lists nothing without protected users, or with box:checkGroupMembers=false", async () => {
        await settings();
        await provider.create(inputs({ groupIds: ["11446498"] }));
        await settings({ "box:protectedUserIds": "22466421", "box:checkGroupMembers": "false" });
        await provider.create(inputs({ groupIds: ["11446498"] }));
        expect(listed()).to.deep.equal([]);
        expect(box.accepted()).to.have.length(2);
        await settings({ "box:protectedUserIds": "22466421", "box:checkGroupMembers": "no" });
        const err = await rejectionOf(provider.create(inputs({ groupIds: ["11446498"] })));
        expect(err.message).to.equal("box:checkGroupMembers / BOX_CHECK_GROUP_MEMBERS must be true or false");
    });

    it("an update lists only the groups it adds", async () => {
        await settings({ "box:protectedUserIds": "22466421" });
        const olds = { ...inputs({ groupIds: ["700"] }), userIds: [], userLogins: [] };
        await provider.update!("id-1", olds, inputs({ groupIds: ["700", "500"] }));
        expect(listed()).to.deep.equal(Array(3).fill("/2.0/groups/500/memberships")); // 2,500 members: 3 pages
        expect(box.accepted().map((a) => a.body)).to.deep.equal([{ group_ids: ["500"] }]);
    });
});
