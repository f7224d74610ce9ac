/**
 * Credentials go only where the stack says, over TLS: through Pulumi's provider host, in each capture
 * mode. A shell's leftover BOX_BASE_URL must never receive a stack's credentials, and settings check
 * can judge without one fail in check, so in preview.
 */
import { expect } from "chai";
import { MiniEngine } from "../../harness/engine";
import { describeInHost } from "../host-suite";

const CCG = { clientId: "ccg-origin", clientSecret: "ccg_CANARY_origin_7f3e", enterpriseId: "900090" };

describeInHost(
    (mode) => `API origin and TLS, through the provider host, captured ${mode}`,
    { emulator: { apps: [CCG] }, canaries: [CCG.clientSecret] },
    (suite) => {
        const program = () => suite.captured.register([{ name: "r", args: { userIds: ["1"] } }]);

        it("stack-config credentials with BOX_BASE_URL in the environment: nothing is sent there, and check (so preview) names both sources", async () => {
            const host = await suite.startHost({ env: { BOX_BASE_URL: suite.box.baseUrl } });
            await host.configure(
                {
                    "box:clientId": CCG.clientId,
                    "box:clientSecret": CCG.clientSecret,
                    "box:enterpriseId": CCG.enterpriseId,
                },
                ["box:clientSecret"],
            );
            const engine = new MiniEngine(host);
            // check refuses it, so preview shows it too (test/engine/settings-preview.test.ts).
            const [{ failures }] = await Promise.all(
                program().map((r) => host.check(engine.urnOf(r), {}, r.inputs)),
            );
            expect(failures.map((f) => f.reason)).to.have.length(1);
            expect(failures[0].reason).to.match(
                /^BOX_BASE_URL \(environment\) is set to "http:\/\/127\.0\.0\.1:\d+", but the credentials come from stack config/,
            );
            const refused = await engine.up(program()).then(
                () => "accepted",
                (err: Error) => err.message,
            );
            expect(refused).to.include("resource 'r' has a problem: BOX_BASE_URL (environment) is set to");
            expect(suite.box.requests).to.deep.equal([]);
            expect(engine.state.size).to.equal(0);
        });

        it("token and base URL both from the environment (the emulator workflow) work, with one notice naming the origin", async () => {
            const host = await suite.startHost({
                env: { BOX_BASE_URL: suite.box.baseUrl, BOX_ACCESS_TOKEN: suite.box.accessToken },
            });
            await host.configure({});
            const engine = new MiniEngine(host);
            const steps = await engine.up([
                ...program(),
                ...suite.captured.register([{ name: "s", args: { groupIds: ["2"] } }]),
            ]);
            expect(steps.map((s) => s.error)).to.deep.equal([undefined, undefined]);
            expect(suite.box.accepted()).to.have.length(2);
            const notices = host.output.match(
                /Box API origin is http:\/\/127\.0\.0\.1:\d+ \(from environment\), not https:\/\/api\.box\.com/g,
            );
            expect(notices).to.have.length(1);
        });

        it("box:baseUrl http://box.example.invalid is refused by check (so in preview), naming https", async () => {
            const host = await suite.startHost();
            await host.configure(
                {
                    "box:clientId": CCG.clientId,
                    "box:clientSecret": CCG.clientSecret,
                    "box:enterpriseId": CCG.enterpriseId,
                    "box:baseUrl": "http://box.example.invalid",
                },
                ["box:clientSecret"],
            );
            const engine = new MiniEngine(host);
            const [reg] = program();
            const { failures } = await host.check(engine.urnOf(reg), {}, reg.inputs);
            expect(failures.map((f) => f.reason)).to.have.length(1);
            expect(failures[0].reason).to.match(
                /^box:baseUrl \/ BOX_BASE_URL is "http:\/\/box\.example\.invalid": plain http is allowed only for loopback .* Use https:\/\//,
            );
            expect(suite.box.requests).to.deep.equal([]);
        });

        it("box:maxRetries out of range is refused by check (so in preview), naming the setting", async () => {
            const host = await suite.startHost();
            await host.configure({ "box:baseUrl": suite.box.baseUrl, "box:maxRetries": "99" }, []);
            const engine = new MiniEngine(host);
            const [reg] = program();
            const { failures } = await host.check(engine.urnOf(reg), {}, reg.inputs);
            expect(failures.map((f) => f.reason)).to.deep.equal([
                'box:maxRetries / BOX_MAX_RETRIES must be a whole number from 0 to 20, got "99"',
            ]);
            expect(suite.box.requests).to.deep.equal([]);
        });
    },
);
