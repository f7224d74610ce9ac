/**
 * Every example, run as written (it imports "pulumi-box-session-termination"), deployed through
 * Pulumi's provider host against the emulator. Their type-checking is part of `npm run typecheck`.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startBoxEmulator, type BoxEmulator } from "../../provider/testing";
import { MiniEngine } from "../../harness/engine";
import { CAPTURE_MODES, captureProvider, type CapturedProvider } from "../../harness/capture";
import type { ProviderHost } from "../../harness/host";
import { aliasPackageToSources } from "../../harness/package-alias";
import { captureRegistrations } from "../../harness/registrations";

const EXAMPLES = path.join(__dirname, "..", "..", "examples");

async function registrationsOf(name: string, project: string, config: Record<string, string> = {}) {
    aliasPackageToSources();
    const main = require.resolve(path.join(EXAMPLES, name, "index.ts"));
    return captureRegistrations(
        () => {
            delete require.cache[main];
            require(main);
        },
        { project, config },
    );
}

for (const mode of CAPTURE_MODES)
    describe(`examples deploy against the emulator through the provider host, captured ${mode}`, function () {
        this.timeout(300_000);
        let box: BoxEmulator;
        let host: ProviderHost;
        let captured: CapturedProvider;
        /** The example's registrations, with `__provider` as this capture mode makes it. */
        const runExample = async (name: string, project: string, config: Record<string, string> = {}) =>
            captured.adopt(await registrationsOf(name, project, config));
        before(async () => {
            captured = await captureProvider(mode);
            box = await startBoxEmulator();
            host = await captured.startHost();
            await host.configure({ "box:accessToken": box.accessToken, "box:baseUrl": box.baseUrl }, [
                "box:accessToken",
            ]);
        });
        after(async () => {
            await host?.stop();
            await box?.close();
        });
        beforeEach(() => box.clearRequests());

        it("offboarding: one resource per leaver, named from the login; adding a leaver sends only them", async () => {
            const engine = new MiniEngine(host, "box-offboarding");
            const jdoe = {
                login: "JDoe@example.com",
                userId: "22466421",
                reason: "HR-4412: last day 2026-11-30",
            };
            const amy = { login: "amy.lee@example.com", reason: "HR-4420" };
            const leavers = (list: object[]) => ({ "box-offboarding:leavers": JSON.stringify(list) });
            const first = await engine.up(
                await runExample("offboarding", "box-offboarding", leavers([jdoe])),
            );
            expect(first.map((s) => [s.name, s.op, s.error?.message])).to.deep.equal([
                ["offboard-jdoe-example-com", "create", undefined],
            ]);
            expect(first[0].outputs).to.deep.include({ reason: "HR-4412: last day 2026-11-30" });
            box.clearRequests();
            const second = await engine.up(
                await runExample("offboarding", "box-offboarding", leavers([jdoe, amy])),
            );
            expect(second.map((s) => [s.name, s.op]).sort()).to.deep.equal([
                ["offboard-amy-lee-example-com", "create"],
                ["offboard-jdoe-example-com", "same"],
            ]);
            expect(box.accepted().map((r) => r.body)).to.deep.equal([
                { user_ids: [], user_logins: ["amy.lee@example.com"] },
            ]);
        });

        it("every example refuses to run without its required config: no sample person is ever a fallback", async () => {
            for (const [name, project] of [
                ["offboarding", "box-offboarding"],
                ["incident-response", "box-incident-response"],
                ["gitops", "box-gitops-revocations"],
            ]) {
                const err = await runExample(name, project).then(
                    () => undefined,
                    (e: Error) => e,
                );
                expect(err?.message, name).to.match(/Missing required configuration variable/);
            }
        });

        it("incident-response: the group is cut off, and again when cutoff changes", async () => {
            const engine = new MiniEngine(host, "box-incident-response");
            const config = (cutoff?: string) => ({
                "box-incident-response:groupId": "11446498",
                "box-incident-response:reason": "SEC-1207",
                ...(cutoff ? { "box-incident-response:cutoff": cutoff } : {}),
            });
            await engine.up(await runExample("incident-response", "box-incident-response", config()));
            const again = await engine.up(
                await runExample("incident-response", "box-incident-response", config("2")),
            );
            expect(again.map((s) => [s.op, s.replaces])).to.deep.equal([["replace", ["triggers"]]]);
            expect(box.accepted().map((r) => r.body)).to.deep.equal([
                { group_ids: ["11446498"] },
                { group_ids: ["11446498"] },
            ]);
            const same = await engine.up(
                await runExample("incident-response", "box-incident-response", config("2")),
            );
            expect(same.map((s) => s.op)).to.deep.equal(["same"]);
        });

        it("gitops: one resource per reviewed entry; a malformed file fails with entry and field", async () => {
            const engine = new MiniEngine(host, "box-gitops-revocations");
            const sample = path.join(EXAMPLES, "gitops", "revocations.yaml");
            const steps = await engine.up(
                await runExample("gitops", "box-gitops-revocations", {
                    "box-gitops-revocations:revocationsFile": sample,
                }),
            );
            expect(steps.map((s) => [s.name, s.op, s.error?.message]).sort()).to.deep.equal([
                ["contractor-wave-3", "create", undefined],
                ["offboard-jdoe", "create", undefined],
            ]);
            expect(box.accepted()).to.have.length(3);

            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-"));
            const bad = path.join(dir, "revocations.yaml");
            fs.writeFileSync(bad, "revocations:\n  - name: Bad Name\n    userIds: [1.5]\n");
            try {
                const err = await runExample("gitops", "box-gitops-revocations", {
                    "box-gitops-revocations:revocationsFile": bad,
                }).then(
                    () => undefined,
                    (e: Error) => e,
                );
                expect(err?.message)
                    .to.include(`${bad}: revocations[0].name must be 1-63 lower-case letters`)
                    .and.include(`${bad}: revocations[0].reason is required`)
                    .and.include(
                        `${bad}: revocations[0].userIds[0] must be a quoted string: YAML read it as the number 1.5`,
                    );
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });
