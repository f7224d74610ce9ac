/** `npm run demo` is the first thing a user runs: it must tell the whole story and exit 0. */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";

describe("npm run demo", function () {
    this.timeout(120_000);
    it("tells the offboarding story through the provider host and exits 0", () => {
        const root = path.join(__dirname, "..");
        const run = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin.js"), "scripts/demo.ts"], {
            cwd: root,
            encoding: "utf8",
        });
        expect(run.status, run.stderr + run.stdout).to.equal(0);
        const out = run.stdout;
        const section = (n: number): string =>
            out.split(new RegExp(`\\n${n}\\. `))[1]?.split(/\n\d\. |\nThe provider host/)[0] ?? "";
        expect(section(1)).to.include("create  offboard-jdoe").and.include("Box received: nothing");
        expect(section(2)).to.include("Box received 3 request(s)");
        expect(section(3))
            .to.include("+ userLogins: r.okafor@agency.example")
            .and.include('{"user_ids":[],"user_logins":["r.okafor@agency.example"]}');
        expect(section(3)).to.include("Box received 1 request(s)");
        expect(section(4)).to.include("reason:").and.include("Box received: nothing");
        expect(section(6)).to.include("delete  offboard-jdoe").and.include("Box received: nothing");
        expect(out).to.include("The provider host printed no token");
    });
});
