/**
 * The provider's lifecycle methods called in-process, doing real HTTP against the emulator on
 * 127.0.0.1: what is sent (method, path, headers, exact body), what is recorded, and how failures read.
 */
import { expect } from "chai";
import * as net from "net";
import { startBoxEmulator, type BoxEmulator } from "../../provider/testing";
import { ACCEPTED_MESSAGE } from "../../provider/testing/emulator";
import { BoxApiError, BoxNetworkError, BoxSettingsError } from "../../provider/core/errors";
import { VERSION } from "../../provider/core/version";
import {
    boxErrorBody,
    configure,
    errorSurface,
    expectNoCanary,
    inputs,
    provider,
    rejectionOf,
} from "../helpers";

const TOKEN = "tok_CANARY_provider_7c1f0e";

describe("provider lifecycle over HTTP", () => {
    let box: BoxEmulator;
    beforeEach(async () => {
        box = await startBoxEmulator({ accessTokens: [TOKEN] });
        await configure({ "box:accessToken": TOKEN, "box:baseUrl": box.baseUrl });
    });
    afterEach(() => box.close());

    it("create posts users and groups with the exact bodies and headers, and records Box's message", async () => {
        const checked = (
            await provider.check!(
                {},
                inputs({
                    userIds: ["22466421"],
                    userLogins: ["JDoe@Example.com"],
                    groupIds: ["11446498"],
                    reason: "HR-4412",
                }),
            )
        ).inputs;
        const created = await provider.create(checked);

        expect(created.id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(box.requests.map((r) => [r.method, r.path, r.body])).to.deep.equal([
            [
                "POST",
                "/2.0/users/terminate_sessions",
                { user_ids: ["22466421"], user_logins: ["jdoe@example.com"] },
            ],
            ["POST", "/2.0/groups/terminate_sessions", { group_ids: ["11446498"] }],
        ]);
        const headers = box.requests[0].headers;
        // The emulator records which credential was used, never the credential itself.
        expect([headers.authorization, box.requests[0].token]).to.deep.equal([
            "Bearer [REDACTED]",
            "static#1",
        ]);
        expect(headers["content-type"]).to.match(/^application\/json/);
        expect(headers.accept).to.equal("application/json");
        expect(headers["user-agent"]).to.equal(`pulumi-box-session-termination/${VERSION}`);

        expect(created.outs).to.deep.include({
            userIds: ["22466421"],
            userLogins: ["jdoe@example.com"],
            groupIds: ["11446498"],
            reason: "HR-4412",
            message: `${ACCEPTED_MESSAGE} (2 requests accepted)`,
        });
        expect(Date.parse(created.outs.terminatedAt)).to.be.closeTo(Date.now(), 60_000);
        expectNoCanary([TOKEN], created);
    });

    it("sends user_logins as [] when only IDs are listed (Box's spec requires both arrays), and no group call", async () => {
        const created = await provider.create(inputs({ userIds: ["5"], userLogins: [], groupIds: [] }));
        expect(box.requests.map((r) => r.body)).to.deep.equal([{ user_ids: ["5"], user_logins: [] }]);
        expect(created.outs.message).to.equal(ACCEPTED_MESSAGE);
    });

    it("sends user_ids as [] for logins only, and only the groups call for groups only", async () => {
        await provider.create(inputs({ userIds: [], userLogins: ["a@x.io"], groupIds: [] }));
        await provider.create(inputs({ userIds: [], userLogins: [], groupIds: ["9"] }));
        expect(box.requests.map((r) => [r.path, r.body])).to.deep.equal([
            ["/2.0/users/terminate_sessions", { user_ids: [], user_logins: ["a@x.io"] }],
            ["/2.0/groups/terminate_sessions", { group_ids: ["9"] }],
        ]);
    });

    it("update sends only added principals, to the endpoints they belong to", async () => {
        const created = await provider.create(
            inputs({ userIds: ["1"], userLogins: ["a@x.io"], groupIds: [] }),
        );
        box.clearRequests();
        const updated = await provider.update!(
            created.id,
            created.outs,
            inputs({ userIds: ["1", "2"], userLogins: ["a@x.io"], groupIds: ["70"] }),
        );
        expect(box.requests.map((r) => [r.path, r.body])).to.deep.equal([
            ["/2.0/users/terminate_sessions", { user_ids: ["2"], user_logins: [] }],
            ["/2.0/groups/terminate_sessions", { group_ids: ["70"] }],
        ]);
        expect(updated.outs).to.deep.include({ userIds: ["1", "2"], groupIds: ["70"] });
        expect(updated.outs!.terminatedAt).to.not.equal(undefined);
    });

    it("update with only a new reason, or only removals, sends nothing and keeps message and terminatedAt", async () => {
        const created = await provider.create(inputs({ userIds: ["1", "2"], reason: "old" }));
        box.clearRequests();
        const reasonOnly = await provider.update!(
            created.id,
            created.outs,
            inputs({ userIds: ["2", "1"], reason: "new" }),
        );
        const removal = await provider.update!(
            created.id,
            reasonOnly.outs,
            inputs({ userIds: ["1"], reason: "new" }),
        );
        expect(box.requests).to.have.length(0);
        expect(reasonOnly.outs).to.deep.include({
            reason: "new",
            message: created.outs.message,
            terminatedAt: created.outs.terminatedAt,
        });
        expect(removal.outs).to.deep.include({
            userIds: ["1"],
            message: created.outs.message,
            terminatedAt: created.outs.terminatedAt,
        });
    });

    it("read returns state unchanged and delete sends nothing", async () => {
        const created = await provider.create(inputs({ userIds: ["1"] }));
        box.clearRequests();
        const read = await provider.read!(created.id, created.outs);
        expect(read).to.deep.equal({ id: created.id, props: created.outs });
        await provider.delete!(created.id, created.outs);
        expect(box.requests).to.have.length(0);
    });

    it("turns a Box error body into a BoxApiError with status, code, message and request ID, and records nothing", async () => {
        box.enqueue(
            boxErrorBody(
                403,
                "access_denied_insufficient_permissions",
                "Access denied - insufficient permission",
                "req-403-abc",
                {
                    help_url: "http://developers.box.com/docs/#errors",
                    context_info: { scope: "manage_users" },
                },
            ),
        );
        const err = await rejectionOf(provider.create(inputs({ userIds: ["1"] })));
        expect(err).to.be.instanceOf(BoxApiError);
        const e = err as BoxApiError;
        expect(e.message).to.match(
            /^Box API 403 access_denied_insufficient_permissions: Access denied - insufficient permission \(request ID req-403-abc\)/,
        );
        expect(e.message).to.include("Manage users");
        expect([e.status, e.code, e.requestId, e.helpUrl]).to.deep.equal([
            403,
            "access_denied_insufficient_permissions",
            "req-403-abc",
            "http://developers.box.com/docs/#errors",
        ]);
        expect(e.contextInfo).to.deep.equal({ scope: "manage_users" });
        expect((err as Error & { id?: string }).id).to.equal(undefined);
        expectNoCanary([TOKEN], errorSurface(err));
    });

    it("a 401 with a static token says the token is expired or invalid, without the token", async () => {
        await configure({ "box:accessToken": "tok_CANARY_wrong_token_1234", "box:baseUrl": box.baseUrl });
        const err = await rejectionOf(provider.create(inputs({ userIds: ["1"] })));
        expect(err.message).to.match(/^Box API 401 unauthorized: .*expired or invalid/);
        expect(box.requests).to.have.length(1);
        expectNoCanary(["tok_CANARY_wrong_token_1234"], errorSurface(err));
    });

    it("Box's 400 for a request the spec rejects surfaces Box's text", async () => {
        box.enqueue(boxErrorBody(400, "bad_request", "Users can not be NULL or EMPTY", "r400"));
        const err = await rejectionOf(provider.create(inputs({ userIds: ["1"] })));
        expect(err.message).to.match(
            /^Box API 400 bad_request: Users can not be NULL or EMPTY \(request ID r400\)/,
        );
    });

    it("a refused connection is a BoxNetworkError that says what failed and where", async () => {
        const port = await new Promise<number>((resolve) => {
            const s = net.createServer().listen(0, "127.0.0.1", () => {
                const p = (s.address() as net.AddressInfo).port;
                s.close(() => resolve(p));
            });
        });
        await configure({
            "box:accessToken": TOKEN,
            "box:baseUrl": `http://127.0.0.1:${port}`,
            "box:maxRetries": "0",
        });
        const err = await rejectionOf(provider.create(inputs({ userIds: ["1"] })));
        expect(err).to.be.instanceOf(BoxNetworkError);
        expect(err.message).to.match(
            new RegExp(
                `^Network error calling Box \\(refused\\) at POST http://127.0.0.1:${port}/2.0/users/terminate_sessions: .*ECONNREFUSED`,
            ),
        );
        expectNoCanary([TOKEN], errorSurface(err));
    });

    it("a create or update without credentials fails naming box:accessToken and BOX_ACCESS_TOKEN, before any request", async () => {
        await configure({ "box:baseUrl": box.baseUrl });
        const err = await rejectionOf(provider.create(inputs({ userIds: ["1"] })));
        expect(err).to.be.instanceOf(BoxSettingsError);
        expect(err.message).to.include("box:accessToken").and.include("BOX_ACCESS_TOKEN");
        expect(box.requests).to.have.length(0);
    });

    it("takes the token from BOX_ACCESS_TOKEN when stack config has none, at call time", async () => {
        await configure({});
        process.env.BOX_ACCESS_TOKEN = TOKEN;
        process.env.BOX_BASE_URL = box.baseUrl;
        await provider.create(inputs({ userIds: ["1"] }));
        expect(box.requests[0].status).to.equal(202);
    });

    it("preview's check and diff need no credentials and send nothing", async () => {
        await configure({});
        const checked = await provider.check!({}, inputs({ userIds: ["1"] }));
        const diff = await provider.diff!(
            "id",
            { userIds: ["1"], userLogins: [], groupIds: [] },
            checked.inputs,
        );
        expect(checked.failures).to.deep.equal([]);
        expect(diff).to.deep.equal({ changes: false, replaces: [], deleteBeforeReplace: false });
        expect(box.requests).to.have.length(0);
    });

    it("check refuses a transport setting out of range, naming it, with no credential set", async () => {
        await configure({ "box:maxRetries": "99", "box:baseUrl": box.baseUrl });
        const checked = await provider.check!({}, inputs({ userIds: ["1"] }));
        expect(checked.failures).to.deep.equal([
            {
                property: "",
                reason: 'box:maxRetries / BOX_MAX_RETRIES must be a whole number from 0 to 20, got "99"',
            },
        ]);
        expect(box.requests).to.have.length(0);
    });
});
