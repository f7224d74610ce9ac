/**
 * The revocations program through the real `pulumi` CLI against the local emulator, in both ways a
 * user has the package: this repository's root program from source, and examples/gitops with the
 * packed tarball installed into a project of its own. One stack per mode, taken through preview,
 * up, an added person, a reason change, refresh and destroy; each step asserts what the CLI printed
 * and what Box received.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { startBoxEmulator, type BoxEmulator } from "../../provider/testing";
import { CliStack, installedExample, sourceProject, workDir } from "../../harness/cli-stack";

const ROOT = path.join(__dirname, "..", "..");
const SAMPLE = path.join(ROOT, "examples", "gitops", "revocations.yaml");
const TOKEN = "e2e-canary-token-5f1c9a7d3b2e4a6c";
const TYPE = "pulumi-nodejs:dynamic/box:SessionTermination";

const MODES = [
    { mode: "from source (the root program)", project: "box-session-termination", prepare: sourceProject },
    {
        mode: "installed from the packed tarball (examples/gitops)",
        project: "box-gitops-revocations",
        prepare: (work: string) => installedExample("gitops", work),
    },
];

for (const { mode, project, prepare } of MODES) {
    describe(`pulumi CLI, ${mode}: preview, up, edits, refresh, destroy`, function () {
        this.timeout(300_000);
        let box: BoxEmulator;
        let stack: CliStack;
        let file: string;
        const urn = (name: string) => `urn:pulumi:dev::${project}::${TYPE}::${name}`;
        const received = (since: number) => box.requests.slice(since).filter((r) => r.method === "POST");
        const edit = (change: (doc: ReturnType<typeof parseDocument>) => void) => {
            const doc = parseDocument(fs.readFileSync(file, "utf8"));
            change(doc);
            fs.writeFileSync(file, doc.toString());
        };

        before(async function () {
            this.timeout(600_000);
            box = await startBoxEmulator({ accessTokens: [TOKEN] });
            const work = workDir("lifecycle");
            file = path.join(work, "revocations.yaml");
            fs.copyFileSync(SAMPLE, file);
            stack = await CliStack.init(await prepare(work), work);
            await stack.config("revocationsFile", file);
            await stack.config("box:baseUrl", box.baseUrl);
            await stack.config("box:accessToken", TOKEN, true);
        });
        after(async () => {
            await box?.close();
        });
        afterEach(function () {
            if (this.currentTest?.state === "failed") console.log(stack.transcript.join("\n"));
        });

        it("preview --diff lists every principal of every resource and sends nothing to Box", async () => {
            const out = await stack.ok(["preview", "--diff"]);
            expect(out).to.include(`    + ${TYPE}: (create)\n        [urn=${urn("offboard-jdoe")}]`);
            expect(out).to.include(`        userIds   : [\n            [0]: "22466421"\n        ]`);
            expect(out).to.include(`        userLogins: [\n            [0]: "jdoe@example.com"\n        ]`);
            expect(out).to.include(`[urn=${urn("contractor-wave-3")}]`);
            expect(out).to.include(
                `        userLogins: [\n            [0]: "a.lopez@agency.example"\n            [1]: "m.chen@agency.example"\n        ]`,
            );
            expect(out).to.include(`        groupIds  : [\n            [0]: "11446498"\n        ]`);
            expect(out).to.match(/\+ 3 to create/);
            expect(box.requests).to.deep.equal([]);
        });

        it("up sends every principal once and records Box's answer", async () => {
            const out = await stack.ok(["up", "--yes"]);
            expect(out).to.include(`+  ${TYPE} offboard-jdoe created (Ns)`);
            expect(out).to.include(`+  ${TYPE} contractor-wave-3 created (Ns)`);
            expect(out).to.include("+ 3 created");
            const sent = received(0).map((r) => JSON.stringify(r.body));
            expect(sent).to.have.members([
                `{"user_ids":["22466421"],"user_logins":["jdoe@example.com"]}`,
                `{"user_ids":[],"user_logins":["a.lopez@agency.example","m.chen@agency.example"]}`,
                `{"group_ids":["11446498"]}`,
            ]);
            const state = await stack.terminations();
            expect(state["offboard-jdoe"].outputs?.message).to.match(/^Request is successful/);
            expect(state["offboard-jdoe"].outputs?.requestCount).to.equal(1);
        });

        it("an added login shows as an update and sends only that login", async () => {
            edit((doc) => doc.addIn(["revocations", 1, "userLogins"], "r.okafor@agency.example"));
            const since = box.requests.length;
            const preview = await stack.ok(["preview", "--diff"]);
            expect(preview).to.include(`    ~ ${TYPE}: (update)\n        [id=`);
            expect(preview).to.match(/\+ +\[2\]: "r\.okafor@agency\.example"/);
            expect(preview).to.include("~ 1 to update");
            expect(received(since)).to.deep.equal([]);
            await stack.ok(["up", "--yes"]);
            expect(received(since).map((r) => JSON.stringify(r.body))).to.deep.equal([
                `{"user_ids":[],"user_logins":["r.okafor@agency.example"]}`,
            ]);
        });

        it("a changed reason updates state and sends nothing", async () => {
            edit((doc) => doc.setIn(["revocations", 0, "reason"], "HR-4412: last day moved to 2026-12-01"));
            const since = box.requests.length;
            const out = await stack.ok(["up", "--yes", "--diff"]);
            expect(out).to.match(
                /~ reason +: "HR-4412: last day 2026-11-30 \(approved by j\.smith\)" => "HR-4412: last day moved to 2026-12-01"/,
            );
            expect(received(since)).to.deep.equal([]);
            expect((await stack.terminations())["offboard-jdoe"].inputs?.reason).to.equal(
                "HR-4412: last day moved to 2026-12-01",
            );
        });

        it("refresh and destroy send nothing to Box", async () => {
            const since = box.requests.length;
            const refresh = await stack.ok(["refresh", "--yes"]);
            expect(refresh).to.match(/3 unchanged/);
            const destroy = await stack.ok(["destroy", "--yes"]);
            expect(destroy).to.include(`-  ${TYPE} offboard-jdoe deleted (Ns)`);
            expect(destroy).to.include("- 3 deleted");
            expect(received(since)).to.deep.equal([]);
            expect(await stack.terminations()).to.deep.equal({});
        });

        it("the token set with `config set --secret` is in no state file and nothing the CLI printed", () => {
            const everything = stack.transcript.join("\n") + stack.filesText() + JSON.stringify(box.requests);
            expect(everything).to.not.include(TOKEN);
            expect(stack.transcript.join("\n")).to.not.include(TOKEN.slice(0, 20));
        });
    });
}
