/**
 * examples/policy-pack through the real `pulumi preview --policy-pack`, on the revocations program in
 * both ways a user has the package. The pack (installed from the packed tarball, as an organization
 * would publish it) refuses what the stack's own guardrails refuse, in preview, with no credentials
 * and nothing sent to Box.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { startBoxEmulator, type BoxEmulator } from "../../provider/testing";
import { CliStack, PULUMI_BIN, installedExample, sourceProject, workDir } from "../../harness/cli-stack";
import { pluginBinDir } from "../../harness/native-plugin";

const TYPE = "pulumi-nodejs:dynamic/box:SessionTermination";
const MODES = [
    { mode: "from source", prepare: sourceProject },
    {
        mode: "installed from the packed tarball",
        prepare: (work: string) => installedExample("gitops", work),
    },
];
const REVOCATIONS = [
    "revocations:",
    '  - { name: cleanup, reason: "tidy up", userLogins: ["BreakGlass@Example.com", "j.doe@example.com"] }',
].join("\n");

describe("pulumi preview --policy-pack examples/policy-pack", function () {
    this.timeout(600_000);
    let pack: string;
    let box: BoxEmulator;
    before(async () => {
        pack = await installedExample("policy-pack", workDir("pack"));
        box = await startBoxEmulator();
    });
    after(async () => {
        await box?.close();
    });

    for (const { mode, prepare } of MODES) {
        describe(`on the program ${mode}`, () => {
            let stack: CliStack;
            before(async () => {
                const work = workDir("policy");
                const file = path.join(work, "revocations.yaml");
                fs.writeFileSync(file, REVOCATIONS);
                stack = await CliStack.init(await prepare(work), work);
                await stack.config("revocationsFile", file);
                // An origin but no credentials: preview needs none, and the pack must not need any.
                await stack.config("box:baseUrl", box.baseUrl);
            });
            afterEach(function () {
                if (this.currentTest?.state === "failed") console.log(stack.transcript.join("\n"));
            });

            it("fails preview with the pack's mandatory violations, naming the resource, and sends nothing", async () => {
                const since = box.requests.length;
                const preview = await stack.run(["preview", "--policy-pack", pack]);
                expect(preview.code).to.not.equal(0);
                expect(preview.text).to.match(/❌ box-revocations@v0\.1\.0 \(local: .*policy-pack\)/);
                expect(preview.text).to.include(
                    `- [mandatory]  box-session-termination-protected-principals  (${TYPE}: cleanup)`,
                );
                expect(preview.text).to.include(
                    `userLogins[0] "breakglass@example.com" is protected and may not be cut off`,
                );
                expect(preview.text).to.include(
                    `- [mandatory]  box-session-termination-reason  (${TYPE}: cleanup)`,
                );
                expect(preview.text).to.include("error: preview failed");
                expect(box.requests.slice(since)).to.deep.equal([]);
            });

            it("the stack's own guardrails refuse the same in preview, without the pack, as docs/review.md quotes", async () => {
                await stack.config("box:protectedUserLogins", "breakglass@example.com");
                await stack.config("box:reasonPattern", "^(HR|SEC)-[0-9]+");
                const since = box.requests.length;
                const preview = await stack.run(["preview"]);
                expect(preview.code).to.not.equal(0);
                expect(preview.text).to.include(
                    `error: ${TYPE} resource 'cleanup' has a problem: userLogins[0]: "BreakGlass@Example.com" is protected by box:protectedUserLogins (stack config): no resource of this stack may cut it off`,
                );
                // docs/review.md quotes this failure: it must be what the CLI prints, word for word.
                const review = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "review.md"), "utf8");
                const quoted = /`pulumi preview` prints `([^`]+)`/.exec(review)?.[1].replace(/\s+/g, " ");
                expect(quoted).to.match(/^error: /);
                expect(preview.text.replace(/\s+/g, " ")).to.include(quoted);
                expect(box.requests.slice(since)).to.deep.equal([]);
            });
        });
    }

    describe("on a YAML program of the native provider's box:index:SessionTermination", () => {
        it("fails preview with the same mandatory violations, naming the native type, and sends nothing", async () => {
            const work = workDir("policy-native");
            const dir = path.join(work, "project");
            fs.mkdirSync(dir);
            fs.writeFileSync(
                path.join(dir, "Pulumi.yaml"),
                [
                    "name: box-policy-native",
                    "runtime: yaml",
                    "resources:",
                    "  cleanup:",
                    "    type: box:index:SessionTermination",
                    "    properties:",
                    "      reason: tidy up",
                    '      userLogins: ["BreakGlass@Example.com", "j.doe@example.com"]',
                ].join("\n") + "\n",
            );
            const stack = await CliStack.init(dir, work, {
                PATH: [PULUMI_BIN, await pluginBinDir(), process.env.PATH ?? ""].join(path.delimiter),
            });
            await stack.config("box:baseUrl", box.baseUrl);
            const since = box.requests.length;
            const preview = await stack.run(["preview", "--policy-pack", pack]);
            if (preview.code === 0) console.log(stack.transcript.join("\n"));
            expect(preview.code).to.not.equal(0);
            const native = "box:index:SessionTermination";
            expect(preview.text).to.include(
                `- [mandatory]  box-session-termination-protected-principals  (${native}: cleanup)`,
            );
            expect(preview.text).to.include(
                `userLogins[0] "breakglass@example.com" is protected and may not be cut off`,
            );
            expect(preview.text).to.include(
                `- [mandatory]  box-session-termination-reason  (${native}: cleanup)`,
            );
            expect(box.requests.slice(since)).to.deep.equal([]);

            // As docs/languages.md says: stack config holds the default provider only; an explicit
            // provider has the guardrails given as its own arguments.
            await stack.config("box:protectedUserLogins", "breakglass@example.com");
            const yaml = (providerProps: string[]) =>
                [
                    "name: box-policy-native",
                    "runtime: yaml",
                    "resources:",
                    "  other:",
                    "    type: pulumi:providers:box",
                    "    properties:",
                    `      baseUrl: ${box.baseUrl}`,
                    ...providerProps,
                    "  cleanup:",
                    "    type: box:index:SessionTermination",
                    "    properties:",
                    '      userLogins: ["BreakGlass@Example.com"]',
                    "    options:",
                    "      provider: ${other}",
                ].join("\n") + "\n";
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), yaml([]));
            const unguarded = await stack.run(["preview"]);
            expect(unguarded.code, unguarded.text).to.equal(0);
            expect(unguarded.text).to.include(`+  ${native} cleanup create`);
            fs.writeFileSync(
                path.join(dir, "Pulumi.yaml"),
                yaml(["      protectedUserLogins: breakglass@example.com"]),
            );
            const guarded = await stack.run(["preview"]);
            expect(guarded.code).to.not.equal(0);
            expect(guarded.text).to.include(
                `userLogins[0]: "BreakGlass@Example.com" is protected by box:protectedUserLogins`,
            );
            expect(box.requests.slice(since)).to.deep.equal([]);
        });
    });
});
