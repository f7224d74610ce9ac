/**
 * A partial failure of a large revocation through the real `pulumi` CLI, in both ways a user has the
 * package (issue: 1,000 logins of about 36 characters, one unknown to Box, were never recorded, so
 * every `up` cut the other 999 off again). The revocations loader splits such an entry into parts
 * that each fit; the part holding the unknown login records who was cut off, and the next `up` sends
 * exactly that login. A reason too long to record anything is refused in preview, naming `reason`.
 */
import { expect } from "chai";
import * as fs from "fs";
import { installedExample, sourceProject } from "../../harness/cli-stack";
import { useRevocationsStack } from "./revocations-stack";

const TOKEN = "e2e-large-canary-token-41c7d9e2";
const TYPE = "pulumi-nodejs:dynamic/box:SessionTermination";
const USERS = "/2.0/users/terminate_sessions";
const LOGINS = Array.from(
    { length: 1000 },
    (_, i) => `person.number${String(i).padStart(5, "0")}@example-corp.com`,
);
const UNKNOWN = LOGINS[10];

/** A revocations file with one entry of every login. */
function bulkFile(reason = "SEC-4242 contractor offboarding"): string {
    return [
        "revocations:",
        "  - name: bulk-leavers",
        `    reason: ${JSON.stringify(reason)}`,
        "    userLogins:",
        ...LOGINS.map((login) => `      - ${login}`),
        "",
    ].join("\n");
}

/** Every login in the requests Box received since `since`. */
function loginsSent(requests: readonly { path: string; body: unknown }[]): string[] {
    return requests
        .filter((r) => r.path === USERS)
        .flatMap((r) => (r.body as { user_logins?: string[] }).user_logins ?? []);
}

const MODES = [
    { mode: "from source", prepare: sourceProject },
    {
        mode: "installed from the packed tarball",
        prepare: (work: string) => installedExample("gitops", work),
    },
];

for (const { mode, prepare } of MODES) {
    describe(`pulumi CLI, ${mode}: a partial failure of 1,000 logins`, function () {
        this.timeout(300_000);

        const suite = useRevocationsStack("large", prepare, TOKEN);

        it("preview shows the entry split into parts that fit, and sends nothing", async () => {
            fs.writeFileSync(suite.file, bulkFile());
            const since = suite.box.requests.length;
            const out = await suite.stack.ok(["preview"]);
            expect(out).to.include(`+  ${TYPE} bulk-leavers create`);
            expect(out).to.include(`+  ${TYPE} bulk-leavers-part-2 create`);
            expect(out).to.not.include("bulk-leavers-part-3");
            expect(suite.box.requests.slice(since)).to.deep.equal([]);
        });

        it("up with one login unknown to Box: records the 999 cut off and names the one", async () => {
            suite.box.setDirectory({ userLogins: LOGINS.filter((l) => l !== UNKNOWN) });
            const up = await suite.stack.run(["up", "--yes"]);
            expect(up.code).to.not.equal(0);
            expect(up.text).to.include(`${TYPE} bulk-leavers **creating failed**`);
            expect(up.text).to.include(
                `Unknown to Box (refused alone): userLogins ${UNKNOWN} (404 not_found`,
            );
            expect(up.text).to.not.include("too large to record");
            const state = await suite.stack.terminations();
            const first = state["bulk-leavers"].outputs?.userLogins as string[];
            const second = state["bulk-leavers-part-2"].outputs?.userLogins as string[];
            expect(first).to.not.include(UNKNOWN);
            expect([...first, ...second].sort()).to.deep.equal(LOGINS.filter((l) => l !== UNKNOWN));
            expect(state["bulk-leavers"].initErrors?.join("\n")).to.include(UNKNOWN);
        });

        it("the next up sends exactly the login Box did not know, once it does", async () => {
            suite.box.setDirectory(undefined);
            const since = suite.box.requests.length;
            const out = await suite.stack.ok(["up", "--yes"]);
            expect(out).to.include(`~  ${TYPE} bulk-leavers updated (Ns)`);
            expect(loginsSent(suite.box.requests.slice(since))).to.deep.equal([UNKNOWN]);
            const state = await suite.stack.terminations();
            expect(state["bulk-leavers"].outputs?.userLogins).to.include(UNKNOWN);
        });

        it("a reason too long for any partial result to be recorded fails preview, naming reason", async () => {
            fs.writeFileSync(suite.file, bulkFile(`SEC-1 ${"x".repeat(40_000)}`));
            const since = suite.box.requests.length;
            const preview = await suite.stack.run(["preview"]);
            expect(preview.code).to.not.equal(0);
            expect(preview.text).to.match(
                /resource 'bulk-leavers' has a problem: reason: too long for a partial failure to be recorded in Pulumi state \(with the triggers, about [\d,]+ bytes of the 40,000 one provider answer can carry to the engine\): shorten it/,
            );
            expect(suite.box.requests.slice(since)).to.deep.equal([]);
        });

        it("leaves the token in no state file and nothing the CLI printed", () => {
            expect(suite.stack.transcript.join("\n") + suite.stack.filesText()).to.not.include(TOKEN);
        });
    });
}
