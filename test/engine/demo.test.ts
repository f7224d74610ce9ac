/**
 * `npm run demo` is the first thing a user runs: it must tell the whole story through the real
 * `pulumi` CLI and exit 0. The assertions quote what the CLI printed.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";

const TYPE = "pulumi-nodejs:dynamic/box:SessionTermination";

describe("npm run demo", function () {
    this.timeout(600_000);
    it("tells the offboarding story through the pulumi CLI and exits 0", () => {
        const root = path.join(__dirname, "..", "..");
        const run = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin.js"), "scripts/demo.ts"], {
            cwd: root,
            encoding: "utf8",
        });
        expect(run.status, run.stderr + run.stdout).to.equal(0);
        const out = run.stdout;
        const section = (n: number): string =>
            out.split(new RegExp(`\\n${n}\\. `))[1]?.split(/\n\d\. |\nThe CLI printed/)[0] ?? "";
        expect(section(1)).to.include(`  |     + ${TYPE}: (create)`);
        expect(section(1))
            .to.include(`  |             [0]: "jdoe@example.com"`)
            .and.include("Box received: nothing");
        expect(section(2))
            .to.include(`  |  +  ${TYPE} offboard-jdoe created`)
            .and.include("Box received 3 request(s)");
        expect(section(3))
            .to.include(`  |           + [2]: "r.okafor@agency.example"`)
            .and.include('{"user_ids":[],"user_logins":["r.okafor@agency.example"]}')
            .and.include("Box received 1 request(s)");
        expect(section(4)).to.include("  |       ~ reason    : ").and.include("Box received: nothing");
        expect(section(5)).to.include("Box received: nothing");
        expect(section(6))
            .to.include(`  |  -  ${TYPE} offboard-jdoe deleted`)
            .and.include("Box received: nothing");
        expect(out).to.include("The CLI printed no token, and no state file holds it.");
    });
});
