/**
 * A protected user inside a group, through the real `pulumi` CLI in both ways a user has the package
 * (issue: protection applied only to principals named directly, so a break-glass admin in an
 * incident group was cut off with it). Preview cannot see group members without credentials and lets
 * it through (docs/review.md says so); `up` lists the group's members, refuses it naming group and
 * member, and sends nothing for that resource. Turning the check off is a setting of its own.
 */
import { expect } from "chai";
import * as path from "path";
import { installedExample, sourceProject } from "../../harness/cli-stack";
import { useRevocationsStack } from "./revocations-stack";

const TOKEN = "e2e-members-canary-token-6be01f3a";
const TYPE = "pulumi-nodejs:dynamic/box:SessionTermination";
const GROUPS = "/2.0/groups/terminate_sessions";
const USERS = "/2.0/users/terminate_sessions";

const MODES = [
    { mode: "from source", prepare: sourceProject },
    {
        mode: "installed from the packed tarball",
        prepare: (work: string) => installedExample("gitops", work),
    },
];

for (const { mode, prepare } of MODES) {
    describe(`pulumi CLI, ${mode}: a protected user inside a group`, function () {
        this.timeout(300_000);

        const suite = useRevocationsStack(`members-${path.basename(mode.split(" ")[0])}`, prepare, TOKEN);
        const terminations = (since: number) =>
            suite.box.requests.slice(since).filter((r) => r.path === USERS || r.path === GROUPS);

        before(async function () {
            this.timeout(60_000);
            suite.box.setDirectory({
                groupMembers: {
                    "11446498": [
                        { id: "40001", login: "designer@agency.example" },
                        { id: "33333333", login: "breakglass@example.com" },
                    ],
                },
            });
            await suite.stack.config("box:protectedUserLogins", "Breakglass@Example.com");
        });

        it("preview cannot see members: it lists the group and sends nothing", async () => {
            const since = suite.box.requests.length;
            const out = await suite.stack.ok(["preview"]);
            expect(out).to.include(`+  ${TYPE} contractor-wave-3 create`);
            expect(suite.box.requests.slice(since)).to.deep.equal([]);
        });

        it("up refuses the group, naming it, the member and the setting, and sends nothing for it", async () => {
            const since = suite.box.requests.length;
            const up = await suite.stack.run(["up", "--yes"]);
            expect(up.code).to.not.equal(0);
            expect(up.text).to.include(`${TYPE} contractor-wave-3 **creating failed**`);
            expect(up.text).to.include(
                "Refused: group 11446498 holds user 33333333 (breakglass@example.com), protected by box:protectedUserLogins (stack config). " +
                    "No resource of this stack may cut off a protected user, directly or through a group",
            );
            // The other resource of the stack is not held back; this one sent nothing at all.
            expect(terminations(since).map((r) => JSON.stringify(r.body))).to.deep.equal([
                '{"user_ids":["22466421"],"user_logins":["jdoe@example.com"]}',
            ]);
            const state = await suite.stack.terminations();
            expect(Object.keys(state)).to.deep.equal(["offboard-jdoe"]);
        });

        it("with box:checkGroupMembers false, the next up sends the group without listing it", async () => {
            await suite.stack.config("box:checkGroupMembers", "false");
            const since = suite.box.requests.length;
            await suite.stack.ok(["up", "--yes"]);
            expect(suite.box.requests.slice(since).filter((r) => r.method === "GET")).to.deep.equal([]);
            expect(
                terminations(since)
                    .map((r) => r.path)
                    .sort(),
            ).to.deep.equal([GROUPS, USERS]);
        });

        it("leaves the token in no state file and nothing the CLI printed", () => {
            expect(suite.stack.transcript.join("\n") + suite.stack.filesText()).to.not.include(TOKEN);
        });
    });
}
