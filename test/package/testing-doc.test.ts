/**
 * docs/testing.md as a user follows it: a project of its own with the package from the packed
 * tarball, the dev dependencies its setup command installs, its .mocharc.json and tsconfig.json, the
 * program and every test it shows, run with `npx mocha`. The tests must pass against the program as
 * shown and fail against broken copies of it: a test that passes whatever the program does (as the
 * old mocks snippet did, reading registrations before they happened) is worse than none.
 */
import { expect } from "chai";
import { spawnSync, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { emptyProjectWith, installPackedPackage } from "../../harness/capture";
import { PULUMI_BIN } from "../../harness/cli-stack";

const ROOT = path.join(__dirname, "..", "..");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const DOC = fs.readFileSync(path.join(ROOT, "docs", "testing.md"), "utf8");

/** The doc's fenced blocks that name their file on the first line (`// test/x.test.ts`). */
function namedBlocks(): Map<string, string> {
    const files = new Map<string, string>();
    for (const m of DOC.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)) {
        const first = /^\/\/ (\S+)/.exec(m[2]);
        if (first) files.set(first[1], m[2].slice(m[2].indexOf("\n") + 1));
    }
    return files;
}

/** The setup's `npm install --save-dev ...` command, continuation lines joined. */
function setupArgs(): string[] {
    const block = [...DOC.matchAll(/^```sh\n([\s\S]*?)^```/gm)]
        .map((m) => m[1])
        .find((b) => b.includes("--save-dev"));
    expect(block, "docs/testing.md's setup command").to.be.a("string");
    const words = block!.replace(/\\\n/g, " ").trim().split(/\s+/);
    expect(words.slice(0, 2)).to.deep.equal(["npm", "install"]);
    return words.slice(1);
}

/** What one `npx mocha` run (the doc's whole spec) made of each test: its file, and whether it passed. */
interface Outcome {
    /** The suite titles of the tests that passed. */
    passed: string[];
    /** The suite titles of the tests that failed, with what they printed. */
    failed: Array<{ suite: string; message: string }>;
    output: string;
}

/** Runs mocha in the project as the doc says (`npx mocha`), with mocha's JSON reporter. */
function mocha(dir: string): Outcome {
    const run = spawnSync(
        process.execPath,
        [path.join(dir, "node_modules", "mocha", "bin", "mocha.js"), "--reporter", "json"],
        {
            cwd: dir,
            encoding: "utf8",
            // The pinned build's pulumi on PATH, as a user has theirs.
            env: {
                ...process.env,
                NODE_OPTIONS: "",
                TS_NODE_PROJECT: "",
                PATH: `${PULUMI_BIN}${path.delimiter}${process.env.PATH}`,
            },
            timeout: 300_000,
        },
    );
    const output = `${run.stdout}${run.stderr}`;
    const start = run.stdout.indexOf('{\n  "stats"');
    expect(start, output).to.be.at.least(0);
    const report = JSON.parse(run.stdout.slice(start)) as {
        passes: Array<{ fullTitle: string; title: string }>;
        failures: Array<{ fullTitle: string; title: string; err: { message?: string } }>;
    };
    const suite = (t: { fullTitle: string; title: string }) => t.fullTitle.slice(0, -t.title.length - 1);
    return {
        passed: report.passes.map(suite),
        failed: report.failures.map((f) => ({ suite: suite(f), message: f.err.message ?? "" })),
        output,
    };
}

/** The suite each of the doc's test files declares. */
const SUITES = [
    "offboard, under mocks",
    "offboard, against a local Box",
    "offboard, when Box does not know a leaver",
];

describe("docs/testing.md, followed by a new user", function () {
    this.timeout(600_000);
    const files = namedBlocks();
    const program = files.get("program.ts")!;
    let dir: string;

    before(async function () {
        this.timeout(600_000);
        const { tarball } = await installPackedPackage();
        const pulumiVersion = (require("@pulumi/pulumi/package.json") as { version: string }).version;
        dir = emptyProjectWith(fs.mkdtempSync(path.join(os.tmpdir(), "box-testing-doc-")), [
            tarball,
            `@pulumi/pulumi@${pulumiVersion}`,
        ]);
        execFileSync(
            NPM,
            [...setupArgs(), "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
            {
                cwd: dir,
                stdio: "ignore",
            },
        );
        for (const [name, text] of files) {
            fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
            fs.writeFileSync(path.join(dir, name), text);
        }
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("shows the program, a setup and three tests, each naming its file", () => {
        expect([...files.keys()].sort()).to.deep.equal([
            ".mocharc.json",
            "program.ts",
            "test/declares.test.ts",
            "test/faults.test.ts",
            "test/sends.test.ts",
            "tsconfig.json",
        ]);
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
            devDependencies: Record<string, string>;
        };
        expect(pkg.devDependencies.typescript).to.match(/^\^5\.9/);
    });

    it("every test passes against the program as shown", () => {
        fs.writeFileSync(path.join(dir, "program.ts"), program);
        const run = mocha(dir);
        expect(run.failed, run.output).to.deep.equal([]);
        expect([...run.passed].sort(), run.output).to.deep.equal([...SUITES].sort());
    });

    it("every test fails against a program that drops a leaver", () => {
        const broken = program.replace("userLogins: logins,", "userLogins: logins.slice(0, -1),");
        expect(broken).to.not.equal(program);
        fs.writeFileSync(path.join(dir, "program.ts"), broken);
        const run = mocha(dir);
        expect(run.passed, run.output).to.deep.equal([]);
        expect(run.failed.map((f) => f.suite).sort(), run.output).to.deep.equal([...SUITES].sort());
    });

    it("the test kit's test fails against a program that replaces the resource on every change", () => {
        const broken = program.replace('reason: "HR-4412"', 'reason: "HR-4412", triggers: [logins.join()]');
        expect(broken).to.not.equal(program);
        fs.writeFileSync(path.join(dir, "program.ts"), broken);
        const run = mocha(dir);
        const failed = run.failed.find((f) => f.suite === "offboard, against a local Box");
        expect(failed?.message, run.output).to.include("replace");
    });
});
