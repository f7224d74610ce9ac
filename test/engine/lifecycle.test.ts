/**
 * The revocations program through the real `pulumi` CLI against the local emulator, in both ways a
 * user has the package: this repository's root program from source, and examples/gitops with the
 * packed tarball installed into a project of its own. One stack per mode, taken through preview,
 * up, an added person, a reason change, refresh and destroy; each step asserts what the CLI printed
 * and what Box received.
 */
import { expect } from "chai";
import * as fs from "fs";
import { parseDocument } from "yaml";
import { installedExample, sourceProject } from "../../harness/cli-stack";
import { useRevocationsStack } from "./revocations-stack";

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
        const urn = (name: string) => `urn:pulumi:dev::${project}::${TYPE}::${name}`;
        const received = (since: number) =>
            suite.box.requests.slice(since).filter((r) => r.method === "POST");
        const edit = (change: (doc: ReturnType<typeof parseDocument>) => void) => {
            const doc = parseDocument(fs.readFileSync(suite.file, "utf8"));
            change(doc);
            fs.writeFileSync(suite.file, doc.toString());
        };

        const suite = useRevocationsStack("lifecycle", prepare, TOKEN);

        it("preview --diff lists every principal of every resource and sends nothing to Box", async () => {
            const out = await suite.stack.ok(["preview", "--diff"]);
            expect(out).to.include(`    + ${TYPE}: (create)\n        [urn=${urn("offboard-jdoe")}]`);
            expect(out).to.include(`        userIds   : [\n            [0]: "22466421"\n        ]`);
            expect(out).to.include(`        userLogins: [\n            [0]: "jdoe@example.com"\n        ]`);
            expect(out).to.include(`[urn=${urn("contractor-wave-3")}]`);
            expect(out).to.include(
                `        userLogins: [\n            [0]: "a.lopez@agency.example"\n            [1]: "m.chen@agency.example"\n        ]`,
            );
            expect(out).to.include(`        groupIds  : [\n            [0]: "11446498"\n        ]`);
            expect(out).to.match(/\+ 3 to create/);
            expect(suite.box.requests).to.deep.equal([]);
        });

        it("up sends every principal once and records Box's answer", async () => {
            const out = await suite.stack.ok(["up", "--yes"]);
            expect(out).to.include(`+  ${TYPE} offboard-jdoe created (Ns)`);
            expect(out).to.include(`+  ${TYPE} contractor-wave-3 created (Ns)`);
            expect(out).to.include("+ 3 created");
            const sent = received(0).map((r) => JSON.stringify(r.body));
            expect(sent).to.have.members([
                `{"user_ids":["22466421"],"user_logins":["jdoe@example.com"]}`,
                `{"user_ids":[],"user_logins":["a.lopez@agency.example","m.chen@agency.example"]}`,
                `{"group_ids":["11446498"]}`,
            ]);
            const state = await suite.stack.terminations();
            expect(state["offboard-jdoe"].outputs?.message).to.match(/^Request is successful/);
            expect(state["offboard-jdoe"].outputs?.requestCount).to.equal(1);
        });

        it("an added login shows as an update and sends only that login", async () => {
            edit((doc) => doc.addIn(["revocations", 1, "userLogins"], "r.okafor@agency.example"));
            const since = suite.box.requests.length;
            const preview = await suite.stack.ok(["preview", "--diff"]);
            expect(preview).to.include(`    ~ ${TYPE}: (update)\n        [id=`);
            expect(preview).to.match(/\+ +\[2\]: "r\.okafor@agency\.example"/);
            expect(preview).to.include("~ 1 to update");
            expect(received(since)).to.deep.equal([]);
            await suite.stack.ok(["up", "--yes"]);
            expect(received(since).map((r) => JSON.stringify(r.body))).to.deep.equal([
                `{"user_ids":[],"user_logins":["r.okafor@agency.example"]}`,
            ]);
        });

        it("a changed reason updates state and sends nothing", async () => {
            edit((doc) => doc.setIn(["revocations", 0, "reason"], "HR-4412: last day moved to 2026-12-01"));
            const since = suite.box.requests.length;
            const out = await suite.stack.ok(["up", "--yes", "--diff"]);
            expect(out).to.match(
                /~ reason +: "HR-4412: last day 2026-11-30 \(approved by j\.smith\)" => "HR-4412: last day moved to 2026-12-01"/,
            );
            expect(received(since)).to.deep.equal([]);
            expect((await suite.stack.terminations())["offboard-jdoe"].inputs?.reason).to.equal(
                "HR-4412: last day moved to 2026-12-01",
            );
        });

        it("refresh and destroy send nothing to Box", async () => {
            const since = suite.box.requests.length;
            const refresh = await suite.stack.ok(["refresh", "--yes"]);
            expect(refresh).to.match(/3 unchanged/);
            const destroy = await suite.stack.ok(["destroy", "--yes"]);
            expect(destroy).to.include(`-  ${TYPE} offboard-jdoe deleted (Ns)`);
            expect(destroy).to.include("- 3 deleted");
            expect(received(since)).to.deep.equal([]);
            expect(await suite.stack.terminations()).to.deep.equal({});
        });

        it("the token set with `config set --secret` is in no state file and nothing the CLI printed", () => {
            const everything =
                suite.stack.transcript.join("\n") +
                suite.stack.filesText() +
                JSON.stringify(suite.box.requests);
            expect(everything).to.not.include(TOKEN);
            expect(suite.stack.transcript.join("\n")).to.not.include(TOKEN.slice(0, 20));
        });
    });
}
