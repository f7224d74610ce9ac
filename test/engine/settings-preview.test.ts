/**
 * Settings problems that need no credential to see fail in `pulumi preview`, through the real CLI, so
 * that a pull request's preview shows them instead of the `up` after the merge (issue 23 item 15):
 * plain http to a host that is not this machine, an API origin from another source than the
 * credentials, and a setting out of range. Nothing is sent anywhere.
 */
import { expect } from "chai";
import { CliStack, installedExample, workDir } from "../../harness/cli-stack";
import * as fs from "fs";
import * as path from "path";

const TYPE = "pulumi-nodejs:dynamic/box:SessionTermination";
const ROOT = path.join(__dirname, "..", "..");

describe("pulumi preview refuses settings problems it can see without credentials", function () {
    this.timeout(600_000);
    let stack: CliStack;
    before(async () => {
        const work = workDir("settings");
        const file = path.join(work, "revocations.yaml");
        fs.copyFileSync(path.join(ROOT, "examples", "gitops", "revocations.yaml"), file);
        stack = await CliStack.init(await installedExample("gitops", work), work);
        await stack.config("revocationsFile", file);
    });
    afterEach(function () {
        if (this.currentTest?.state === "failed") console.log(stack.transcript.join("\n"));
    });

    it("plain http to another host fails preview, naming the setting and asking for https", async () => {
        await stack.config("box:baseUrl", "http://box.example.com");
        const preview = await stack.run(["preview"]);
        expect(preview.code).to.not.equal(0);
        // Resources are checked side by side: whichever the engine checks first is the one it names.
        expect(preview.text).to.match(
            new RegExp(
                `error: ${TYPE.replace(/[/.]/g, "\\$&")} resource '[a-z0-9-]+' has a problem: box:baseUrl / BOX_BASE_URL is "http://box\\.example\\.com": plain http is allowed only for loopback`,
            ),
        );
    });

    it("credentials in stack config with the origin in the environment fails preview, naming both", async () => {
        await stack.ok(["config", "rm", "box:baseUrl"]);
        await stack.config("box:accessToken", "preview-canary-token-31c7", true);
        const preview = await stack.run(["preview"], {
            env: { BOX_BASE_URL: "https://gateway.example.com" },
        });
        expect(preview.code).to.not.equal(0);
        expect(preview.text).to.include(
            `has a problem: BOX_BASE_URL (environment) is set to "https://gateway.example.com", but the credentials come from stack config`,
        );
        expect(preview.text).to.not.include("preview-canary-token-31c7");
    });

    it("a retry count out of range fails preview, naming the setting", async () => {
        await stack.config("box:maxRetries", "99");
        const preview = await stack.run(["preview"]);
        expect(preview.code).to.not.equal(0);
        expect(preview.text).to.include(
            `has a problem: box:maxRetries / BOX_MAX_RETRIES must be a whole number from 0 to 20, got "99"`,
        );
        await stack.ok(["config", "rm", "box:maxRetries"]);
    });
});
