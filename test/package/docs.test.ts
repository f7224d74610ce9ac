/** The README is the user's reference: it must document every setting and the commands CI runs. */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { SETTINGS } from "../../provider/core/settings";
import { parseCliOptions } from "../../provider/testing/cli-options";

const ROOT = path.join(__dirname, "..", "..");
const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
/** Settings about bounds are documented in docs/limits.md, which the README links to. */
const limits = fs.readFileSync(path.join(ROOT, "docs", "limits.md"), "utf8");

describe("README", () => {
    it("documents every setting with its config key, env var, default and secrecy", () => {
        for (const s of SETTINGS) {
            const row = `${readme}\n${limits}`
                .split("\n")
                .find((line) => line.startsWith(`| \`${s.configKey}\` |`));
            expect(row, s.configKey).to.be.a("string");
            expect(row).to.include(`\`${s.envVar}\``);
            if (s.defaultValue) expect(row).to.include(`\`${s.defaultValue}\``);
            expect(row).to.include(s.secret ? "| yes |" : "| no |");
        }
    });

    it("gives the demo and test commands, and .ci/run runs exactly that test command after npm ci", () => {
        expect(readme).to.include("npm ci && npm run demo").and.include("npm ci && npm test");
        const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
        const commands = ci
            .split("\n")
            .filter(
                (l) => l.trim() && !l.trim().startsWith("#") && !l.startsWith("set ") && !l.startsWith("cd "),
            );
        expect(commands).to.deep.equal(["npm ci --no-audit --no-fund", "npm test"]);
    });
});

/** Every fenced block in the README and docs/, with where it stands. */
function snippets(): Array<{ file: string; index: number; lang: string; code: string }> {
    const files = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).map((f) => path.join("docs", f))];
    const out: Array<{ file: string; index: number; lang: string; code: string }> = [];
    for (const file of files.filter((f) => f.endsWith(".md"))) {
        const text = fs.readFileSync(path.join(ROOT, file), "utf8");
        let index = 0;
        for (const m of text.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm))
            out.push({ file, index: index++, lang: m[1], code: m[2] });
    }
    return out;
}

describe("snippets in the README and docs/", function () {
    this.timeout(120_000);

    it("every TypeScript snippet type-checks against the package as users import it", () => {
        const dir = path.join(ROOT, ".snippets");
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir);
        // docs/testing.md's blocks form a project of their own, run for real by testing-doc.test.ts.
        const ts = snippets().filter((s) => s.lang === "ts" && s.file !== path.join("docs", "testing.md"));
        expect(ts.length).to.be.at.least(1);
        for (const s of ts) {
            // A snippet with top-level await is the body of an async function; imports stay on top.
            const lines = s.code.split("\n");
            const imports = lines.filter((l) => l.startsWith("import "));
            const body = lines.filter((l) => !l.startsWith("import "));
            const wrapped = /^\s*(const|let)?\s*.*\bawait\b/m.test(
                body.filter((l) => !/^\s/.test(l)).join("\n"),
            )
                ? [...imports, "export async function snippet(): Promise<void> {", ...body, "}"]
                : [...lines, "export {};"];
            const name = `${s.file.replace(/[^a-z0-9]+/gi, "-")}-${s.index}.ts`;
            fs.writeFileSync(path.join(dir, name), `// ${s.file}, block ${s.index}\n${wrapped.join("\n")}\n`);
        }
        fs.writeFileSync(
            path.join(dir, "tsconfig.json"),
            JSON.stringify({
                extends: "../tsconfig.json",
                compilerOptions: { noEmit: true, noUnusedLocals: false },
                include: ["*.ts"],
            }),
        );
        try {
            execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", dir], {
                encoding: "utf8",
            });
        } catch (err) {
            expect.fail(`a snippet does not type-check:\n${String((err as { stdout?: string }).stdout)}`);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("every shell snippet names real npm scripts, real settings and valid emulator options", () => {
        const scripts = Object.keys(
            (
                JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
                    scripts: Record<string, string>;
                }
            ).scripts,
        );
        const keys = SETTINGS.map((s) => s.configKey);
        const sh = snippets().filter((s) => s.lang === "sh");
        expect(sh.length).to.be.at.least(3);
        for (const s of sh) {
            for (const line of s.code.split("\n")) {
                const where = `${s.file} block ${s.index}: ${line}`;
                for (const m of line.matchAll(/npm run ([\w:-]+)/g)) expect(scripts, where).to.include(m[1]);
                const set = /pulumi config set (?:--secret )?(box:\w+)/.exec(line);
                if (set) expect(keys, where).to.include(set[1]);
                const emu = /pulumi-box-emulator((?: [^#]*)?)/.exec(line);
                if (emu)
                    expect(
                        () => parseCliOptions(emu[1].trim().split(/\s+/).filter(Boolean)),
                        where,
                    ).to.not.throw();
            }
        }
    });
});
