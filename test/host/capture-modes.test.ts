/**
 * The provider's behaviour where it really runs: inside Pulumi's provider host, loaded from
 * `__provider`, in every way Pulumi captures it (copied by value from source and from a workspace
 * package, and the packed package installed into an empty project and captured by `require`). Tests assert what `pulumi up` would show
 * (for a partial failure, only the reasons) through the engine model in harness/engine.ts.
 */
import { expect } from "chai";
import { type ResourceSpec } from "../../harness/capture";
import { within } from "../../harness/local-server";
import { InitError } from "../../harness/engine";
import { HostCallError } from "../../harness/host";
import { READ_DELETE_PROVIDER } from "../../provider/dynamic/partial-record";
import { createTestJwtApp } from "../../provider/testing";
import { boxErrorBody, rejectionOf } from "../helpers";
import { describeInHost } from "../host-suite";

const USERS = "/2.0/users/terminate_sessions";
const TOKEN = "tok_CANARY_modes_5be1c0";
const CCG = {
    clientId: "ccg-modes-client",
    clientSecret: "ccg_CANARY_modes_secret_90af",
    enterpriseId: "900077",
};
const JWT_PASSPHRASE = "jwt_CANARY_modes_pass_1c2d";
const CANARIES = [TOKEN, CCG.clientSecret, JWT_PASSPHRASE];

/** One SessionTermination per entry, as a program would declare them. */
const jwt = createTestJwtApp({ enterpriseId: "900078", passphrase: JWT_PASSPHRASE });

const users = (name: string, ids: string[], extra: Record<string, unknown> = {}): ResourceSpec => ({
    name,
    args: { userIds: ids, ...extra },
});

