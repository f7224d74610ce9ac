/**
 * Moving a revocation from the dynamic resource to the native type without cutting anyone off again,
 * the way docs/languages.md says, through the pinned CLI: `pulumi state delete`, then the `import`
 * option with the principals as its ID, then the program without it.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { CliStack, installedExample, PULUMI_BIN, workDir } from "../../harness/cli-stack";
import { pluginBinDir } from "../../harness/native-plugin";
import { startBoxEmulator, type BoxEmulator } from "../../provider/testing";

const TOKEN = "native-migration-canary-61c0";

/** What a generated SDK's class is: the native type by its token. */
const NATIVE_CLASS = [
    'import * as pulumi from "@pulumi/pulumi";',
    "class NativeTermination extends pulumi.CustomResource {",
    "    constructor(name: string, args: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {",
    '        super("box:index:SessionTermination", name, args, opts);',
    "    }",
    "}",
];

describe("native provider: moving a stack from the dynamic resource, sending nothing", function () {
    this.timeout(600_000);
    let box: BoxEmulator;
    let stack: CliStack;
    const program = (code: string) => fs.writeFileSync(path.join(stack.dir, "index.ts"), code);

    before(async () => {
        box = await startBoxEmulator({ accessTokens: [TOKEN] });
        const work = workDir("native-migration");
        const dir = await installedExample("offboarding", work);
        // The example's own config (its list of leavers) is not what this test is about.
        fs.writeFileSync(
            path.join(dir, "Pulumi.yaml"),
            "name: box-migration\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
        );
        stack = await CliStack.init(dir, work, {
            PATH: [PULUMI_BIN, await pluginBinDir(), process.env.PATH ?? ""].join(path.delimiter),
        });
        await stack.config("box:baseUrl", box.baseUrl);
        await stack.config("box:accessToken", TOKEN, true);
    });
    after(async () => {
        await box?.close();
    });
    afterEach(function () {
        if (this.currentTest?.state === "failed") console.log(stack?.transcript.join("\n"));
    });

    it("the dynamic resource terminates once; state delete, import and the next ups send nothing", async () => {
        program(
            [
                'import { SessionTermination } from "pulumi-box-session-termination";',
                'new SessionTermination("offboard", { userLogins: ["jdoe@example.com"], reason: "HR-1" });',
            ].join("\n"),
        );
        await stack.ok(["up", "--yes"]);
        expect(box.requests).to.have.length(1);
        const [dynamic] = Object.values(await stack.terminations());
        await stack.ok(["state", "delete", dynamic.urn, "--yes"]);

        program(
            [
                ...NATIVE_CLASS,
                'const principals = { userLogins: ["jdoe@example.com"] };',
                'new NativeTermination("offboard", principals, {',
                "    import: JSON.stringify(principals),",
                "});",
            ].join("\n"),
        );
        const imported = await stack.ok(["up", "--yes"]);
        expect(imported).to.include("=  box:index:SessionTermination offboard imported");
        program(
            [
                ...NATIVE_CLASS,
                'new NativeTermination("offboard", {',
                '    userLogins: ["jdoe@example.com"],',
                '    reason: "HR-1",',
                "});",
            ].join("\n"),
        );
        const updated = await stack.ok(["up", "--yes"]);
        expect(updated).to.include("~  box:index:SessionTermination offboard updated");
        const native = (await stack.exportState()).deployment.resources!.find(
            (r) => r.type === "box:index:SessionTermination",
        )!;
        expect(native.outputs).to.deep.include({ userLogins: ["jdoe@example.com"], reason: "HR-1" });
        expect(box.requests).to.have.length(1);
        await stack.ok(["destroy", "--yes"]);
        expect(box.requests).to.have.length(1);
    });
});
