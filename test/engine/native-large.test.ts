/**
 * The trust guarantee for large partial results, through the native provider: one resource of 600
 * logins, one unknown to Box. The plugin's partial result (ErrorResourceInitFailed with the outputs of
 * who was cut off) must reach the engine whole, so state records the 599 and the next up sends only
 * the one. A resource too large for any partial result to travel (1,000 logins) is refused in preview
 * with how many resources it takes, and a bad entry among many is named by property and index.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { CliStack, PULUMI_BIN, workDir } from "../../harness/cli-stack";
import { pluginBinDir } from "../../harness/native-plugin";
import { startBoxEmulator, type BoxEmulator } from "../../provider/testing";

const TYPE = "box:index:SessionTermination";
const USERS = "/2.0/users/terminate_sessions";
const TOKEN = "native-large-canary-token-77d1";
const LOGINS = Array.from(
    { length: 600 },
    (_, i) => `person.number${String(i).padStart(5, "0")}@example-corp.com`,
);
const UNKNOWN = LOGINS[10];

const program = (logins: string[]) =>
    [
        "name: box-native-large",
        "runtime: yaml",
        "resources:",
        "  bulk:",
        `    type: ${TYPE}`,
        "    properties:",
        "      reason: SEC-4242 contractor offboarding",
        "      userLogins:",
        ...logins.map((l) => `        - ${JSON.stringify(l)}`),
    ].join("\n") + "\n";

const loginsSent = (requests: readonly { path: string; body: unknown }[]) =>
    requests
        .filter((r) => r.path === USERS)
        .flatMap((r) => (r.body as { user_logins?: string[] }).user_logins ?? []);

describe("native provider: a partial failure of 600 logins through the pulumi CLI", function () {
    this.timeout(600_000);
    let box: BoxEmulator;
    let stack: CliStack;
    let dir: string;

    before(async () => {
        box = await startBoxEmulator({ accessTokens: [TOKEN] });
        const work = workDir("native-large");
        dir = path.join(work, "project");
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), program(LOGINS));
        stack = await CliStack.init(dir, work, {
            PATH: [PULUMI_BIN, await pluginBinDir(), process.env.PATH ?? ""].join(path.delimiter),
        });
        await stack.config("box:baseUrl", box.baseUrl);
        await stack.config("box:accessToken", TOKEN, true);
        await stack.config("box:maxNewPrincipals", "2000");
    });
    after(() => box?.close());
    afterEach(function () {
        if (this.currentTest?.state === "failed") console.log(stack?.transcript.join("\n").slice(-20_000));
    });

    it("1,000 logins in one resource are refused in preview, saying how many resources they take; nothing is sent", async () => {
        const many = Array.from(
            { length: 1000 },
            (_, i) => `person.number${String(i).padStart(5, "0")}@example-corp.com`,
        );
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), program(many));
        const preview = await stack.run(["preview"]);
        expect(preview.code).to.not.equal(0);
        expect(preview.text).to.match(
            /resource 'bulk' has a problem: userLogins: 1,000 principals take too many bytes for a partial failure to be recorded in Pulumi state \(about [\d,]+ of the 40,000 one provider answer can carry to the engine\)/,
        );
        expect(preview.text).to.include("Split them across at least 2 SessionTermination resources");
        expect(box.requests).to.deep.equal([]);
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), program(LOGINS));
    });

    it("a bad entry among many is named by property and index in preview; nothing is sent", async () => {
        const bad = [...LOGINS];
        bad[417] = "not-an-email\u200b";
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), program(bad));
        const preview = await stack.run(["preview"]);
        expect(preview.code).to.not.equal(0);
        expect(preview.text).to.include(
            "userLogins[417]: contains an invisible character U+200B (zero width space)",
        );
        expect(box.requests).to.deep.equal([]);
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), program(LOGINS));
    });

    it("up with one login unknown to Box records the 599 cut off and names the one", async () => {
        box.setDirectory({ userLogins: LOGINS.filter((l) => l !== UNKNOWN) });
        const failed = await stack.run(["up", "--yes"]);
        expect(failed.code).to.not.equal(0);
        expect(failed.text).to.include(`${TYPE} bulk **creating failed**`);
        expect(failed.text).to.include(
            `Unknown to Box (refused alone): userLogins ${UNKNOWN} (404 not_found`,
        );
        expect(failed.text).to.not.include("too large to record");
        const recorded = (await stack.exportState()).deployment.resources!.find((r) => r.type === TYPE)!;
        expect((recorded.outputs?.userLogins as string[]).sort()).to.deep.equal(
            LOGINS.filter((l) => l !== UNKNOWN).sort(),
        );
    });

    it("the next up, once Box knows the login, sends exactly it", async () => {
        box.setDirectory(undefined);
        box.clearRequests();
        const out = await stack.ok(["up", "--yes"]);
        expect(out).to.include(`~  ${TYPE} bulk updated`);
        expect(loginsSent(box.requests)).to.deep.equal([UNKNOWN]);
    });

    it("leaves the token in no state file and nothing the CLI printed", async () => {
        const text =
            JSON.stringify(await stack.exportState()) + stack.filesText() + stack.transcript.join("\n");
        expect(text).to.not.include(TOKEN);
    });
});
