/**
 * The commands an example's README gives, run as written through the real `pulumi` CLI, with the
 * package installed from the packed tarball: a user copies them, so they must work.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { startBoxEmulator, type BoxEmulator } from "../../provider/testing";
import { CliStack, installedExample, workDir } from "../../harness/cli-stack";

const ROOT = path.join(__dirname, "..", "..");
const TYPE = "pulumi-nodejs:dynamic/box:SessionTermination";

/** Splits a README command line as a POSIX shell would for these simple quotes; drops a `# comment`. */
function shellWords(line: string): string[] {
    const words: string[] = [];
    const re = /'([^']*)'|"([^"]*)"|(#.*$)|(\S+)/g;
    for (let m = re.exec(line); m; m = re.exec(line)) {
        if (m[3] !== undefined) break;
        words.push(m[1] ?? m[2] ?? m[4]);
    }
    return words;
}

/** The `pulumi config set --path` lines of a README's first shell block, as argument lists. */
function documentedConfig(example: string): string[][] {
    const readme = fs.readFileSync(path.join(ROOT, "examples", example, "README.md"), "utf8");
    const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    return block
        .split("\n")
        .filter((l) => l.startsWith("pulumi config set --path"))
        .map((l) => shellWords(l).slice(1));
}

describe("examples/offboarding: the README's commands, as written, through the pulumi CLI", function () {
    this.timeout(600_000);
    let box: BoxEmulator;
    before(async () => {
        box = await startBoxEmulator();
    });
    after(async () => {
        await box?.close();
    });

    it("its `config set --path` lines give a stack that previews the leaver, sending nothing", async () => {
        const commands = documentedConfig("offboarding");
        expect(commands.map((c) => c[3])).to.deep.equal([
            "leavers[0].login",
            "leavers[0].userId",
            "leavers[0].reason",
        ]);
        const work = workDir("readme");
        const stack = await CliStack.init(await installedExample("offboarding", work), work);
        for (const args of commands) await stack.ok(args);
        await stack.config("box:baseUrl", box.baseUrl);
        const out = await stack.run(["preview", "--diff"]);
        if (out.code !== 0) console.log(stack.transcript.join("\n"));
        expect(out.code).to.equal(0);
        expect(out.text).to.include(`+ ${TYPE}: (create)`);
        expect(out.text).to.include(`        userIds   : [\n            [0]: "22466421"\n        ]`);
        expect(out.text).to.include(`        userLogins: [\n            [0]: "jdoe@example.com"\n        ]`);
        expect(out.text).to.include(`        reason    : "HR-4412: last day 2026-11-30"`);
        expect(box.requests).to.deep.equal([]);
    });
});
