/**
 * The native provider (`pulumi-resource-box`, installed with `npm install -g` from the packed
 * tarball) under one program written in YAML, Python and Go (harness/native-programs.ts), through the
 * pinned CLI and its language hosts, against the emulator: preview, up, an addition shown principal by
 * principal, a partial failure, a secret reason kept secret, a second enterprise through an explicit
 * provider, and destroy. The same assertions for every language: what a user sees does not depend on
 * the language the program is written in.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { CliStack, PULUMI_BIN, workDir } from "../../harness/cli-stack";
import { pluginBinDir } from "../../harness/native-plugin";
import { LANGUAGES, type NativeProgram, type Termination } from "../../harness/native-programs";
import { startBoxEmulator, type BoxEmulator } from "../../provider/testing";
import { boxErrorBody, expectNoCanary } from "../helpers";

const TYPE = "box:index:SessionTermination";
const USERS = "/2.0/users/terminate_sessions";
const TOKEN = "native-lang-canary-token-5e71";
const SECOND_TOKEN = "native-lang-second-canary-93b0";
const REASON = "HR-CANARY-reason-2f4d";
/** The reason's ciphertext marker in state: a secret, never its text. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

const offboard = (userLogins: string[], userIds: string[] = []): Termination => ({
    name: "offboard",
    userLogins,
    userIds,
    secretReason: REASON,
});

for (const language of LANGUAGES) {
    describe(`native provider: a ${language.name} program through the pulumi CLI`, function () {
        this.timeout(600_000);
        let box: BoxEmulator;
        let second: BoxEmulator;
        let stack: CliStack;
        let dir: string;
        const project = `box-native-${language.name}`;
        const write = (program: NativeProgram) => language.write(dir, project, program);
        /** The program itself holds the canaries; the state, the stack's files and all the CLI printed must not. */
        const expectNoSecretInState = async (canaries: string[]) => {
            let files = stack.filesText();
            for (const source of language.sources(dir))
                files = files.split(fs.readFileSync(source, "utf8")).join("");
            expectNoCanary(
                canaries,
                JSON.stringify(await stack.exportState()),
                files,
                stack.transcript.join("\n"),
            );
        };

        before(async function () {
            box = await startBoxEmulator({ accessTokens: [TOKEN] });
            second = await startBoxEmulator({ accessTokens: [SECOND_TOKEN] });
            const work = workDir(`native-${language.name}`);
            dir = path.join(work, "project");
            fs.mkdirSync(dir);
            await language.prepare(dir, project);
            write({ resources: [offboard(["JDoe@example.com"])] });
            const plugins = await pluginBinDir();
            stack = await CliStack.init(dir, work, {
                PATH: [PULUMI_BIN, plugins, process.env.PATH ?? ""].join(path.delimiter),
                ...language.env(),
            });
            await stack.config("box:baseUrl", box.baseUrl);
            await stack.config("box:accessToken", TOKEN, true);
            await stack.config("box:batchSize", "1");
            await stack.config("box:concurrency", "1");
            await stack.config("box:maxRetries", "0");
        });
        after(async () => {
            await box?.close();
            await second?.close();
        });
        afterEach(function () {
            if (this.currentTest?.state === "failed") console.log(stack?.transcript.join("\n"));
        });

        it("preview shows the resource to create and sends nothing", async () => {
            const out = await stack.ok(["preview"]);
            expect(out).to.include(`+  ${TYPE} offboard create`);
            expect(out).to.include("+ 2 to create");
            expect(box.requests).to.deep.equal([]);
        });

        it("up terminates the login, lower-cased, and keeps the secret reason secret in state", async () => {
            const out = await stack.ok(["up", "--yes"]);
            expect(out).to.include(`+  ${TYPE} offboard created`);
            expect(box.requests.map((r) => [r.path, r.body])).to.deep.equal([
                [USERS, { user_ids: [], user_logins: ["jdoe@example.com"] }],
            ]);
            const state = await stack.exportState();
            const resource = state.deployment.resources!.find((r) => r.type === TYPE)!;
            expect(resource.outputs?.userLogins).to.deep.equal(["jdoe@example.com"]);
            expect(resource.outputs?.message).to.match(/^Request is successful/);
            expect(JSON.stringify(resource.outputs?.reason)).to.include(SECRET_SIG);
            await expectNoSecretInState([REASON, TOKEN]);
        });

        it("an added login is previewed principal by principal, and up sends only it", async () => {
            write({ resources: [offboard(["JDoe@example.com", "amy@example.com"])] });
            const preview = await stack.ok(["preview", "--diff"]);
            expect(preview).to.include('~ userLogins: [\n          + [0]: "amy@example.com"\n        ]');
            box.clearRequests();
            const out = await stack.ok(["up", "--yes"]);
            expect(out).to.include(`~  ${TYPE} offboard updated`);
            expect(box.requests.map((r) => r.body)).to.deep.equal([
                { user_ids: [], user_logins: ["amy@example.com"] },
            ]);
        });

        it("a partial failure shows Box's answer and records only who was cut off; the next up sends the rest", async () => {
            write({ resources: [offboard(["JDoe@example.com", "amy@example.com"], ["11", "12", "13"])] });
            box.clearRequests();
            box.enqueue({
                path: USERS,
                after: 1,
                ...boxErrorBody(
                    403,
                    "access_denied_insufficient_permissions",
                    "Access denied",
                    "req-native-403",
                ),
            });
            const failed = await stack.run(["up", "--yes"]);
            expect(failed.code).to.not.equal(0);
            expect(failed.text).to.include(`${TYPE} offboard **updating failed**`);
            expect(failed.text).to.include("Box accepted the termination for 1 principal(s) but not for 2.");
            expect(failed.text).to.include("403 access_denied_insufficient_permissions: Access denied");
            expect(failed.text).to.include("request ID req-native-403");
            const recorded = (await stack.exportState()).deployment.resources!.find((r) => r.type === TYPE)!;
            expect(recorded.outputs?.userIds).to.deep.equal(["11"]);
            expect(JSON.stringify(recorded.outputs?.reason)).to.include(SECRET_SIG);
            box.clearRequests();
            const out = await stack.ok(["up", "--yes"]);
            expect(out).to.include(`~  ${TYPE} offboard updated`);
            expect(box.requests.map((r) => r.body)).to.deep.equal([
                { user_ids: ["12"], user_logins: [] },
                { user_ids: ["13"], user_logins: [] },
            ]);
            // Progress on the resource's line, one step per answer.
            expect(out).to.include(
                `~  ${TYPE} offboard updating (Ns) [diff: ~userIds]; 1 of 2 principal(s) accepted; 1 request(s) answered, 0 in flight`,
            );
            expect(out).to.include("2 of 2 principal(s) accepted; 2 request(s) answered, 0 in flight");
            await expectNoSecretInState([REASON, TOKEN]);
        });

        it("an explicit provider sends its resource to its own enterprise with its own credentials", async () => {
            write({
                providers: [{ name: "second", baseUrl: second.baseUrl, secretToken: SECOND_TOKEN }],
                resources: [
                    offboard(["JDoe@example.com", "amy@example.com"], ["11", "12", "13"]),
                    { name: "other", userIds: ["77"], provider: "second" },
                ],
            });
            box.clearRequests();
            const out = await stack.ok(["up", "--yes"]);
            expect(out).to.include(`+  ${TYPE} other created`);
            expect(box.requests).to.deep.equal([]);
            // The second emulator accepts only its own token: a 202 there is its credential at work.
            expect(second.requests.map((r) => [r.path, r.body, r.status, r.token])).to.deep.equal([
                [USERS, { user_ids: ["77"], user_logins: [] }, 202, "static#1"],
            ]);
            await expectNoSecretInState([REASON, TOKEN, SECOND_TOKEN]);
        });

        it("destroy removes both records and sends nothing", async () => {
            box.clearRequests();
            second.clearRequests();
            const out = await stack.ok(["destroy", "--yes"]);
            expect(out).to.include(`-  ${TYPE} offboard deleted`);
            expect(out).to.include(`-  ${TYPE} other deleted`);
            expect([...box.requests, ...second.requests]).to.deep.equal([]);
        });
    });
}
