/**
 * The native provider's pure parts: secrets at the gRPC boundary (values.ts), the detailed diff
 * principal by principal (core/diff.ts), and the schema kept equal to what scripts/gen-schema.ts
 * makes of the TSDoc and the settings table.
 */
import { expect } from "chai";
import * as fs from "fs";
import { detailedChanges } from "../../provider/core/diff";
import { SETTINGS } from "../../provider/core/settings";
import { SCHEMA_FILE } from "../../provider/native/schema";
import { holdsSecret, isSecret, plain, rewrap, secret, unwrap } from "../../provider/native/values";
import { buildSchema } from "../../scripts/gen-schema";

describe("native provider: secrets at the boundary", () => {
    it("unwraps secrets at any depth and remembers which properties held one", () => {
        const { props, secretKeys } = unwrap({
            reason: secret("HR-1"),
            userLogins: ["a@x.io", secret("b@x.io")],
            userIds: ["1"],
        });
        expect(props).to.deep.equal({ reason: "HR-1", userLogins: ["a@x.io", "b@x.io"], userIds: ["1"] });
        expect(secretKeys).to.deep.equal(["reason", "userLogins"]);
        expect(holdsSecret(props)).to.equal(false);
    });

    it("wraps a secret property whole again, once, and leaves the rest plain", () => {
        const out = rewrap({ reason: "HR-1", userLogins: ["a@x.io", "b@x.io"], message: "ok" }, [
            "reason",
            "userLogins",
            "triggers",
        ]);
        expect(isSecret(out.reason) && out.reason.value).to.equal("HR-1");
        expect(isSecret(out.userLogins) && out.userLogins.value).to.deep.equal(["a@x.io", "b@x.io"]);
        expect(out.message).to.equal("ok");
        expect("triggers" in out).to.equal(false);
        expect(rewrap(out, ["reason"]).reason).to.deep.equal(out.reason);
        expect(plain(out)).to.deep.equal({ reason: "HR-1", userLogins: ["a@x.io", "b@x.io"], message: "ok" });
    });
});

describe("native provider: the detailed diff, principal by principal", () => {
    const olds = { userIds: ["1", "3"], userLogins: ["b@x.io"], groupIds: [], reason: "SEC-1" };

    it("names each added principal at its index in the new list and each removed one in the old", () => {
        const news = { userIds: ["1"], userLogins: ["a@x.io", "b@x.io"], groupIds: ["9"], reason: "SEC-1" };
        expect(detailedChanges(olds, news)).to.deep.equal([
            { path: "userIds[1]", kind: "delete", replaces: false },
            { path: "userLogins[0]", kind: "add", replaces: false },
            { path: "groupIds[0]", kind: "add", replaces: false },
        ]);
    });

    it("an addition and a removal at one index are one change there (a path is one key of the engine's map)", () => {
        const news = { ...olds, userIds: ["1", "2"] };
        expect(detailedChanges(olds, news)).to.deep.equal([
            { path: "userIds[1]", kind: "update", replaces: false },
        ]);
    });

    it("reports reason and triggers whole; triggers replace", () => {
        const news = { ...olds, reason: "SEC-2", triggers: ["incident-7"] };
        expect(detailedChanges(olds, news)).to.deep.equal([
            { path: "reason", kind: "update", replaces: false },
            { path: "triggers", kind: "update", replaces: true },
        ]);
        expect(detailedChanges(olds, olds)).to.deep.equal([]);
    });
});

describe("native provider: schema/box.schema.json", () => {
    const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as {
        config: { variables: Record<string, { secret?: boolean; description: string }> };
        resources: Record<string, { inputProperties: Record<string, { description: string }> }>;
    };

    it("is what scripts/gen-schema.ts makes of the TSDoc and the settings table (run it after changing either)", () => {
        expect(schema).to.deep.equal(buildSchema());
    });

    it("declares every setting as a config variable, each credential secret", () => {
        const variables = schema.config.variables;
        expect(Object.keys(variables)).to.deep.equal(SETTINGS.map((s) => s.name));
        for (const s of SETTINGS) {
            expect(Boolean(variables[s.name].secret), s.name).to.equal(s.secret);
            expect(variables[s.name].description).to.include(s.envVar);
        }
    });

    it("documents every input of box:index:SessionTermination", () => {
        const inputs = schema.resources["box:index:SessionTermination"].inputProperties;
        expect(Object.keys(inputs)).to.deep.equal([
            "userIds",
            "userLogins",
            "groupIds",
            "reason",
            "triggers",
        ]);
        for (const [name, p] of Object.entries(inputs)) expect(p.description.length, name).to.be.above(20);
    });
});
