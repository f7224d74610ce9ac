/**
 * The emulator's directory: a termination naming anyone Box does not know is refused as a whole
 * with Box's 404, and scripted faults still take precedence for the requests they match.
 */
import { expect } from "chai";
import { startBoxEmulator, type BoxEmulator } from "../../provider/testing";

const TOKEN = "emu-directory-token-0001";
const USERS = "/2.0/users/terminate_sessions";
const GROUPS = "/2.0/groups/terminate_sessions";

async function post(box: BoxEmulator, path: string, body: unknown, token = TOKEN) {
    const res = await fetch(`${box.baseUrl}${path}`, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    });
    const text = await res.text();
    return { status: res.status, requestId: res.headers.get("box-request-id"), json: JSON.parse(text) };
}

describe("Box emulator directory", () => {
    let box: BoxEmulator;
    beforeEach(
        async () =>
            (box = await startBoxEmulator({
                accessTokens: [TOKEN],
                directory: { userIds: ["11", "12"], userLogins: ["Ann@Example.com"], groupIds: ["900"] },
            })),
    );
    afterEach(() => box.close());

    it("refuses a whole request that names one unknown user ID with Box's 404, and accepts nothing from it", async () => {
        const r = await post(box, USERS, { user_ids: ["11", "99", "12"], user_logins: [] });
        expect(r.status).to.equal(404);
        expect(r.json).to.deep.include({
            type: "error",
            status: 404,
            code: "not_found",
            message: "Not Found",
        });
        expect(r.json.request_id).to.equal(r.requestId);
        expect(box.accepted()).to.deep.equal([]);
        expect(box.requests.map((q) => [q.status, q.token])).to.deep.equal([[404, "static#1"]]);
    });

    it("accepts known IDs, logins compared case-insensitively, and known groups", async () => {
        const users = await post(box, USERS, { user_ids: ["11", "12"], user_logins: ["ann@EXAMPLE.com"] });
        const groups = await post(box, GROUPS, { group_ids: ["900"] });
        expect([users.status, groups.status]).to.deep.equal([202, 202]);
        expect(box.accepted().map((a) => a.path)).to.deep.equal([USERS, GROUPS]);
    });

    it("refuses an unknown login or an unknown group the same way", async () => {
        const login = await post(box, USERS, { user_ids: ["11"], user_logins: ["bob@example.com"] });
        const group = await post(box, GROUPS, { group_ids: ["900", "901"] });
        expect([login.status, login.json.code, group.status, group.json.code]).to.deep.equal([
            404,
            "not_found",
            404,
            "not_found",
        ]);
        expect(box.accepted()).to.deep.equal([]);
    });

    it("does not check a kind the directory leaves out; an empty list knows no one", async () => {
        box.setDirectory({ userIds: [] });
        expect((await post(box, GROUPS, { group_ids: ["anything"] })).status).to.equal(202);
        expect(
            (await post(box, USERS, { user_ids: [], user_logins: ["anyone@example.com"] })).status,
        ).to.equal(202);
        expect((await post(box, USERS, { user_ids: ["11"], user_logins: [] })).status).to.equal(404);
    });

    it("can be replaced or removed while running, and copies the lists it is given", async () => {
        const ids = ["500"];
        box.setDirectory({ userIds: ids });
        ids.push("501");
        expect((await post(box, USERS, { user_ids: ["500"], user_logins: [] })).status).to.equal(202);
        expect((await post(box, USERS, { user_ids: ["501"], user_logins: [] })).status).to.equal(404);
        box.setDirectory(undefined);
        expect((await post(box, USERS, { user_ids: ["501"], user_logins: [] })).status).to.equal(202);
    });

    it("checks credentials, then the rate limit, then the request's shape, before the directory", async () => {
        box.setRateLimit(1);
        const unauthenticated = await post(box, USERS, { user_ids: ["99"], user_logins: [] }, "wrong");
        const invalid = await post(box, USERS, { user_ids: ["99"] });
        const limited = await post(box, USERS, { user_ids: ["99"], user_logins: [] });
        expect([unauthenticated.status, invalid.status, limited.status]).to.deep.equal([401, 400, 429]);
    });

    it("composes with faults: a matching fault answers first, then the directory applies", async () => {
        box.enqueue({ path: USERS, status: 429, headers: { "retry-after": "1" } });
        const faulted = await post(box, USERS, { user_ids: ["99"], user_logins: [] });
        const after = await post(box, USERS, { user_ids: ["99"], user_logins: [] });
        expect([faulted.status, faulted.json.code, after.status, after.json.code]).to.deep.equal([
            429,
            "rate_limit_exceeded",
            404,
            "not_found",
        ]);

        // A fault for the other endpoint leaves this one to the directory.
        box.enqueue({ path: GROUPS, status: 500 });
        expect((await post(box, USERS, { user_ids: ["99"], user_logins: [] })).status).to.equal(404);
        expect((await post(box, GROUPS, { group_ids: ["900"] })).status).to.equal(500);
        expect(box.accepted()).to.deep.equal([]);
    });

    it("composes with after-effect faults: the directory decides whether Box acted, the fault decides the answer", async () => {
        box.enqueue(
            { path: USERS, status: 503, afterEffect: true },
            { path: USERS, status: 503, afterEffect: true },
        );
        const unknown = await post(box, USERS, { user_ids: ["99"], user_logins: [] });
        const known = await post(box, USERS, { user_ids: ["11"], user_logins: [] });
        expect([unknown.status, known.status]).to.deep.equal([503, 503]);
        expect(
            box.requests.map((q) => (q.body as { appliedBeforeFailure: boolean }).appliedBeforeFailure),
        ).to.deep.equal([false, true]);
        expect(box.accepted()).to.deep.equal([
            {
                path: USERS,
                body: { user_ids: ["11"], user_logins: [], appliedBeforeFailure: true },
                token: "static#1",
            },
        ]);
    });
});