describeInHost(
    (mode) => `in Pulumi's provider host, provider captured ${mode}`,
    {
        emulator: { accessTokens: [TOKEN], apps: [CCG, jwt.app] },
        canaries: CANARIES,
    },
    (suite) => {
        const apiStatuses = () =>
            suite.box.requests.filter((r) => r.path.startsWith("/2.0/")).map((r) => r.status);
        const tokenRequests = () => suite.box.requests.filter((r) => r.path === "/oauth2/token").length;

        it("captures the provider as the mode says: a require when installed, else Pulumi's by-value copy", () => {
            const text = suite.captured.providerText;
            if (suite.mode === "installed") {
                expect(text).to.include('require("pulumi-box-session-termination/provider")');
                expect(text.length).to.be.below(2_000);
            } else {
                // Function by function: the provider's own code is in the text, and no name that the
                // host might resolve to another copy of the package.
                expect(text).to.include("terminate_sessions");
                expect(text).to.not.include("pulumi-box-session-termination/provider");
                expect(text.length).to.be.within(50_000, 400_000);
            }
        });

        it("CCG: a 401 on a cached token fetches one fresh token and succeeds", async () => {
            const engine = await suite.start(
                {
                    "box:clientId": CCG.clientId,
                    "box:clientSecret": CCG.clientSecret,
                    "box:enterpriseId": CCG.enterpriseId,
                },
                ["box:clientSecret"],
            );
            const [first] = await engine.up(suite.captured.register([users("a", ["1"])]));
            expect(first.error).to.equal(undefined);
            suite.box.expireIssuedTokens();
            const steps = await engine.up(suite.captured.register([users("a", ["1"]), users("b", ["2"])]));
            expect(steps.map((s) => [s.name, s.op, s.error?.message])).to.deep.equal([
                ["a", "same", undefined],
                ["b", "create", undefined],
            ]);
            expect(apiStatuses()).to.deep.equal([202, 401, 202]);
            expect(tokenRequests()).to.equal(2);
        });

        it("JWT: a 401 on a cached token fetches one fresh token and succeeds", async () => {
            const engine = await suite.start({ "box:jwtConfig": jwt.configJson }, ["box:jwtConfig"]);
            await engine.up(suite.captured.register([users("a", ["1"])]));
            suite.box.expireIssuedTokens();
            const steps = await engine.up(suite.captured.register([users("a", ["1"]), users("b", ["2"])]));
            expect(steps.map((s) => s.error?.message)).to.deep.equal([undefined, undefined]);
            expect(apiStatuses()).to.deep.equal([202, 401, 202]);
            expect(tokenRequests()).to.equal(2);
        });

        it("a 429 with retry-after: 2 holds back every batch: no request leaves for 2 s", async () => {
            const engine = await suite.start(
                { "box:accessToken": TOKEN, "box:batchSize": "1", "box:concurrency": "2" },
                ["box:accessToken"],
            );
            // The first request is refused; the one in flight beside it is answered late, so its
            // worker's next batch starts while the pause is on.
            suite.box.enqueue(
                { path: USERS, status: 429, headers: { "retry-after": "2" } },
                { path: USERS, status: 202, delayMs: 300 },
            );
            const [step] = await engine.up(suite.captured.register([users("r", ["1", "2", "3", "4"])]));
            expect(step.error).to.equal(undefined);
            const api = suite.box.requests.filter((r) => r.path === USERS);
            const refused = api.find((r) => r.status === 429)!;
            const later = api.filter((r) => r.time > refused.time + 100);
            expect(later.length).to.be.at.least(3);
            for (const r of later) expect(r.time - refused.time).to.be.at.least(1_990);
            expect(step.outputs).to.deep.include({ userIds: ["1", "2", "3", "4"] });
        });

        it("retries a 503 and a dropped connection, logs each retry, and succeeds", async () => {
            const engine = await suite.start({ "box:accessToken": TOKEN }, ["box:accessToken"]);
            suite.box.enqueue({ path: USERS, status: 503 }, { path: USERS, drop: true });
            const [step] = await engine.up(suite.captured.register([users("r", ["1"])]));
            expect(step.error).to.equal(undefined);
            expect(apiStatuses()).to.deep.equal([503, 0, 202]);
            expect(suite.host!.output).to.match(/attempt 1 of 6 failed \(HTTP 503\); retrying in \d+ ms/);
            expect(suite.host!.output).to.match(/attempt 2 of 6 failed \(dropped/);
        });

        it("errors arrive whole and typed: missing credentials, a refused client, a 404 with its request ID", async () => {
            const none = await suite.start({});
            const [noCreds] = await none.up(suite.captured.register([users("r", ["1"])]));
            expect(noCreds.error?.message).to.match(/^No Box credentials: set box:accessToken/);
            await suite.host!.stop();

            const wrong = await suite.start(
                {
                    "box:clientId": CCG.clientId,
                    "box:clientSecret": "wrong-secret-123456",
                    "box:enterpriseId": CCG.enterpriseId,
                },
                ["box:clientSecret"],
            );
            const [refused] = await wrong.up(suite.captured.register([users("r", ["1"])]));
            expect(refused.error?.message).to.match(/^Box OAuth error invalid_client/);
            await suite.host!.stop();

            const engine = await suite.start({ "box:accessToken": TOKEN }, ["box:accessToken"]);
            suite.box.enqueue({ path: USERS, ...boxErrorBody(404, "not_found", "Not Found", "req-404-abc") });
            const [missing] = await engine.up(suite.captured.register([users("r", ["1"])]));
            expect(missing.error).to.be.instanceOf(HostCallError);
            expect(missing.error?.message).to.match(
                /^Box API 404 not_found: Not Found \(request ID req-404-abc\)/,
            );
            expect(engine.state.size).to.equal(0);
        });

        describe("a create whose third batch gets a 403", () => {
            const program = (reason = "SEC-1") => [users("bulk", ["1", "2", "3", "4", "5", "6"], { reason })];
            const configure = () =>
                suite.start(
                    {
                        "box:accessToken": TOKEN,
                        "box:batchSize": "2",
                        "box:concurrency": "1",
                        "box:maxRetries": "0",
                    },
                    ["box:accessToken"],
                );
            const forbidden = () =>
                suite.box.enqueue({
                    path: USERS,
                    after: 2,
                    ...boxErrorBody(
                        403,
                        "access_denied_insufficient_permissions",
                        "Access denied",
                        "req-403-xyz",
                    ),
                });

            it("shows reasons with Box's status, code, request ID and who was not terminated; records the truth", async () => {
                const engine = await configure();
                forbidden();
                const [step] = await engine.up(suite.captured.register(program()));
                expect(step.error).to.be.instanceOf(InitError);
                const shown = step.error!.message;
                expect(shown).to.include("Box accepted the termination for 4 principal(s) but not for 2.");
                expect(shown).to.include("403 access_denied_insufficient_permissions: Access denied");
                expect(shown).to.include("request ID req-403-xyz");
                expect(shown).to.include("Not terminated: userIds 5, 6");
                expect(shown).to.include("run `pulumi up` again");
                const state = engine.state.get(step.urn)!;
                expect(state.outputs).to.deep.include({ userIds: ["1", "2", "3", "4"] });
                expect(state.outputs.__provider).to.be.a("string");
                expect(state.initErrors).to.deep.equal((step.error as InitError).reasons);
            });

            it("then refresh clears the init errors, the next up sends only the rest, and destroy works", async () => {
                const engine = await configure();
                forbidden();
                await engine.up(suite.captured.register(program()));
                expect(await engine.refresh()).to.deep.equal([]);
                expect([...engine.state.values()][0].initErrors).to.equal(undefined);

                suite.box.clearRequests();
                const [second] = await engine.up(suite.captured.register(program()));
                expect([second.op, second.error]).to.deep.equal(["update", undefined]);
                expect(suite.box.requests.map((r) => r.body)).to.deep.equal([
                    { user_ids: ["5", "6"], user_logins: [] },
                ]);
                expect(second.outputs).to.deep.include({ userIds: ["1", "2", "3", "4", "5", "6"] });
                // The program's provider is back in state after a successful update.
                expect(second.outputs!.__provider).to.equal(suite.captured.providerText);

                const [third] = await engine.up(suite.captured.register(program()));
                expect(third.op).to.equal("same");
                const destroyed = await engine.destroy();
                expect(destroyed.map((s) => [s.op, s.error])).to.deep.equal([["delete", undefined]]);
                expect(engine.state.size).to.equal(0);
            });

            it("then the next up with nothing changed still finishes the job (init errors force an update)", async () => {
                const engine = await configure();
                forbidden();
                await engine.up(suite.captured.register(program()));
                suite.box.clearRequests();
                const [next] = await engine.up(suite.captured.register(program()));
                expect(next.op).to.equal("update");
                expect(suite.box.requests.map((r) => r.body)).to.deep.equal([
                    { user_ids: ["5", "6"], user_logins: [] },
                ]);
            });

            it("then destroy, or removing the resource from the program, works straight away", async () => {
                const engine = await configure();
                forbidden();
                await engine.up(suite.captured.register(program()));
                const removed = await engine.up(suite.captured.register([]));
                expect(removed.map((s) => [s.op, s.error])).to.deep.equal([["delete", undefined]]);
                expect(suite.box.requests.filter((r) => r.status === 202)).to.have.length(2);
            });

            it("a partial update keeps the old inputs and records only what Box accepted", async () => {
                const engine = await configure();
                await engine.up(suite.captured.register([users("bulk", ["1"], { reason: "SEC-1" })]));
                suite.box.clearRequests();
                suite.box.enqueue({
                    path: USERS,
                    after: 1,
                    ...boxErrorBody(403, "access_denied_insufficient_permissions", "Access denied", "req-2"),
                });
                const [step] = await engine.up(suite.captured.register(program("SEC-2")));
                expect(step.error).to.be.instanceOf(InitError);
                const state = engine.state.get(step.urn)!;
                expect(state.inputs).to.deep.include({ userIds: ["1"], reason: "SEC-1" });
                expect(state.outputs).to.deep.include({ userIds: ["1", "2", "3"], reason: "SEC-2" });
                expect(await engine.refresh()).to.deep.equal([]);
                const destroyed = await engine.destroy();
                expect(destroyed.map((s) => s.error)).to.deep.equal([undefined]);
            });

            it("with a 20,000-character non-ASCII reason: refused by check, naming reason and sending nothing; with 3,000, the state it can carry", async () => {
                const engine = await configure();
                suite.box.clearRequests();
                forbidden();
                const reason = "漢".repeat(20_000);
                const logins = Array.from({ length: 6 }, (_, i) => `josé${i}@例え.jp`);
                // 60 KB of reason could never travel with a partial result, so check refuses it up front.
                const refused = await rejectionOf(
                    engine.up(
                        suite.captured.register([{ name: "wide", args: { userLogins: logins, reason } }]),
                    ),
                );
                expect(refused.message).to.match(
                    /^pulumi-nodejs:dynamic\/box:SessionTermination resource 'wide' has a problem: reason: too long for a partial failure to be recorded in Pulumi state/,
                );
                expect(refused.message).to.not.include("漢");
                expect(apiStatuses()).to.deep.equal([]);
                expect(engine.state.size).to.equal(0);

                const short = "漢".repeat(3_000);
                const [partial] = await within(
                    20_000,
                    engine.up(
                        suite.captured.register([
                            { name: "wide", args: { userLogins: logins, reason: short } },
                        ]),
                    ),
                );
                expect(partial.error).to.be.instanceOf(InitError);
                expect(partial.error!.message).to.include(
                    "Not terminated: userLogins josé4@例え.jp, josé5@例え.jp",
                );
                const recorded = engine.state.get(partial.urn)!.outputs;
                expect(recorded).to.deep.include({ reason: short });
                expect(recorded.__provider).to.be.oneOf([suite.captured.providerText, READ_DELETE_PROVIDER]);
                expect(await engine.refresh()).to.deep.equal([]);
                expect((await engine.destroy()).map((s) => s.error)).to.deep.equal([undefined]);
            });
        });
    },
);
