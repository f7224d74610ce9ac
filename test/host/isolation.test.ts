/**
 * A revocation no bad entry can block, proven where it runs: inside Pulumi's provider host, in every
 * way Pulumi captures the provider, against the Box emulator's directory (which refuses, with 404, a
 * whole request naming anyone it does not know) and against hostile servers of our own.
 *
 * What the user sees is what is asserted: for a partial failure only the engine's init-error reasons
 * (InitError.message), otherwise the error's message; and the state the engine records.
 */
import { expect } from "chai";
import { type ResourceSpec } from "../../harness/capture";
import { startLocalServer, type LocalServer } from "../../harness/local-server";
import { InitError, MiniEngine, type Step } from "../../harness/engine";
import { HostCallError } from "../../harness/host";
import { type RecordedRequest } from "../../provider/testing";
import { boxErrorBody } from "../helpers";
import { describeInHost } from "../host-suite";

const USERS = "/2.0/users/terminate_sessions";
const GROUPS = "/2.0/groups/terminate_sessions";
const TOKEN = "tok_isolation_7f3a9c21";

const ids = (n: number, from = 30_000): string[] => Array.from({ length: n }, (_, i) => String(from + i));
const termination = (name: string, args: Record<string, unknown>): ResourceSpec => ({ name, args });

/** Who a recorded request named, whichever endpoint it went to. */
function named(r: { body: unknown }): string[] {
    const b = r.body as { user_ids?: string[]; user_logins?: string[]; group_ids?: string[] };
    return [...(b.user_ids ?? []), ...(b.user_logins ?? []), ...(b.group_ids ?? [])];
}

/** What the user sees for a step: the reasons of a partial failure, else the error's message. */
function shown(step: Step): string {
    return step.error?.message ?? "";
}

/** A server of our own on 127.0.0.1 (harness/local-server.ts) that logs what it was asked. */
interface HostileServer extends LocalServer {
    log: Array<{ body: unknown; status: number; requestId: string }>;
}

/** Answers every request with what `answer` says for its JSON body, with a `box-request-id`. */
async function startHostileServer(
    answer: (body: unknown) => { status: number; body: string; contentType?: string },
): Promise<HostileServer> {
    const log: HostileServer["log"] = [];
    const server = await startLocalServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            let body: unknown;
            try {
                body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
            } catch {
                body = undefined;
            }
            const requestId = `hostile-${log.length + 1}`;
            const a = answer(body);
            log.push({ body, status: a.status, requestId });
            res.writeHead(a.status, {
                "content-type": a.contentType ?? "application/json",
                "content-length": String(Buffer.byteLength(a.body)),
                "box-request-id": requestId,
            });
            res.end(a.body);
        });
    });
    return { ...server, log };
}

