/**
 * Bounded in time and size, whatever Box, the network or the state hands the provider: proved where
 * the provider really runs, inside Pulumi's provider host, in BOTH capture modes (see
 * capture-modes.test.ts). Each test asserts what `pulumi up` would show, and that an answer comes at
 * all: every wait is a bounded race, never a bare await that could hang the suite.
 */
import { expect } from "chai";
import { type ResourceSpec } from "../../harness/capture";
import { startTrickle, within } from "../../harness/local-server";
import { MiniEngine } from "../../harness/engine";
import { HostCallError } from "../../harness/host";
import { describeInHost } from "../host-suite";

const USERS = "/2.0/users/terminate_sessions";
const TOKEN = "tok_CANARY_bounded_7f3a91";
const CCG = {
    clientId: "ccg-bounded-client",
    clientSecret: "ccg_CANARY_bounded_secret_e52b",
    enterpriseId: "900091",
};
const CANARIES = [TOKEN, CCG.clientSecret];

const users = (name: string, ids: string[], extra: Record<string, unknown> = {}): ResourceSpec => ({
    name,
    args: { userIds: ids, ...extra },
});

describeInHost(
    (mode) => `bounded in time and size, in Pulumi's provider host, provider captured ${mode}`,
    { emulator: { accessTokens: [TOKEN], apps: [CCG] }, canaries: CANARIES, timeoutMs: 120_000 },
    (suite) => {
        const withToken = (extra: Record<string, string> = {}) =>
            suite.start({ "box:accessToken": TOKEN, ...extra }, ["box:accessToken"]);
        const apiRequests = () => suite.box.requests.filter((r) => r.path.startsWith("/2.0/"));
        const tokenRequests = () => suite.box.requests.filter((r) => r.path === "/oauth2/token");

        describe("a retry-after longer than the deadline", () => {
            const cases: Array<[string, () => string]> = [
                ["86400", () => "86400"],
                ["9999999999", () => "9999999999"],
                ["an HTTP date a day ahead", () => new Date(Date.now() + 86_400_000).toUTCString()],
            ];
            for (const [label, value] of cases) {
                it(`retry-after: ${label}, box:deadlineSeconds=5: fails within 8 s after one request, saying why; the next resource sends nothing`, async () => {
                    const engine = await withToken({ "box:deadlineSeconds": "5" });
                    const header = value();
                    suite.box.enqueue({ path: USERS, status: 429, headers: { "retry-after": header } });
                    const started = Date.now();
                    const [step] = await within(
                        15_000,
                        engine.up(suite.captured.register([users("r", ["1"])])),
                    );
                    expect(Date.now() - started).to.be.below(8_000);
                    expect(apiRequests().map((r) => r.status)).to.deep.equal([429]);
                    // A date is read when the answer arrives, a moment after it was written.
                    const shown = header === "9999999999" ? "9999999999" : "86(39\\d|400)";
                    const message = step.error?.message ?? "";
                    const escaped = header.slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
                    expect(message).to.match(
                        new RegExp(
                            `^Box asked to wait ${shown} s \\(retry-after: ${escaped}\\) but the deadline box:deadlineSeconds=5 ends in \\d+(\\.\\d)? s: `,
                        ),
                    );
                    expect(message).to.match(
                        /gave up on POST http:\/\/127\.0\.0\.1:\d+\/2\.0\/users\/terminate_sessions after 1 attempt\. Last answer: Box API 429/,
                    );
                    expect(message).to.include("raise box:deadlineSeconds");
                    expect(engine.state.size).to.equal(0);

                    // Box's pause holds for the whole origin: another resource gives up before sending.
                    const [next] = await within(
                        15_000,
                        engine.up(suite.captured.register([users("s", ["2"])])),
                    );
                    expect(next.error?.message).to.match(
                        /^Box asked to wait \d+ s more before any request to this origin \(retry-after: .*\) but the deadline box:deadlineSeconds=5 ends in .*after 0 attempts\./,
                    );
                    expect(apiRequests()).to.have.length(1);
                });
            }
        });

        it("a 202 whose body trickles in, box:timeoutSeconds=1, box:maxRetries=0: ends within 4 s, and the status is the answer", async () => {
            const slow = await startTrickle();
            try {
                const engine = await suite.start(
                    {
                        "box:accessToken": TOKEN,
                        "box:baseUrl": slow.baseUrl,
                        "box:timeoutSeconds": "1",
                        "box:maxRetries": "0",
                    },
                    ["box:accessToken"],
                );
                const started = Date.now();
                const [step] = await within(15_000, engine.up(suite.captured.register([users("r", ["1"])])));
                expect(Date.now() - started).to.be.below(4_000);
                expect(step.error).to.equal(undefined);
                expect(step.outputs).to.deep.include({
                    userIds: ["1"],
                    message: "Accepted (HTTP 202); Box's answer did not arrive in time",
                });
            } finally {
                await slow.close();
            }
        });

        it("a 5 MB answer leaves at most 1,000 characters in message; a 60 KB message is cut to 1,000; a 5 MB error stays short", async () => {
            const engine = await withToken({ "box:maxRetries": "0" });
            suite.box.enqueue(
                { path: USERS, status: 202, body: JSON.stringify({ message: "x".repeat(5_000_000) }) },
                { path: USERS, status: 202, body: JSON.stringify({ message: "y".repeat(60_000) }) },
                {
                    path: USERS,
                    status: 403,
                    body: JSON.stringify({ code: "x", message: "z".repeat(5_000_000) }),
                },
            );
            const [huge] = await within(30_000, engine.up(suite.captured.register([users("a", ["1"])])));
            expect(huge.error).to.equal(undefined);
            expect(huge.outputs!.message).to.equal("Accepted (HTTP 202); Box's answer was too large to read");
            const [long] = await within(30_000, engine.up(suite.captured.register([users("b", ["2"])])));
            expect(long.error).to.equal(undefined);
            expect(long.outputs!.message).to.have.length(1000).and.match(/^y+…$/);
            const [failed] = await within(30_000, engine.up(suite.captured.register([users("c", ["3"])])));
            expect(failed.error?.message).to.match(
                /^Box API 403: non-JSON body: \{"code":"x","message":"zzz/,
            );
            expect(failed.error!.message.length).to.be.below(2_000);
        });

        it("an HTML error page echoing the token leaks none of it, wherever the token falls around the 120-character cut", async () => {
            const engine = await withToken({ "box:maxRetries": "0" });
            const pieces = (text: string) =>
                Array.from({ length: TOKEN.length - 5 }, (_, i) => TOKEN.slice(i, i + 6)).filter((p) =>
                    text.includes(p),
                );
            for (let offset = 90; offset <= 125; offset++) {
                const page = `<html><body><p>${"a".repeat(offset)}${TOKEN} denied</p></body></html>`;
                suite.box.enqueue({ path: USERS, status: 403, body: page });
                const [failed] = await engine.up(suite.captured.register([users(`leak-${offset}`, ["1"])]));
                expect(failed.error?.message).to.match(/^Box API 403: non-JSON body: a+/);
                expect(pieces(failed.error!.message), `token at offset ${offset}`).to.deep.equal([]);
            }
        });

        it("a dead token endpoint (connections dropped), box:maxRetries=2: three resources at once cost at most 3 token requests, no API request, and the error names the token endpoint", async () => {
            const host = await suite.startHost();
            await host.configure(
                {
                    "box:baseUrl": suite.box.baseUrl,
                    "box:clientId": CCG.clientId,
                    "box:clientSecret": CCG.clientSecret,
                    "box:enterpriseId": CCG.enterpriseId,
                    "box:maxRetries": "2",
                },
                ["box:clientSecret"],
            );
            suite.box.enqueue(...Array.from({ length: 20 }, () => ({ path: "/oauth2/token", drop: true })));
            const engine = new MiniEngine(host);
            const regs = suite.captured.register([users("a", ["1"]), users("b", ["2"]), users("c", ["3"])]);
            const live = host;
            const checked = await within(
                30_000,
                Promise.all(regs.map((r) => live.check(engine.urnOf(r), {}, r.inputs))),
            );
            // As the engine runs independent resources: all creates in flight together.
            const results = await within(
                60_000,
                Promise.allSettled(regs.map((r, i) => live.create(engine.urnOf(r), checked[i].inputs))),
            );
            expect(tokenRequests().length).to.be.within(1, 3);
            expect(apiRequests()).to.have.length(0);
            for (const result of results) {
                expect(result.status).to.equal("rejected");
                const error = (result as PromiseRejectedResult).reason as HostCallError;
                expect(error).to.be.instanceOf(HostCallError);
                expect(error.message).to.match(
                    /^Network error calling Box \(dropped\) at POST http:\/\/127\.0\.0\.1:\d+\/oauth2\/token: .* after 3 attempts$/,
                );
                expect(error.message).to.not.include("terminate_sessions");
            }
        });

        describe("state written by an older version, without message or terminatedAt, principals not normalized", () => {
            /** Seeds the engine's state as such a version wrote it. */
            function seedOldState(engine: MiniEngine): void {
                const [reg] = suite.captured.register([users("r", ["2", "1"], { reason: "SEC-1" })]);
                const urn = engine.urnOf(reg);
                engine.state.set(urn, {
                    urn,
                    name: "r",
                    id: "written-by-0.0.1",
                    inputs: reg.inputs,
                    outputs: {
                        userIds: ["2", " 1", "1"],
                        userLogins: [],
                        reason: "SEC-1",
                        extraFromTheFuture: { kept: false },
                        __provider: suite.captured.providerText,
                    },
                });
            }

            it("a reason change succeeds, sends nothing, and records no undefined", async () => {
                const engine = await withToken();
                seedOldState(engine);
                const [step] = await within(
                    30_000,
                    engine.up(suite.captured.register([users("r", ["1", "2"], { reason: "SEC-2" })])),
                );
                expect([step.op, step.error]).to.deep.equal(["update", undefined]);
                expect(step.outputs).to.deep.include({ userIds: ["1", "2"], reason: "SEC-2" });
                expect(step.outputs).to.not.have.any.keys("message", "terminatedAt", "extraFromTheFuture");
                expect(suite.box.requests).to.have.length(0);
            });

            it("a removal succeeds and sends nothing; a later addition sends only the added one and records Box's message", async () => {
                const engine = await withToken();
                seedOldState(engine);
                const [removed] = await within(
                    30_000,
                    engine.up(suite.captured.register([users("r", ["1"], { reason: "SEC-1" })])),
                );
                expect([removed.op, removed.error]).to.deep.equal(["update", undefined]);
                expect(removed.outputs).to.deep.include({ userIds: ["1"] });
                expect(suite.box.requests).to.have.length(0);

                const [added] = await within(
                    30_000,
                    engine.up(suite.captured.register([users("r", ["1", "3"], { reason: "SEC-1" })])),
                );
                expect(added.error).to.equal(undefined);
                expect(suite.box.requests.map((r) => r.body)).to.deep.equal([
                    { user_ids: ["3"], user_logins: [] },
                ]);
                expect(added.outputs!.message).to.match(/^Request is successful/);
                expect(added.outputs!.terminatedAt).to.be.a("string");
            });
        });

        it("a create or update with no principals (check skipped) fails clearly and sends nothing", async () => {
            const engine = await withToken();
            const live = suite.host!;
            const [empty] = suite.captured.register([users("r", [])]);
            const urn = engine.urnOf(empty);
            const refused =
                /^Nothing was sent to Box: userIds: at least one principal is required across userIds, userLogins and groupIds\.$/;
            let createError: unknown;
            await within(30_000, live.create(urn, empty.inputs)).catch((e: unknown) => (createError = e));
            expect(createError).to.be.instanceOf(HostCallError);
            expect((createError as Error).message).to.match(refused);

            let updateError: unknown;
            await within(
                30_000,
                live.update("id", urn, { userIds: ["1"], userLogins: [], groupIds: [] }, empty.inputs),
            ).catch((e: unknown) => (updateError = e));
            expect((updateError as Error).message).to.match(refused);
            expect(suite.box.requests).to.have.length(0);
        });

        it("check of 100,000 invalid entries answers with at most 1,000 failures, the last counting the rest", async () => {
            const engine = await withToken();
            const [reg] = suite.captured.register([
                users(
                    "r",
                    Array.from({ length: 100_000 }, (_, i) => `not-an-id-${i}`),
                ),
            ]);
            const checked = await within(60_000, suite.host!.check(engine.urnOf(reg), {}, reg.inputs));
            expect(checked.failures.length).to.be.at.most(1_000);
            expect(checked.failures[0]).to.deep.equal({
                property: "",
                reason: 'userIds[0]: must be a Box ID made of digits, got "not-an-id-0"',
            });
            expect(checked.failures[checked.failures.length - 1]).to.deep.equal({
                property: "",
                reason: "userIds: and 99,900 more failures not listed (the first 100 are)",
            });
        });
    },
);
