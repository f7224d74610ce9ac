/** The README is the user's reference: it must document every setting and the commands CI runs. */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { SETTINGS } from "../provider/settings";

const ROOT = path.join(__dirname, "..");
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