describeInHost(
    (mode) => `isolating principals Box does not know, in Pulumi's provider host, provider captured ${mode}`,
    { emulator: { accessTokens: [TOKEN] } },
    (suite) => {
        async function start(
            config: Record<string, string>,
            baseUrl = suite.box.baseUrl,
        ): Promise<MiniEngine> {
            const host = await suite.startHost();
            await host.configure(
                { "box:accessToken": TOKEN, "box:baseUrl": baseUrl, "box:maxRetries": "2", ...config },
                ["box:accessToken"],
            );
            return new MiniEngine(host);
        }
        const api = (): RecordedRequest[] => suite.box.requests.filter((r) => r.path.startsWith("/2.0/"));
        /** The request that refused `value` alone: the one the reasons must quote. */
        const refusedAlone = (value: string): RecordedRequest => {
            const alone = api().filter(
                (r) => r.status === 404 && named(r).length === 1 && named(r)[0] === value,
            );
            expect(alone, `a 404 naming ${value} alone`).to.have.length.at.least(1);
            return alone[alone.length - 1];
        };

        describe("one unknown user ID among 250, batches of 100, concurrency 4", () => {
            const all = ids(250);
            const stale = all[137];
            const program = () =>
                suite.captured.register([termination("offboard", { userIds: all, reason: "HR-1" })]);

            it("costs at most 18 requests; everyone else is terminated and recorded; the reasons name it with Box's code and request ID; requestIds holds accepted requests' IDs", async () => {
                suite.box.setDirectory({ userIds: all.filter((v) => v !== stale) });
                const engine = await start({ "box:batchSize": "100", "box:concurrency": "4" });
                const [step] = await engine.up(program());

                expect(api().length).to.be.at.most(18);
                expect(step.error).to.be.instanceOf(InitError);
                const reasons = (step.error as InitError).reasons;
                const refusal = refusedAlone(stale);
                expect(reasons[0]).to.equal(
                    "Box accepted the termination for 249 principal(s) but not for 1.",
                );
                expect(reasons[1]).to.match(
                    /^Cause: Box does not know 1 principal\(s\): it refused each of them named alone \(404 not_found\)\./,
                );
                expect(shown(step)).to.include(
                    `Unknown to Box (refused alone): userIds ${stale} (404 not_found, request ID ${refusal.requestId})`,
                );
                expect(shown(step)).to.include(`Not terminated: userIds ${stale}`);
                expect(shown(step)).to.include("until then every `pulumi up` sends only them");

                // Box accepted everyone else, each exactly once; state records exactly them.
                const accepted = suite.box.accepted().flatMap(named);
                expect([...accepted].sort()).to.deep.equal(all.filter((v) => v !== stale).sort());
                const state = engine.state.get(step.urn)!;
                expect(state.outputs.userIds).to.deep.equal(all.filter((v) => v !== stale));
                expect(state.outputs.__provider).to.be.a("string");

                // requestIds: Box's request IDs of accepted requests, all of them here, with their count.
                const acceptedIds = api()
                    .filter((r) => r.status === 202)
                    .map((r) => r.requestId);
                expect(state.outputs.requestCount).to.equal(acceptedIds.length);
                expect([...(state.outputs.requestIds as string[])].sort()).to.deep.equal(
                    [...acceptedIds].sort(),
                );
                expect(JSON.stringify(state.outputs)).to.not.include("null");
            });

            it("the next up sends only the unknown one, and fails again naming it; fixing the program finishes it", async () => {
                suite.box.setDirectory({ userIds: all.filter((v) => v !== stale) });
                const engine = await start({ "box:batchSize": "100", "box:concurrency": "4" });
                const [first] = await engine.up(program());
                const recorded = engine.state.get(first.urn)!.outputs;
                suite.box.clearRequests();

                const [again] = await engine.up(program());
                expect(again.op).to.equal("update");
                expect(api().map(named)).to.deep.equal([[stale]]);
                expect(again.error).to.be.instanceOf(HostCallError);
                const refusal = refusedAlone(stale);
                expect(shown(again)).to.match(/^Box API 404 not_found: Not Found \(request ID /);
                expect(shown(again)).to.include("Box knew none of the 1 principal(s) tried");
                expect(shown(again)).to.include(
                    `Unknown to Box (refused alone): userIds ${stale} (404 not_found, request ID ${refusal.requestId})`,
                );
                // Nothing changed in state: still the 249, still unfinished.
                expect(engine.state.get(first.urn)!.outputs).to.deep.equal(recorded);

                // The reviewer removes the stale ID: nothing is sent, requestIds are carried over unchanged.
                suite.box.clearRequests();
                const fixed = suite.captured.register([
                    termination("offboard", { userIds: all.filter((v) => v !== stale), reason: "HR-1" }),
                ]);
                const [done] = await engine.up(fixed);
                expect(done.error).to.equal(undefined);
                expect(api()).to.deep.equal([]);
                const outputs = engine.state.get(done.urn)!.outputs;
                expect(outputs.requestIds).to.deep.equal(recorded.requestIds);
                expect(outputs.requestCount).to.equal(recorded.requestCount);
            });
        });

        it("two unknown logins in one batch of 40: at most 25 requests, both named, the other 38 recorded", async () => {
            const logins = Array.from({ length: 40 }, (_, i) => `leaver${i}@example.com`);
            const stale = [logins[3], logins[29]];
            suite.box.setDirectory({ userLogins: logins.filter((l) => !stale.includes(l)) });
            const engine = await start({ "box:batchSize": "40", "box:concurrency": "4" });
            const [step] = await engine.up(
                suite.captured.register([termination("logins", { userLogins: logins })]),
            );
            expect(api().length).to.be.at.most(25);
            expect(step.error).to.be.instanceOf(InitError);
            for (const login of stale) {
                expect(shown(step)).to.include(
                    `${login} (404 not_found, request ID ${refusedAlone(login).requestId})`,
                );
            }
            expect(engine.state.get(step.urn)!.outputs.userLogins).to.deep.equal(
                logins.filter((l) => !stale.includes(l)).sort(),
            );
        });

        it("Box knowing no one (the wrong enterprise): 250 principals cost at most 20 requests, nothing is recorded, and the error says Box knew none of those tried", async () => {
            suite.box.setDirectory({ userIds: [], groupIds: [] });
            const engine = await start({ "box:batchSize": "100", "box:concurrency": "4" });
            const [step] = await engine.up(
                suite.captured.register([
                    termination("wrong", { userIds: ids(240), groupIds: ids(10, 70_000) }),
                ]),
            );
            expect(api().length).to.be.at.most(20);
            expect(step.error).to.be.instanceOf(HostCallError);
            expect(shown(step)).to.match(/^Box API 404 not_found: /);
            expect(shown(step)).to.match(
                /Box knew none of the \d+ principal\(s\) tried: it refused every request \(404 not_found\)/,
            );
            expect(shown(step)).to.include(
                "Check that box:baseUrl and the credentials are those of the enterprise",
            );
            expect(engine.state.size).to.equal(0);
            expect(suite.box.accepted()).to.deep.equal([]);
        });

        it("a server that 404s every request with an HTML page (a wrong base URL): stops within 20 requests, records nothing", async () => {
            const wrong = await startHostileServer(() => ({
                status: 404,
                body: "<html><body><h1>404 Not Found</h1></body></html>",
                contentType: "text/html",
            }));
            try {
                const engine = await start({ "box:batchSize": "100" }, wrong.baseUrl);
                const [step] = await engine.up(
                    suite.captured.register([termination("url", { userIds: ids(250) })]),
                );
                expect(wrong.log.length).to.be.at.most(20);
                expect(shown(step)).to.match(/^Box API 404: non-JSON body: 404 Not Found/);
                expect(shown(step)).to.include("Box knew none of the 250 principal(s) tried");
                expect(engine.state.size).to.equal(0);
            } finally {
                await wrong.close();
            }
        });

        it("a server that 400s only requests of more than 7 principals: splitting gets everyone accepted, no one is named", async () => {
            const limited = await startHostileServer((body) => {
                const n = named({ body }).length;
                return n > 7
                    ? boxErrorBody(400, "bad_request", "Too many entries", "unused")
                    : { status: 202, body: JSON.stringify({ message: "Request is successful" }) };
            });
            try {
                const engine = await start(
                    { "box:batchSize": "50", "box:concurrency": "4" },
                    limited.baseUrl,
                );
                const all = ids(120);
                const [step] = await engine.up(
                    suite.captured.register([termination("big", { userIds: all })]),
                );
                expect(step.error).to.equal(undefined);
                const accepted = limited.log.filter((r) => r.status === 202).flatMap(named);
                expect([...accepted].sort()).to.deep.equal([...all].sort());
                expect(step.outputs?.userIds).to.deep.equal(all);
                const acceptedIds = limited.log.filter((r) => r.status === 202).map((r) => r.requestId);
                expect(step.outputs?.requestCount).to.equal(acceptedIds.length);
                expect(acceptedIds).to.include.members(step.outputs?.requestIds as string[]);
            } finally {
                await limited.close();
            }
        });

        it("unknown principals in several batches at once, concurrency 4: every one named, everyone else recorded", async () => {
            const all = ids(1000);
            const stale = [all[5], all[250], all[251], all[640], all[999]];
            const groups = ids(30, 80_000);
            const staleGroup = groups[17];
            suite.box.setDirectory({
                userIds: all.filter((v) => !stale.includes(v)),
                groupIds: groups.filter((g) => g !== staleGroup),
            });
            const engine = await start({
                "box:batchSize": "100",
                "box:concurrency": "4",
                "box:maxNewPrincipals": "2000",
            });
            const [step] = await engine.up(
                suite.captured.register([termination("many", { userIds: all, groupIds: groups })]),
            );
            expect(step.error).to.be.instanceOf(InitError);
            for (const v of [...stale, staleGroup]) {
                expect(shown(step)).to.include(
                    `${v} (404 not_found, request ID ${refusedAlone(v).requestId})`,
                );
            }
            const outputs = engine.state.get(step.urn)!.outputs;
            expect(outputs.userIds).to.deep.equal(all.filter((v) => !stale.includes(v)));
            expect(outputs.groupIds).to.deep.equal(groups.filter((g) => g !== staleGroup));
            expect(suite.box.accepted().flatMap(named)).to.have.length(1000 + 30 - 6);
        });

        it("a 429 in the middle of isolation is waited out (retry-after) and isolation finishes", async () => {
            const all = ids(200);
            const stale = all[77];
            suite.box.setDirectory({ userIds: all.filter((v) => v !== stale) });
            // The third request is the first half of the refused batch: Box asks for a one-second pause.
            suite.box.enqueue({ path: USERS, after: 2, status: 429, headers: { "retry-after": "1" } });
            const engine = await start({ "box:batchSize": "100", "box:concurrency": "2" });
            const [step] = await engine.up(suite.captured.register([termination("paced", { userIds: all })]));
            expect(step.error).to.be.instanceOf(InitError);
            expect(shown(step)).to.include(
                `userIds ${stale} (404 not_found, request ID ${refusedAlone(stale).requestId})`,
            );
            const limited = api().find((r) => r.status === 429)!;
            const later = api().filter((r) => r.time > limited.time);
            expect(later.length).to.be.at.least(1);
            for (const r of later) expect(r.time - limited.time).to.be.at.least(990);
            expect(engine.state.get(step.urn)!.outputs.userIds).to.have.length(199);
        });

        it("a 403 during isolation still stops the run, with partial state and the cause", async () => {
            const all = ids(200);
            const stale = all[10];
            suite.box.setDirectory({ userIds: all.filter((v) => v !== stale) });
            suite.box.enqueue({
                path: USERS,
                after: 3,
                ...boxErrorBody(
                    403,
                    "access_denied_insufficient_permissions",
                    "Access denied",
                    "req-403-iso",
                ),
            });
            const engine = await start({
                "box:batchSize": "100",
                "box:concurrency": "1",
                "box:maxRetries": "0",
            });
            const [step] = await engine.up(
                suite.captured.register([termination("stopped", { userIds: all })]),
            );
            expect(step.error).to.be.instanceOf(InitError);
            expect((step.error as InitError).reasons[1]).to.match(
                /^Cause: Box API 403 access_denied_insufficient_permissions: Access denied \(request ID req-403-iso\)/,
            );
            expect(shown(step)).to.include("Fix the cause above");
            const accepted = suite.box.accepted().flatMap(named);
            expect(engine.state.get(step.urn)!.outputs.userIds).to.deep.equal([...accepted].sort());
            expect(api().length).to.equal(4);
        });

        it("groups go to their own endpoint while isolating, and a users batch split keeps both arrays", async () => {
            const userIds = ids(6);
            const logins = ["a@example.com", "b@example.com", "c@example.com"];
            suite.box.setDirectory({
                userIds,
                userLogins: ["a@example.com", "c@example.com"],
                groupIds: ["900"],
            });
            const engine = await start({ "box:batchSize": "9" });
            const [step] = await engine.up(
                suite.captured.register([
                    termination("mixed", { userIds, userLogins: logins, groupIds: ["900"] }),
                ]),
            );
            expect(shown(step)).to.include("userLogins b@example.com (404 not_found");
            for (const r of api().filter((q) => q.path === USERS)) {
                expect(r.body).to.have.all.keys("user_ids", "user_logins");
            }
            expect(
                api()
                    .filter((q) => q.path === GROUPS)
                    .map(named),
            ).to.deep.equal([["900"]]);
        });
    },
);
