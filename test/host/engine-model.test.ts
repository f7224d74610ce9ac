/**
 * Engine-protocol tests: the exact `__provider` text and inputs that registering a SessionTermination
 * produces under mocks, handed to Pulumi's own dynamic-provider host over gRPC, against the emulator.
 * This is how `pulumi up` runs the provider, so serialization, config, secrets and preview behaviour
 * are exercised for real.
 */
import { expect } from "chai";
import { SessionTermination, type SessionTerminationArgs } from "../../provider";
import { ACCEPTED_MESSAGE, startBoxEmulator, type BoxEmulator } from "../../provider/testing";
import { MiniEngine } from "../../harness/engine";
import { CAPTURE_MODES, captureProvider, type CapturedProvider } from "../../harness/capture";
import { HostCallError, type ProviderHost } from "../../harness/host";
import { captureRegistrations, type Registration } from "../../harness/registrations";
import { UNKNOWN } from "../../provider/core/validation";
import { boxErrorBody, expectNoCanary } from "../helpers";

const TOKEN = "tok_CANARY_engine_3d9a77";

/** The story's one person, as each step declares them; only what a step changes is spelled out. */
const jdoe = (changes: SessionTerminationArgs): SessionTerminationArgs => ({
    userIds: ["22466421"],
    userLogins: ["jdoe@example.com"],
    groupIds: ["11446498"],
    reason: "HR-4412",
    ...changes,
});

