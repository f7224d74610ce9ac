/**
 * docs/languages.md's example programs, each as written, through the pinned CLI with the native
 * plugin installed from the packed tarball: up against the emulator (what Box receives, the exported
 * message, the reason kept secret) and destroy (nothing sent).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { CliStack, PULUMI_BIN, workDir } from "../../harness/cli-stack";
import { pluginBinDir } from "../../harness/native-plugin";
import { LANGUAGES } from "../../harness/native-programs";
import { startBoxEmulator } from "../../provider/testing";

const TYPE = "box:index:SessionTermination";
const TOKEN = "native-docs-canary-token-0c3e";
const DOC = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "languages.md"), "utf8");

for (const language of LANGUAGES) {
    describe(`docs/languages.md's ${language.name} example, as written`, function () {
        this.timeout(600_000);

        it("runs through up and destroy against the emulator, its reason kept secret", async () => {
            const pattern = new RegExp(
                `<!-- example: ${language.name} -->\\s*\`\`\`${language.name}\\n([\\s\\S]*?)\`\`\``,
            );
            const example = pattern.exec(DOC)?.[1];
            expect(example, `the ${language.name} example`).to.be.a("string");
            const box = await startBoxEmulator({ accessTokens: [TOKEN] });
            try {
                const work = workDir(`native-doc-${language.name}`);
                const dir = path.join(work, "project");
                fs.mkdirSync(dir);
                await language.prepare(dir, "offboarding");
                fs.writeFileSync(language.sources(dir)[0], example!);
                const stack = await CliStack.init(dir, work, {
                    PATH: [PULUMI_BIN, await pluginBinDir(), process.env.PATH ?? ""].join(path.delimiter),
                    ...language.env(),
                });
                await stack.config("box:baseUrl", box.baseUrl);
                await stack.config("box:accessToken", TOKEN, true);
                const up = await stack.ok(["up", "--yes"]);
                expect(up).to.include(`+  ${TYPE} offboard-jdoe created`);
                expect(up).to.include(
                    'message: "Request is successful, please check the admin events for the status of the job"',
                );
                expect(box.requests.map((r) => r.body)).to.deep.equal([
                    { user_ids: ["22466421"], user_logins: ["jdoe@example.com"] },
                ]);
                const state = JSON.stringify(await stack.exportState());
                expect(state).to.not.include("HR-4412");
                expect(state).to.not.include(TOKEN);
                const down = await stack.ok(["destroy", "--yes"]);
                expect(down).to.include(`-  ${TYPE} offboard-jdoe deleted`);
                expect(box.requests).to.have.length(1);
            } finally {
                await box.close();
            }
        });
    });
}
