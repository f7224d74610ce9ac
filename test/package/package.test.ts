/**
 * The npm package as users get it: `npm pack` ships compiled JavaScript, declarations, README and
 * LICENSE only; installed into an empty project (harness/capture.ts, shared with every host-level
 * suite), a registered resource serializes its provider as a small `require` of the package.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
    installPackedPackage,
    providerTextIn,
    vendoringApp,
    workspaceApp,
    type InstalledPackage,
} from "../../harness/capture";

const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
(async () => {
    const regs = [];
    await pulumi.runtime.setMocks({
        newResource: (a) => { regs.push({ type: a.type, inputs: a.inputs }); return { id: a.name + "-id", state: a.inputs }; },
        call: (a) => a.inputs,
    }, "consumer", "dev", false);
    const { SessionTermination } = require("pulumi-box-session-termination");
    new SessionTermination("from-npm", { userIds: ["1", "2", "3", "4", "5"] });
    await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
    process.stdout.write(JSON.stringify(regs));
})();
`;

describe("the packed npm package, installed into an empty project", function () {
    this.timeout(300_000);
    let pkg: InstalledPackage;
    before(async () => {
        pkg = await installPackedPackage();
    });

    it("every relative link in the README and the shipped docs resolves to a file the tarball ships", () => {
        const shipped = new Set(pkg.files);
        const isShipped = (target: string) =>
            shipped.has(target) || pkg.files.some((f) => f.startsWith(`${target.replace(/\/$/, "")}/`));
        const broken: string[] = [];
        for (const doc of pkg.files.filter((f) => f.endsWith(".md") && !f.includes("examples/"))) {
            const text = fs.readFileSync(
                path.join(pkg.project, "node_modules", "pulumi-box-session-termination", doc),
                "utf8",
            );
            for (const [, link] of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
                if (/^[a-z]+:/.test(link)) continue;
                const target = path.posix.normalize(path.posix.join(path.posix.dirname(doc), link));
                if (!isShipped(target)) broken.push(`${doc}: ${link}`);
            }
        }
        expect(broken).to.deep.equal([]);
    });

    it("ships compiled JavaScript, declarations, docs, examples, README and LICENSE only", () => {
        const unexpected = pkg.files.filter(
            (f) =>
                !/^dist\/.+\.(js|d\.ts)$/.test(f) &&
                !/^docs\/[\w-]+\.md$/.test(f) &&
                !/^examples\/[\w-]+\/([\w-]+\.(ts|md|yaml|json)|\.github\/workflows\/[\w-]+\.yml)$/.test(f) &&
                ![
                    "README.md",
                    "LICENSE",
                    "package.json",
                    "schema/revocations.schema.json",
                    "schema/box.schema.json",
                ].includes(f),
        );
        expect(unexpected).to.deep.equal([]);
        expect(pkg.files).to.include.members([
            "dist/index.js",
            "dist/index.d.ts",
            "dist/dynamic/provider.js",
            "dist/testing/index.js",
            "dist/testing/cli.js",
            "dist/revocations/index.js",
            "dist/policy/index.js",
            "dist/native/main.js",
            "schema/revocations.schema.json",
            "schema/box.schema.json",
            "README.md",
            "LICENSE",
        ]);
    });

    it("a program there captures the provider by require of the package, not a copy of it", () => {
        fs.writeFileSync(path.join(pkg.project, "index.js"), PROGRAM);
        const regs = JSON.parse(
            execFileSync(process.execPath, ["index.js"], { cwd: pkg.project, encoding: "utf8" }),
        ) as Array<{ type: string; inputs: Record<string, unknown> }>;
        expect(regs[0].type).to.equal("pulumi-nodejs:dynamic/box:SessionTermination");
        const text = String(regs[0].inputs.__provider);
        expect(text).to.include('require("pulumi-box-session-termination/provider")');
        expect(text.length).to.be.below(2000);
    });
});

describe("a monorepo workspace package (symlinked into node_modules, real path outside it)", function () {
    this.timeout(300_000);
    let app: string;
    before(async () => {
        app = await workspaceApp();
        fs.writeFileSync(path.join(app, "index.js"), PROGRAM);
    });

    const providerOf = (nodeArgs: string[]) => {
        const regs = JSON.parse(
            execFileSync(process.execPath, [...nodeArgs, "index.js"], { cwd: app, encoding: "utf8" }),
        ) as Array<{ inputs: Record<string, unknown> }>;
        return String(regs[0].inputs.__provider);
    };

    it("is copied by value, as Pulumi copies any package outside node_modules; --preserve-symlinks makes it a require", () => {
        // No TypeScript in this project: Pulumi's serializer parses the copy with its own TypeScript 3.8.
        expect(() => require.resolve("typescript", { paths: [app] })).to.throw();
        const copied = providerOf([]);
        expect(copied).to.include("terminate_sessions");
        expect(copied).to.not.include("pulumi-box-session-termination/provider");
        const preserved = providerOf(["--preserve-symlinks"]);
        expect(preserved).to.include('require("pulumi-box-session-termination/provider")');
        expect(preserved.length).to.be.below(2_000);
    });

    it("a vendored copy beside it is copied by value, never required by a name that resolves to another copy", async () => {
        const vendoring = await vendoringApp();
        const text = providerTextIn(vendoring, [], "./vendor/box");
        expect(text).to.not.include("pulumi-box-session-termination/provider");
        expect(text).to.include("terminatePrincipals");
    });
});
