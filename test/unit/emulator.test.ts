/** The emulator rejects what Box would reject and misbehaves exactly as scripted. */
import { expect } from "chai";
import { ACCEPTED_MESSAGE, startBoxEmulator, type BoxEmulator } from "../../provider/testing";

const TOKEN = "emu-test-token-0001";

async function post(box: BoxEmulator, path: string, body: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${box.baseUrl}${path}`, {
        method: "POST",
        body,
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", ...headers },
    });
    const text = await res.text();
    let json: Record<string, unknown> | undefined;
    try {
        json = JSON.parse(text) as Record<string, unknown>;
    } catch {
        json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
}

describe("Box emulator", () => {
    let box: BoxEmulator;
    beforeEach(async () => (box = await startBoxEmulator({ accessTokens: [TOKEN] })));
    afterEach(() => box.close());

    it("listens on 127.0.0.1 and accepts valid terminations with 202 and Box's message", async () => {
        expect(box.baseUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
        const users = await post(
            box,
            "/2.0/users/terminate_sessions",
            JSON.stringify({ user_ids: ["1"], user_logins: [] }),
        );
        const groups = await post(
            box,
            "/2.0/groups/terminate_sessions",
            JSON.stringify({ group_ids: ["2"] }),
        );
        for (const r of [users, groups]) {
            expect(r.status).to.equal(202);
            expect(r.json).to.deep.equal({ message: ACCEPTED_MESSAGE });
            expect(r.headers.get("box-request-id")).to.match(/^[0-9a-f]{16}$/);
        }
    });

    it("rejects a users request without user_logins with Box's 400, as the spec requires both arrays", async () => {
        const r = await post(box, "/2.0/users/terminate_sessions", JSON.stringify({ user_ids: ["1"] }));
        expect(r.status).to.equal(400);
        expect(r.json).to.deep.include({
            type: "error",
            status: 400,
            code: "bad_request",
            message: "Users can not be NULL or EMPTY",
        });
        expect(r.json!.request_id).to.equal(r.headers.get("box-request-id"));
    });

    it("answers Box's documented 400 texts for empty lists, non-strings and non-JSON", async () => {
        const cases: Array<[string, string, Record<string, string>, string]> = [
            [
                "/2.0/users/terminate_sessions",
                JSON.stringify({ user_ids: [], user_logins: [] }),
                {},
                "Users can not be NULL or EMPTY",
            ],
            [
                "/2.0/users/terminate_sessions",
                JSON.stringify({ user_ids: [1], user_logins: [] }),
                {},
                "User id format is string",
            ],
            ["/2.0/groups/terminate_sessions", JSON.stringify({}), {}, "Groups can not be NULL or EMPTY"],
            [
                "/2.0/groups/terminate_sessions",
                JSON.stringify({ group_ids: [7] }),
                {},
                "group id format is string",
            ],
            [
                "/2.0/groups/terminate_sessions",
                "group_ids=1",
                { "content-type": "application/x-www-form-urlencoded" },
                "Supported payload format is JSON",
            ],
            ["/2.0/users/terminate_sessions", "{not json", {}, "Supported payload format is JSON"],
        ];
        for (const [path, body, headers, message] of cases) {
            const r = await post(box, path, body, headers);
            expect([r.status, r.json?.message], `${path} ${body}`).to.deep.equal([400, message]);
            expect(r.json!.request_id).to.be.a("string");
        }
    });

    it("answers 401 for a missing or unknown bearer token", async () => {
        const missing = await fetch(`${box.baseUrl}/2.0/users/terminate_sessions`, {
            method: "POST",
            body: "{}",
            headers: { "content-type": "application/json" },
        });
        const unknown = await post(box, "/2.0/users/terminate_sessions", "{}", {
            authorization: "Bearer nope",
        });
        expect(missing.status).to.equal(401);
        expect(unknown.status).to.equal(401);
        expect(unknown.json).to.deep.include({ code: "unauthorized" });
    });

    it("logs method, path, body, time, status and a token label, never the token", async () => {
        const before = Date.now();
        await post(
            box,
            "/2.0/users/terminate_sessions",
            JSON.stringify({ user_ids: ["1"], user_logins: ["a@x.io"] }),
        );
        expect(box.requests).to.have.length(1);
        const r = box.requests[0];
        expect([r.method, r.path, r.status, r.token]).to.deep.equal([
            "POST",
            "/2.0/users/terminate_sessions",
            202,
            "static#1",
        ]);
        expect(r.body).to.deep.equal({ user_ids: ["1"], user_logins: ["a@x.io"] });
        expect(r.time).to.be.within(before, Date.now());
        expect(box.accepted()).to.deep.equal([{ path: r.path, body: r.body, token: "static#1" }]);
    });

    it("plays scripted answers in order: status with retry-after, an HTML 502, then normal service", async () => {
        box.enqueue(
            { status: 429, headers: { "retry-after": "2" } },
            { status: 502, body: "<html><body><h1>502 Bad Gateway</h1></body></html>" },
        );
        const body = JSON.stringify({ group_ids: ["1"] });
        const a = await post(box, "/2.0/groups/terminate_sessions", body);
        const b = await post(box, "/2.0/groups/terminate_sessions", body);
        const c = await post(box, "/2.0/groups/terminate_sessions", body);
        expect([a.status, a.headers.get("retry-after"), a.json?.code]).to.deep.equal([
            429,
            "2",
            "rate_limit_exceeded",
        ]);
        expect([b.status, b.headers.get("content-type"), b.json]).to.deep.equal([
            502,
            "text/html",
            undefined,
        ]);
        expect(c.status).to.equal(202);
    });

    it("refuses a fault that scripts nonsense, naming the field, and queues none of the batch", async () => {
        expect(() => box.enqueue({ status: 503 }, { status: 700 })).to.throw(
            /fault 1: status must be an HTTP status from 100 to 599 \(got 700\)/,
        );
        expect(() => box.enqueue({ after: 1.5 })).to.throw(/after must be a whole number/);
        // The valid fault before the bad one was not queued either: normal service.
        const res = await fetch(`${box.baseUrl}/2.0/users/terminate_sessions`, {
            method: "POST",
            headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
            body: JSON.stringify({ user_ids: ["1"], user_logins: [] }),
        });
        expect(res.status).to.equal(202);
    });

    it("can drop the connection, or answer only after a delay", async () => {
        box.enqueue({ drop: true }, { delayMs: 300, status: 503 });
        const body = JSON.stringify({ group_ids: ["1"] });
        const dropped = await post(box, "/2.0/groups/terminate_sessions", body).then(
            () => "answered",
            (e: Error) => e.message,
        );
        expect(dropped).to.not.equal("answered");
        const start = Date.now();
        const slow = await post(box, "/2.0/groups/terminate_sessions", body);
        expect(slow.status).to.equal(503);
        expect(Date.now() - start).to.be.at.least(250);
    });

    it("never logs a token request's secret or assertion, even when a fault answers it", async () => {
        box.enqueue({ path: "/oauth2/token", status: 503 });
        for (let i = 0; i < 2; i++) {
            await fetch(`${box.baseUrl}/oauth2/token`, {
                method: "POST",
                headers: { "content-type": "application/x-www-form-urlencoded" },
                body: new URLSearchParams({
                    grant_type: "client_credentials",
                    client_id: "c",
                    client_secret: "SECRET_in_form_123",
                    assertion: "ASSERTION_abc",
                }).toString(),
            });
        }
        expect(box.requests.map((r) => r.status)).to.deep.equal([503, 400]);
        const logged = JSON.stringify(box.requests.map((r) => r.body));
        expect(logged).to.not.include("SECRET_in_form_123").and.not.include("ASSERTION_abc");
        expect(box.requests[0].body).to.deep.include({ grant_type: "client_credentials", client_id: "c" });
    });

    it("rate-limits per second with 429 and a whole-second retry-after", async () => {
        box.setRateLimit(2);
        const body = JSON.stringify({ group_ids: ["1"] });
        const statuses: number[] = [];
        let retryAfter: string | null = null;
        for (let i = 0; i < 4; i++) {
            const r = await post(box, "/2.0/groups/terminate_sessions", body);
            statuses.push(r.status);
            if (r.status === 429) retryAfter = r.headers.get("retry-after");
        }
        expect(statuses).to.deep.equal([202, 202, 429, 429]);
        expect(retryAfter).to.equal("1");
    });
});