for (const mode of CAPTURE_MODES)
    describe(`engine protocol: the provider inside Pulumi's provider host, captured ${mode}`, function () {
        this.timeout(300_000);
        let captured: CapturedProvider;
        let box: BoxEmulator;
        let host: ProviderHost;
        let engine: MiniEngine;
        const hostErrors: string[] = [];

        /** The program's registrations, with `__provider` as this capture mode makes it. */
        async function register(resources: Record<string, SessionTerminationArgs>): Promise<Registration[]> {
            const regs = await captureRegistrations(() => {
                for (const [name, args] of Object.entries(resources)) new SessionTermination(name, args);
            });
            return captured.adopt(regs);
        }

        before(async () => {
            captured = await captureProvider(mode);
            box = await startBoxEmulator({ accessTokens: [TOKEN] });
            // The token is also in the host's environment: config must win, and neither may leak.
            host = await captured.startHost({ env: { BOX_ACCESS_TOKEN: TOKEN } });
            await host.configure({ "box:accessToken": TOKEN, "box:baseUrl": box.baseUrl }, [
                "box:accessToken",
            ]);
            engine = new MiniEngine(host);
        });
        after(async () => {
            await host?.stop();
            await box?.close();
            // Everything the host printed over the whole run, and every error it returned.
            expectNoCanary([TOKEN], host.output, hostErrors.join("\n"));
        });
        beforeEach(() => box.clearRequests());

        it("Check: normalizes valid inputs, reports invalid ones by property, accepts unknowns", async () => {
            const [reg] = await register({
                r: { userIds: ["2", "1", "2"], userLogins: ["JDoe@Example.com"] },
            });
            const urn = engine.urnOf(reg);
            const ok = await host.check(urn, {}, reg.inputs);
            expect(ok.failures).to.deep.equal([]);
            expect(ok.inputs).to.deep.include({
                userIds: ["1", "2"],
                userLogins: ["jdoe@example.com"],
                groupIds: [],
            });
            expect(ok.inputs.__provider).to.equal(reg.inputs.__provider);

            const bad = await host.check(
                urn,
                {},
                { ...reg.inputs, userIds: ["1", "x"], userLogins: ["nope"] },
            );
            // The path leads the reason: the engine prints reasons only (provider.ts, forEngine).
            expect(bad.failures.map((f) => [f.property, f.reason.split(":")[0]])).to.deep.equal([
                ["", "userIds[1]"],
                ["", "userLogins[0]"],
            ]);

            const preview = await host.check(
                urn,
                {},
                { ...reg.inputs, userIds: UNKNOWN, groupIds: [UNKNOWN] },
            );
            expect(preview.failures).to.deep.equal([]);
            expect(box.requests).to.have.length(0);
        });

        it("preview (Check and Diff) calls nothing on Box; Create sends valid requests and returns Box's message", async () => {
            const regs = await register({
                "offboard-jdoe": jdoe({}),
            });
            const plan = await engine.preview(regs);
            expect(plan.map((s) => s.op)).to.deep.equal(["create"]);
            expect(box.requests).to.have.length(0);

            const steps = await engine.up(regs);
            expect(steps[0].error).to.equal(undefined);
            expect(box.requests.map((r) => [r.status, r.path, r.body])).to.deep.equal([
                [
                    202,
                    "/2.0/users/terminate_sessions",
                    { user_ids: ["22466421"], user_logins: ["jdoe@example.com"] },
                ],
                [202, "/2.0/groups/terminate_sessions", { group_ids: ["11446498"] }],
            ]);
            const outputs = engine.state.get(engine.urnOf(regs[0]))!.outputs;
            expect(outputs.message).to.equal(`${ACCEPTED_MESSAGE} (2 requests accepted)`);
            expect(outputs.reason).to.equal("HR-4412");
            expectNoCanary([TOKEN], outputs);
        });

        it("Diff: a reordered, repeated list is no change and sends nothing", async () => {
            const regs = await register({
                "offboard-jdoe": jdoe({
                    userIds: ["22466421", "22466421"],
                    userLogins: ["JDOE@example.com"],
                }),
            });
            const steps = await engine.up(regs);
            expect(steps.map((s) => s.op)).to.deep.equal(["same"]);
            expect(box.requests).to.have.length(0);
        });

        it("Update: sends only the added principal", async () => {
            const regs = await register({
                "offboard-jdoe": jdoe({ userIds: ["22466421", "5550001"] }),
            });
            const steps = await engine.up(regs);
            expect(steps.map((s) => s.op)).to.deep.equal(["update"]);
            expect(box.requests.map((r) => r.body)).to.deep.equal([
                { user_ids: ["5550001"], user_logins: [] },
            ]);
            expect(engine.state.get(engine.urnOf(regs[0]))!.outputs.userIds).to.deep.equal([
                "5550001",
                "22466421",
            ]);
        });

        it("Update: a reason change records the reason and sends nothing", async () => {
            const regs = await register({
                "offboard-jdoe": jdoe({ userIds: ["22466421", "5550001"], reason: "HR-4412 (approved)" }),
            });
            const before = engine.state.get(engine.urnOf(regs[0]))!.outputs;
            const steps = await engine.up(regs);
            expect(steps.map((s) => s.op)).to.deep.equal(["update"]);
            expect(box.requests).to.have.length(0);
            const after = engine.state.get(engine.urnOf(regs[0]))!.outputs;
            expect(after.reason).to.equal("HR-4412 (approved)");
            expect(after.terminatedAt).to.equal(before.terminatedAt);
        });

        it("Read: refresh changes nothing (refresh --expect-no-changes passes)", async () => {
            expect(await engine.refresh()).to.deep.equal([]);
            expect(box.requests).to.have.length(0);
        });

        it("Diff: changed triggers replace the resource, terminating everyone listed again", async () => {
            const regs = await register({
                "offboard-jdoe": jdoe({
                    userIds: ["22466421", "5550001"],
                    reason: "HR-4412 (approved)",
                    triggers: ["again"],
                }),
            });
            const steps = await engine.up(regs);
            expect(steps.map((s) => [s.op, s.replaces])).to.deep.equal([["replace", ["triggers"]]]);
            expect(box.accepted().map((r) => r.body)).to.deep.equal([
                { user_ids: ["5550001", "22466421"], user_logins: ["jdoe@example.com"] },
                { group_ids: ["11446498"] },
            ]);
        });

        it("a Box error surfaces with status, code, message and request ID; state is unchanged", async () => {
            box.enqueue(
                boxErrorBody(
                    403,
                    "access_denied_insufficient_permissions",
                    "Access denied - insufficient permission",
                    "rq-77",
                ),
            );
            const regs = await register({
                "offboard-jdoe": jdoe({
                    userIds: ["22466421", "5550001"],
                    reason: "HR-4412 (approved)",
                    triggers: ["again"],
                }),
                "offboard-amy": { userLogins: ["amy@example.com"] },
            });
            const steps = await engine.up(regs);
            const failed = steps.find((s) => s.name === "offboard-amy")!;
            expect(failed.error).to.be.instanceOf(HostCallError);
            expect(failed.error!.message).to.match(
                /^Box API 403 access_denied_insufficient_permissions: Access denied - insufficient permission \(request ID rq-77\)/,
            );
            expect((failed.error as HostCallError).initFailed).to.equal(undefined);
            expect(engine.state.has(engine.urnOf({ type: regs[1].type, name: "offboard-amy" }))).to.equal(
                false,
            );
            hostErrors.push(failed.error!.message);
        });

        it("Delete: destroy sends nothing to Box and empties state", async () => {
            const steps = await engine.destroy();
            expect(steps.every((s) => s.op === "delete" && !s.error)).to.equal(true);
            expect(engine.state.size).to.equal(0);
            expect(box.requests).to.have.length(0);
        });
    });
