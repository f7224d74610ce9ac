/**
 * The policy pack's rules, through their own validation functions (the Pulumi CLI that runs packs is
 * not available here): the policies exported from `pulumi-box-session-termination/policy`, and the
 * example pack built from them.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { expect } from "chai";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { SessionTermination } from "../../provider";
import provider = require("../../provider/dynamic/provider");
import { captureRegistrations } from "../../harness/registrations";
import {
    isSessionTermination,
    maxPrincipalsPolicy,
    protectedPrincipalsPolicy,
    reasonPolicy,
    SESSION_TERMINATION_TYPE,
} from "../../provider/policy";
import { UNKNOWN } from "../../provider/core/validation";
import { aliasPackageToSources } from "../../harness/package-alias";

/** Runs a policy's validations on one resource, as the policy engine does; returns the violations. */
async function violations(
    policy: ResourceValidationPolicy,
    props: Record<string, unknown>,
    options: { type?: string; config?: object } = {},
): Promise<string[]> {
    const found: string[] = [];
    const args = {
        type: options.type ?? SESSION_TERMINATION_TYPE,
        props,
        urn: "urn:pulumi:prod::p::t::r",
        name: "r",
        getConfig: () => options.config ?? {},
    } as unknown as ResourceValidationArgs;
    const validations = Array.isArray(policy.validateResource)
        ? policy.validateResource
        : [policy.validateResource!];
    for (const validate of validations) await validate(args, (message: string) => found.push(message));
    return found;
}

describe("policy pack: the guardrails as Pulumi policies", () => {
    it("reason: required, and matching the pattern when one is set; unknown in preview passes", async () => {
        const any = reasonPolicy();
        expect(await violations(any, { userIds: ["1"] })).to.deep.equal(["reason is required"]);
        expect(await violations(any, { userIds: ["1"], reason: "cleanup" })).to.deep.equal([]);
        const ticket = reasonPolicy({ pattern: "^SEC-[0-9]+" });
        expect(await violations(ticket, { reason: "cleanup" })).to.deep.equal([
            "reason does not match /^SEC-[0-9]+/",
        ]);
        expect(await violations(ticket, { reason: "SEC-1" })).to.deep.equal([]);
        expect(await violations(ticket, { reason: UNKNOWN })).to.deep.equal([]);
        expect(ticket.enforcementLevel).to.equal("mandatory");
    });

    it("protected principals: a pack config adds to the code's lists and can never remove one", async () => {
        const policy = protectedPrincipalsPolicy({
            userIds: ["11111111"],
            userLogins: ["breakglass@example.com"],
        });
        const props = { userIds: ["11111111", "22222222"], userLogins: ["BreakGlass@Example.com"] };
        const found = await violations(policy, props, { config: { userIds: ["22222222"] } });
        expect(found).to.have.members([
            'userIds[0] "11111111" is protected and may not be cut off',
            'userIds[1] "22222222" is protected and may not be cut off',
            'userLogins[0] "BreakGlass@Example.com" is protected and may not be cut off',
        ]);
        const emptied = await violations(policy, props, { config: { userIds: [], userLogins: [] } });
        expect(emptied).to.have.length(2);
    });

    it("max principals: counts distinct canonical principals across the lists, per resource", async () => {
        const policy = maxPrincipalsPolicy({ max: 3 });
        expect(
            await violations(policy, {
                userIds: ["1", "1"],
                userLogins: ["A@x.io", "a@x.io"],
                groupIds: ["9"],
            }),
        ).to.deep.equal([]);
        expect(
            await violations(policy, { userIds: ["1", "2"], userLogins: ["a@x.io"], groupIds: ["9"] }),
        ).to.deep.equal(["names 4 principals; at most 3 are allowed in one resource"]);
    });

    it("protected principals: any case or Unicode form, each at its list and index", async () => {
        const policy = protectedPrincipalsPolicy({ userLogins: ["josé@example.com"], groupIds: ["1"] });
        expect(
            await violations(policy, {
                userLogins: ["ok@example.com", "JOSE\u0301@Example.com"],
                groupIds: ["1"],
            }),
        ).to.deep.equal([
            'userLogins[1] "JOSE\u0301@Example.com" is protected and may not be cut off',
            'groupIds[0] "1" is protected and may not be cut off',
        ]);
    });

    it("looks only at SessionTermination resources, and the pack's policy config wins over code", async () => {
        const policy = maxPrincipalsPolicy({ max: 1 });
        expect(
            await violations(policy, { userIds: ["1", "2"] }, { type: "aws:s3/bucket:Bucket" }),
        ).to.deep.equal([]);
        expect(await violations(policy, { userIds: ["1", "2"] }, { config: { max: 5 } })).to.deep.equal([]);
    });

    it("cannot be stepped around by registering the provider under another type name", async () => {
        const policy = protectedPrincipalsPolicy({ userIds: ["11111111"] });
        for (const type of ["pulumi-nodejs:dynamic:Resource", "pulumi-nodejs:dynamic/box:Offboard"]) {
            expect(await violations(policy, { userIds: ["11111111"] }, { type }), type).to.deep.equal([
                'userIds[0] "11111111" is protected and may not be cut off',
            ]);
        }
        expect(
            await violations(policy, { bucket: "x" }, { type: "pulumi-nodejs:dynamic:Resource" }),
        ).to.deep.equal([]);
    });

    it("knows the provider by its __provider in every form it is captured, with no principals named", async () => {
        const [fromSource] = await captureRegistrations(
            () => new SessionTermination("p", { userIds: ["1"] }),
        );
        const forms = {
            "from source": String(fromSource.inputs.__provider),
            installed: 'exports.handler = () => require("pulumi-box-session-termination/provider");',
            copied: (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text,
        };
        for (const [form, text] of Object.entries(forms)) {
            const args = { type: "pulumi-nodejs:dynamic:Resource", props: { __provider: text } };
            expect(isSessionTermination(args), form).to.equal(true);
        }
        const other = {
            type: "pulumi-nodejs:dynamic:Resource",
            props: { __provider: "exports.handler = x;" },
        };
        expect(isSessionTermination(other)).to.equal(false);
        // The native provider's type, whatever its properties.
        expect(isSessionTermination({ type: "box:index:SessionTermination", props: {} })).to.equal(true);
    });

    it("the example pack refuses what the organization's rules refuse", async () => {
        aliasPackageToSources();
        const { policies } = require(
            path.join(__dirname, "..", "..", "examples", "policy-pack", "policies.ts"),
        ) as {
            policies: ResourceValidationPolicy[];
        };
        const all = async (props: Record<string, unknown>) =>
            (await Promise.all(policies.map((p) => violations(p, props)))).flat();
        expect(await all({ userLogins: ["leaver@example.com"], reason: "HR-4412" })).to.deep.equal([]);
        expect(await all({ userLogins: ["Breakglass@Example.com"], reason: "cleanup" })).to.deep.equal([
            "reason does not match /^(HR|SEC)-[0-9]+/",
            'userLogins[0] "Breakglass@Example.com" is protected and may not be cut off',
        ]);
    });
});
