/**
 * A partial failure through the real `pulumi` CLI, in both ways a user has the package: Box refuses
 * the group request of a resource whose users it accepted. The CLI must show why (Box's status,
 * code, message and request ID), the state must record exactly who was cut off, and the next
 * `pulumi up` must send exactly the rest. Also: two resources of one name fail as the engine says.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { installedExample, sourceProject } from "../../harness/cli-stack";
import { useRevocationsStack } from "./revocations-stack";

const ROOT = path.join(__dirname, "..", "..");
const TOKEN = "e2e-partial-canary-token-8d2f61b0";
const TYPE = "pulumi-nodejs:dynamic/box:SessionTermination";

const MODES = [
    { mode: "from source", prepare: sourceProject, from: path.join(ROOT, "provider") },
    {
        mode: "installed from the packed tarball",
        prepare: (work: string) => installedExample("gitops", work),
        from: "pulumi-box-session-termination",
    },
];

for (const { mode, prepare, from } of MODES) {
    describe(`pulumi CLI, ${mode}: a partial failure`, function () {
        this.timeout(300_000);

        const suite = useRevocationsStack("partial", prepare, TOKEN);

        it("shows Box's status, code and request ID, and records only who was cut off", async () => {
            suite.box.enqueue({ path: "/2.0/groups/terminate_sessions", status: 403 });
            const up = await suite.stack.run(["up", "--yes"]);
            expect(up.code).to.not.equal(0);
            const refused = suite.box.requests.find((r) => r.path === "/2.0/groups/terminate_sessions");
            const requestId = refused?.requestId ?? "";
            expect(requestId).to.match(/\S/);
            expect(up.text).to.include(`${TYPE} contractor-wave-3 **creating failed**`);
            expect(up.text).to.include("403");
            expect(up.text).to.include("access_denied_insufficient_permissions");
            expect(up.text).to.include(requestId);
            expect(up.text).to.include("11446498");

            const state = await suite.stack.terminations();
            expect(state["offboard-jdoe"].outputs?.userIds).to.deep.equal(["22466421"]);
            const partial = state["contractor-wave-3"];
            expect(partial.outputs?.userLogins).to.deep.equal([
                "a.lopez@agency.example",
                "m.chen@agency.example",
            ]);
            expect(partial.outputs?.groupIds).to.deep.equal([]);
            expect(partial.initErrors?.join("\n")).to.include("11446498");
        });

        it("the next up sends exactly the group Box refused, and nothing else", async () => {
            const since = suite.box.requests.length;
            const out = await suite.stack.ok(["up", "--yes"]);
            expect(out).to.include(`~  ${TYPE} contractor-wave-3 updated (Ns)`);
            expect(
                suite.box.requests.slice(since).map((r) => `${r.path} ${JSON.stringify(r.body)}`),
            ).to.deep.equal([`/2.0/groups/terminate_sessions {"group_ids":["11446498"]}`]);
            const partial = (await suite.stack.terminations())["contractor-wave-3"];
            expect(partial.outputs?.groupIds).to.deep.equal(["11446498"]);
            expect(partial.initErrors ?? []).to.deep.equal([]);
        });

        it("two resources of one name fail with the engine's duplicate URN, and nothing is sent", async () => {
            // The revocations loader refuses a repeated name itself, so this program registers directly.
            const program = path.join(suite.stack.dir, "index.ts");
            fs.rmSync(program);
            fs.writeFileSync(
                program,
                [
                    `import { SessionTermination } from ${JSON.stringify(from)};`,
                    'new SessionTermination("twice", { userIds: ["1"], reason: "SEC-1" });',
                    'new SessionTermination("twice", { userIds: ["2"], reason: "SEC-2" });',
                ].join("\n"),
            );
            const since = suite.box.requests.length;
            const preview = await suite.stack.run(["preview"]);
            expect(preview.code).to.not.equal(0);
            expect(preview.text).to.include(
                `error: Duplicate resource URN 'urn:pulumi:dev::${suite.stack.project}::${TYPE}::twice'; try giving it a unique name`,
            );
            expect(suite.box.requests.slice(since)).to.deep.equal([]);
        });

        it("leaves the token in no state file and nothing the CLI printed", () => {
            expect(suite.stack.transcript.join("\n") + suite.stack.filesText()).to.not.include(TOKEN);
        });
    });
}
