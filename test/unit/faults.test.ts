/**
 * Fault tests against the emulator, one per kind. Each must end either recovered (Box got the
 * termination, state says so) or with a clear error and true state (nothing recorded that did not
 * happen, nothing lost that did).
 */
import { expect } from "chai";
import { BoxApiError, BoxNetworkError } from "../../provider/core/errors";
import { TerminationIncompleteError } from "../../provider/core/partial-failure";
import { startBoxEmulator, type BoxEmulator } from "../../provider/testing";
import { configure, inputs, provider, rejectionOf } from "../helpers";
// Outside a Pulumi engine, pulumi.log.warn writes to console.warn: what `pulumi up` would show.
import { warnings } from "../root-hooks";

const TOKEN = "tok_faults_0123456789";
const USERS = "/2.0/users/terminate_sessions";

/** Configures the in-process provider for `box` with the static token, plus `extra` settings. */
const configureFor = (box: BoxEmulator, extra: Record<string, string> = {}) =>
    configure({ "box:accessToken": TOKEN, "box:baseUrl": box.baseUrl, ...extra });

describe("faults, one per kind (in-process provider, real HTTP)", function () {
    this.timeout(60_000);
    let box: BoxEmulator;
    beforeEach(async () => {
        box = await startBoxEmulator({ accessTokens: [TOKEN] });
        await configureFor(box, { "box:maxRetries": "2", "box:timeoutSeconds": "1" });
    });
    afterEach(() => box.close());

    const statuses = () => box.requests.map((r) => r.status);
    /** The create succeeds; `applied` is how many requests Box acted on (a timed-out one may still count). */
    async function recovers(applied = 1): Promise<void> {
        const created = await provider.create(inputs({ userIds: ["1"] }));
        expect(created.outs.userIds).to.deep.equal(["1"]);
        expect(box.accepted()).to.have.length(applied);
    }

    it("429 with retry-after: waits what Box asked, then succeeds; the retry is logged", async () => {
        box.enqueue({ path: USERS, status: 429, headers: { "retry-after": "1" } });
        const start = Date.now();
        await recovers();
        expect(Date.now() - start).to.be.at.least(950);
        expect(statuses()).to.deep.equal([429, 202]);
        expect(warnings.join("\n")).to.match(
            /attempt 1 of 3 failed \(429 rate limited \(retry-after\)\); retrying in 1000 ms, at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/,
        );
        // The time named is when the retry goes out: a second after the 429, as Box asked.
        const at = /retrying in 1000 ms, at (\S+Z)/.exec(warnings.join("\n"))![1];
        expect(Date.parse(at) - start).to.be.within(0, 3000);
        expect(warnings.join("\n")).to.not.include(TOKEN);
    });

    it("429 with the header in another case is honoured too", async () => {
        box.enqueue({ path: USERS, status: 429, headers: { "Retry-After": "1" } });
        await recovers();
        expect(warnings.join("\n")).to.include("retrying in 1000 ms");
    });

    it("429 without retry-after: backs off, then succeeds", async () => {
        box.enqueue({ path: USERS, status: 429 });
        await recovers();
        expect(statuses()).to.deep.equal([429, 202]);
        expect(warnings.join("\n")).to.match(/\(429 rate limited\); retrying in \d+ ms/);
    });

    for (const [status, body] of [
        [500, undefined],
        [
            502,
            "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
        ],
        [503, undefined],
    ] as const) {
        it(`${status}${body ? " with an HTML body" : ""}: retried with backoff, then succeeds`, async () => {
            box.enqueue({ path: USERS, status, body });
            await recovers();
            expect(statuses()).to.deep.equal([status, 202]);
            expect(warnings.join("\n")).to.match(new RegExp(`attempt 1 of 3 failed \\(HTTP ${status}\\)`));
        });
    }

    it("503 that Box applied anyway: the retry sends it again, which is harmless, and state is recorded once", async () => {
        box.enqueue({ path: USERS, status: 503, afterEffect: true });
        await recovers(2);
        expect(statuses()).to.deep.equal([503, 202]);
    });

    it("502 HTML page that persists: a clear error quoting the page's text, nothing recorded", async () => {
        const page = "<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>";
        box.enqueue(...[1, 2, 3].map(() => ({ path: USERS, status: 502, body: page })));
        const err = await rejectionOf(provider.create(inputs({ userIds: ["1"] })));
        expect(err).to.be.instanceOf(BoxApiError);
        expect(err.message).to.match(
            /^Box API 502: non-JSON body: 502 Bad Gateway nginx \(request ID [0-9a-f]+\) \[POST .*\/2\.0\/users\/terminate_sessions after 3 attempts\]/,
        );
        expect((err as Error & { id?: string }).id).to.equal(undefined);
    });

    it("a timeout: retried, then succeeds", async () => {
        // Box answered 202 after the client gave up: the retry makes it twice, which is harmless.
        box.enqueue({ path: USERS, delayMs: 1500, status: 202 });
        await recovers(2);
        expect(warnings.join("\n")).to.match(/failed \(timeout/);
    });

    it("timeouts that persist: a clear network error saying what and where", async () => {
        box.enqueue(...[1, 2, 3].map(() => ({ path: USERS, delayMs: 1500, status: 202 })));
        const err = await rejectionOf(provider.create(inputs({ userIds: ["1"] })));
        expect(err).to.be.instanceOf(BoxNetworkError);
        expect(err.message).to.match(
            /^Network error calling Box \(timeout\) at POST http:\/\/127\.0\.0\.1:\d+\/2\.0\/users\/terminate_sessions: no answer within 1000 ms after 3 attempts$/,
        );
    });

    it("a dropped connection: retried, then succeeds", async () => {
        box.enqueue({ path: USERS, drop: true });
        await recovers();
        expect(statuses()).to.deep.equal([0, 202]);
        expect(warnings.join("\n")).to.match(/failed \(dropped/);
    });

    it("a malformed JSON body: on 202 the termination counts (Box accepted it); on 400 a clear error", async () => {
        box.enqueue({ path: USERS, status: 202, body: '{"message": "Request is succ' });
        const created = await provider.create(inputs({ userIds: ["1"] }));
        expect(created.outs.message).to.equal(
            "Accepted (HTTP 202); Box's answer carried no readable message",
        );

        box.enqueue({ path: USERS, status: 400, body: '{"type": "error", "status": 4' });
        const err = await rejectionOf(provider.create(inputs({ userIds: ["2"] })));
        expect(err.message).to.match(
            /^Box API 400: non-JSON body: \{"type": "error", "status": 4 \(request ID/,
        );
    });

    it("a 403: not retried, a clear error naming the permissions needed", async () => {
        box.enqueue({ path: USERS, status: 403 });
        const err = await rejectionOf(provider.create(inputs({ userIds: ["1"] })));
        expect(statuses()).to.deep.equal([403]);
        expect(err.message).to.match(
            /^Box API 403 access_denied_insufficient_permissions: .*Manage users \/ Manage groups scopes/,
        );
    });

    it("a failure in the middle of a multi-request create: the error says who was and was not terminated", async () => {
        await configureFor(box, { "box:batchSize": "2", "box:concurrency": "1" });
        box.enqueue({ path: USERS, after: 1, status: 403 });
        const err = await rejectionOf(
            provider.create(inputs({ userIds: ["1", "2", "3", "4", "5"], groupIds: ["9"] })),
        );
        expect(err).to.be.instanceOf(TerminationIncompleteError);
        const e = err as TerminationIncompleteError;
        expect(e.reasons.slice(0, 4)).to.deep.equal([
            "Box accepted the termination for 2 principal(s) but not for 4.",
            e.reasons[1],
            "Terminated: userIds 1, 2",
            "Not terminated: userIds 3, 4, 5; groupIds 9",
        ]);
        expect(e.reasons[1]).to.match(/^Cause: Box API 403 access_denied_insufficient_permissions: /);
        expect(e.message).to.equal(e.reasons.join("\n"));
        expect(e.id).to.be.a("string");
        expect(e.properties).to.deep.include({
            userIds: ["1", "2"],
            userLogins: [],
            groupIds: [],
            __provider: "serialized-provider-text",
        });
        // No batch is started after the failure.
        expect(box.requests.map((r) => [r.status, r.body])).to.deep.equal([
            [202, { user_ids: ["1", "2"], user_logins: [] }],
            [403, { user_ids: ["3", "4"], user_logins: [] }],
        ]);
    });

    /**
     * Creates with user 1, then updates to users 1-3 and group 9 one request at a time, the second
     * answered with `status`; returns the partial failure, checked to name the created resource.
     */
    async function failMidUpdate(status: number): Promise<TerminationIncompleteError> {
        await configureFor(box, { "box:batchSize": "1", "box:concurrency": "1" });
        const created = await provider.create(inputs({ userIds: ["1"], reason: "r" }));
        box.enqueue({ path: USERS, after: 1, status });
        const err = await rejectionOf(
            provider.update!(
                created.id,
                created.outs,
                inputs({ userIds: ["1", "2", "3"], groupIds: ["9"], reason: "r" }),
            ),
        );
        const e = err as TerminationIncompleteError;
        expect(e.id).to.equal(created.id);
        return e;
    }

    it("a failure in the middle of an update: state keeps old principals and the additions Box accepted", async () => {
        const e = await failMidUpdate(403);
        expect(e.properties).to.deep.include({ userIds: ["1", "2"], groupIds: [], reason: "r" });
        expect(e.reasons).to.include("Not terminated: userIds 3; groupIds 9");
    });

    it("a 404 in the middle of an update names that principal and stops no one else", async () => {
        const e = await failMidUpdate(404);
        expect(e.properties).to.deep.include({ userIds: ["1", "2"], groupIds: ["9"], reason: "r" });
        expect(e.reasons).to.include("Not terminated: userIds 3");
        expect(e.reasons.join("\n")).to.match(
            /Unknown to Box \(refused alone\): userIds 3 \(404 not_found, request ID [^)]+\)/,
        );
    });

    it("a bulk failure too large to record as partial state: no id (Pulumi records nothing) and the message says so", async () => {
        await configureFor(box, { "box:batchSize": "1000", "box:concurrency": "1" });
        const logins = Array.from({ length: 4000 }, (_, i) => `person${i}@bulk.example`);
        box.enqueue({ path: USERS, after: 3, status: 403 });
        const err = (await rejectionOf(
            provider.create(inputs({ userLogins: logins })),
        )) as TerminationIncompleteError;
        expect(err).to.be.instanceOf(TerminationIncompleteError);
        expect([err.id, err.properties]).to.deep.equal([undefined, undefined]);
        expect(err.message).to.match(
            /^Box accepted the termination for 3000 principal\(s\) but not for 1000\./,
        );
        expect(err.message).to.include("too large to record in Pulumi state").and.include("and 2997 more");
    });
});

describe("large lists against a rate-limited emulator", function () {
    this.timeout(60_000);
    it("2,000 logins in batches of 100 at 4 in flight, 429s included: every login sent exactly once, no failure", async () => {
        const box = await startBoxEmulator({ accessTokens: [TOKEN], rateLimitPerSecond: 8 });
        try {
            await configureFor(box, { "box:batchSize": "100", "box:concurrency": "4" });
            const logins = Array.from({ length: 2000 }, (_, i) => `user${i}@bulk.example`);
            const created = await provider.create(inputs({ userLogins: logins }));
            const sent = box.accepted().flatMap((r) => (r.body as { user_logins: string[] }).user_logins);
            expect(sent).to.have.length(2000);
            expect(new Set(sent).size).to.equal(2000);
            expect(box.requests.some((r) => r.status === 429)).to.equal(true);
            expect(created.outs.userLogins).to.have.length(2000);
            expect(created.outs.message).to.match(/\(20 requests accepted\)$/);
            expect(warnings.length).to.be.greaterThan(0);
        } finally {
            await box.close();
        }
    });
});
