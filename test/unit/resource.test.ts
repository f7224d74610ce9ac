/**
 * The resource as a Pulumi program registers it, under `pulumi.runtime.setMocks`: type token, inputs,
 * and a serialized `__provider` that carries no credential however many places one is set.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { SessionTermination, type SessionTerminationArgs } from "../../provider";
import { VERSION } from "../../provider/core/version";
import { captureRegistrations } from "../../harness/registrations";
import { configure, expectNoCanary, provider } from "../helpers";

const CANARY = "tok_CANARY_mocks_5b2e91";

describe("SessionTermination under mocks", () => {
    it("registers with the dynamic type token and the given inputs, outputs seeded for the provider to fill", async () => {
        const regs = await captureRegistrations(() => {
            new SessionTermination("offboard-jdoe", {
                userIds: ["22466421"],
                userLogins: ["jdoe@example.com"],
                reason: "HR-4412: last day 2026-11-30",
                triggers: [1],
            });
        });
        expect(regs).to.have.length(1);
        expect(regs[0].type).to.equal("pulumi-nodejs:dynamic/box:SessionTermination");
        expect(regs[0].name).to.equal("offboard-jdoe");
        const { __provider, ...rest } = regs[0].inputs;
        expect(rest).to.deep.equal({
            userIds: ["22466421"],
            userLogins: ["jdoe@example.com"],
            reason: "HR-4412: last day 2026-11-30",
            triggers: [1],
        });
        expect(__provider)
            .to.be.a("string")
            .and.match(/exports\.handler/);
    });

    it("passes a misspelled argument on, so check names it instead of it vanishing (plain JavaScript)", async () => {
        const [reg] = await captureRegistrations(() => {
            new SessionTermination("typo", {
                userIds: ["5"],
                userID: ["11111111"],
            } as unknown as SessionTerminationArgs);
        });
        expect(reg.inputs.userID).to.deep.equal(["11111111"]);
        // Through the dynamic provider's check, which leaves the host's own `__provider` alone.
        const { failures } = await provider.check!({}, reg.inputs);
        expect(failures?.map((f) => f.reason)).to.deep.equal([
            "userID: is not a SessionTermination property (expected one of userIds, userLogins, groupIds, reason, triggers)",
        ]);
    });

    it("resolves Output inputs before registering", async () => {
        const regs = await captureRegistrations(() => {
            new SessionTermination("from-outputs", {
                groupIds: pulumi.output(["9"]),
                userLogins: [pulumi.output("a@x.io")],
            });
        });
        expect(regs[0].inputs).to.deep.include({ groupIds: ["9"], userLogins: ["a@x.io"] });
    });

    it("exposes every input and output as a Pulumi Output resolved from state", async () => {
        let res: SessionTermination | undefined;
        await captureRegistrations(() => {
            res = new SessionTermination("typed", { userIds: ["1"], reason: "r" });
        });
        const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
        expect(await value(res!.userIds)).to.deep.equal(["1"]);
        expect(await value(res!.reason)).to.equal("r");
        for (const key of ["userLogins", "groupIds", "triggers", "message", "terminatedAt"] as const) {
            expect(pulumi.Output.isInstance(res![key]), key).to.equal(true);
        }
    });

    it("isInstance knows a SessionTermination by the type Pulumi records, not by instanceof", async () => {
        let res: SessionTermination | undefined;
        let other: pulumi.CustomResource | undefined;
        await captureRegistrations(() => {
            res = new SessionTermination("known", { userIds: ["1"] });
            other = new (class extends pulumi.CustomResource {})("box:index:Other", "other", {});
        });
        expect(SessionTermination.isInstance(res)).to.equal(true);
        // One made by another copy of this package: not `instanceof`, still a SessionTermination.
        const fromCopy = Object.create(null) as Record<string, unknown>;
        fromCopy.__pulumiType = "pulumi-nodejs:dynamic/box:SessionTermination";
        expect([res instanceof SessionTermination, SessionTermination.isInstance(fromCopy)]).to.deep.equal([
            true,
            true,
        ]);
        for (const not of [other, undefined, null, {}, "pulumi-nodejs:dynamic/box:SessionTermination"])
            expect(SessionTermination.isInstance(not), String(not)).to.equal(false);
    });

    it("serializes no token into __provider, though it is set in stack config, in the env, and configured in this process", async () => {
        process.env.BOX_ACCESS_TOKEN = CANARY;
        process.env.BOX_CLIENT_SECRET = `${CANARY}_secret`;
        // A provider configured in this very process (as in a test) must still serialize clean.
        await configure({ "box:accessToken": CANARY, "box:clientSecret": `${CANARY}_secret` });
        const regs = await captureRegistrations(
            () => {
                new SessionTermination("leak-check", { userIds: ["1"] });
            },
            { config: { "box:accessToken": CANARY }, secretKeys: ["box:accessToken"] },
        );
        // Copied by value from source: the provider's code is in the text the search reads.
        expect(String(regs[0].inputs.__provider)).to.include("terminate_sessions");
        expectNoCanary([CANARY], regs[0].inputs.__provider, regs[0].inputs);
    });

    it("the provider serializes without secrets (containsSecrets === false), even after configure ran here", async () => {
        await configure({ "box:accessToken": CANARY, "box:jwtConfig": `{"k":"${CANARY}"}` });
        const closure = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
        expect(closure.containsSecrets).to.equal(false);
        expectNoCanary([CANARY], closure.text);
    });

    it("sends the package.json version in its User-Agent", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as {
            version: string;
        };
        expect(VERSION).to.equal(pkg.version);
    });
});
