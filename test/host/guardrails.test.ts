/**
 * Guardrails for reviewed revocations: protected principals, a blast-radius cap and a reason policy,
 * applied in `check`, so a pull request's preview refuses what must not be cut off, with no Box
 * credentials and no request to Box. Pure logic here; through Pulumi's provider host in both capture
 * modes below.
 */
import { expect } from "chai";
import { CAPTURE_MODES, captureProvider, type CapturedProvider } from "../../harness/capture";
import { applyGuardrails, newPrincipalCounts } from "../../provider/core/guardrails";
import { resolveGuardrails } from "../../provider/core/settings-guardrails";
import { BoxSettingsError } from "../../provider/core/errors";
import type { ProviderHost } from "../../harness/host";
import { startBoxEmulator, type BoxEmulator } from "../../provider/testing";

describe("guardrails (pure)", () => {
    it("reads protected lists as JSON or comma-separated, the cap with its default, and the reason pattern", () => {
        const g = resolveGuardrails(
            { protectedUserIds: '["1", 2]', reasonPattern: "^SEC-[0-9]+" },
            {
                BOX_PROTECTED_USER_LOGINS: " Admin@Example.com , payroll@example.com",
                BOX_PROTECTED_GROUP_IDS: "",
            },
        );
        expect(g.protected).to.deep.equal({
            userIds: ["1", "2"],
            userLogins: ["Admin@Example.com", "payroll@example.com"],
            groupIds: [],
        });
        expect(g.protectedSource.userLogins).to.equal("BOX_PROTECTED_USER_LOGINS (environment)");
        expect([g.maxNewPrincipals, g.maxNewPrincipalsSource]).to.deep.equal([
            1000,
            "box:maxNewPrincipals (default)",
        ]);
        expect(g.reasonPattern?.test("SEC-12")).to.equal(true);
    });

    it("refuses invalid guardrail settings with a clear settings error naming them", () => {
        expect(() => resolveGuardrails({ reasonPattern: "^SEC-(" }, {})).to.throw(
            BoxSettingsError,
            /^box:reasonPattern \/ BOX_REASON_PATTERN is not a valid regular expression/,
        );
        expect(() => resolveGuardrails({ protectedUserIds: "[1," }, {})).to.throw(
            /box:protectedUserIds .* not a valid JSON list/,
        );
        expect(() => resolveGuardrails({ maxNewPrincipals: "0" }, {})).to.throw(
            /box:maxNewPrincipals \/ BOX_MAX_NEW_PRINCIPALS must be a whole number/,
        );
    });

    it("protects logins whatever their case or Unicode form, at the input's own index", () => {
        const g = resolveGuardrails({ protectedUserLogins: "josé@example.com" }, {});
        const failures = applyGuardrails(
            {},
            { userLogins: ["a@example.com", "JOSE\u0301@example.com"], reason: "x" },
            g,
        );
        expect(failures).to.deep.equal([
            {
                property: "userLogins[1]",
                reason: '"JOSE\u0301@example.com" is protected by box:protectedUserLogins (stack config): no resource of this stack may cut it off',
            },
        ]);
    });

    it("protects against look-alikes too: fullwidth letters, long s, dotless i", () => {
        const g = resolveGuardrails(
            { protectedUserLogins: "ceo@example.com,sam@example.com,it@example.com" },
            {},
        );
        const news = {
            userLogins: ["ｃｅｏ@example.com", "ſam@example.com", "ıt@example.com", "bob@example.com"],
        };
        expect(applyGuardrails({}, news, g).map((f) => f.property)).to.deep.equal([
            "userLogins[0]",
            "userLogins[1]",
            "userLogins[2]",
        ]);
    });

    it("takes protected lists from stack config and the environment together, and refuses a mistyped entry", () => {
        const g = resolveGuardrails({ protectedUserIds: "999" }, { BOX_PROTECTED_USER_IDS: "11111111" });
        expect(g.protected.userIds).to.deep.equal(["999", "11111111"]);
        expect(g.protectedSource.userIds).to.equal(
            "box:protectedUserIds (stack config) / BOX_PROTECTED_USER_IDS (environment)",
        );
        for (const bad of ['["11111111,22222222"]', "11111111;22222222", "ceo@example.com"]) {
            expect(() => resolveGuardrails({ protectedUserIds: bad }, {}), bad).to.throw(
                BoxSettingsError,
                /^box:protectedUserIds \/ BOX_PROTECTED_USER_IDS holds .* which is not a Box ID/,
            );
        }
        expect(() => resolveGuardrails({}, { BOX_PROTECTED_USER_LOGINS: "ceo" })).to.throw(
            /which is not a Box login/,
        );
    });

    it("counts only principals new since the previous inputs, canonically", () => {
        const olds = { userIds: ["1", "2"], userLogins: ["a@x.io"] };
        const news = { userIds: ["2", "1", "3"], userLogins: ["A@X.io", "b@x.io"], groupIds: ["9"] };
        expect(newPrincipalCounts(olds, news)).to.deep.equal({ userIds: 1, userLogins: 1, groupIds: 1 });
    });
});

const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => String(from + i));

for (const mode of CAPTURE_MODES) {
    describe(`guardrails in preview, through the provider host, captured ${mode}, with no credentials`, function () {
        this.timeout(300_000);
        let captured: CapturedProvider;
        let host: ProviderHost | undefined;
        let box: BoxEmulator;
        before(async () => {
            captured = await captureProvider(mode);
            // Only to prove nothing is sent: the host is never told about it.
            box = await startBoxEmulator();
        });
        after(async () => box?.close());
        afterEach(async () => {
            await host?.stop();
            host = undefined;
            expect(box.requests).to.deep.equal([]);
        });
        const start = async (config: Record<string, string>) => {
            host = await captured.startHost({ env: { BOX_PROTECTED_GROUP_IDS: "1" } });
            await host.configure(config);
            return host;
        };
        const check = async (olds: Record<string, unknown>, args: Record<string, unknown>) => {
            const [reg] = captured.register([{ name: "r", args }]);
            const oldInputs = Object.keys(olds).length ? { ...olds, __provider: captured.providerText } : {};
            return host!.check("urn:r", oldInputs, reg.inputs);
        };

        it("a protected user ID, a protected login in another case and a protected group fail on their property, naming their setting", async () => {
            await start({
                "box:protectedUserIds": "22466421",
                "box:protectedUserLogins": '["ceo@example.com"]',
            });
            const { failures } = await check(
                {},
                {
                    userIds: ["5", "22466421"],
                    userLogins: ["CEO@Example.com"],
                    groupIds: ["7", "1"],
                    reason: "HR-1",
                },
            );
            // The engine prints a failure's reason only: the path leads it (provider.ts, forEngine).
            expect(failures.map((f) => [f.property, f.reason.replace(/: ".*?" /, ": ")])).to.deep.equal([
                [
                    "",
                    "userIds[1]: is protected by box:protectedUserIds (stack config): no resource of this stack may cut it off",
                ],
                [
                    "",
                    "userLogins[0]: is protected by box:protectedUserLogins (stack config): no resource of this stack may cut it off",
                ],
                [
                    "",
                    "groupIds[1]: is protected by BOX_PROTECTED_GROUP_IDS (environment): no resource of this stack may cut it off",
                ],
            ]);
        });

        it("with box:maxNewPrincipals=100, 250 new IDs fail and adding 50 to 200 existing ones passes", async () => {
            await start({ "box:maxNewPrincipals": "100" });
            const over = await check({}, { userIds: ids(1000, 250) });
            expect(over.failures).to.have.length(1);
            expect(over.failures[0].property).to.equal("");
            expect(over.failures[0].reason).to.match(
                /^userIds: would newly cut off 250 principals \(userIds 250\), more than box:maxNewPrincipals \(stack config\) allows: 100\./,
            );
            const existing = ids(1000, 200);
            const grown = await check({ userIds: existing }, { userIds: [...existing, ...ids(5000, 50)] });
            expect(grown.failures).to.deep.equal([]);
        });

        it("with box:reasonPattern=^SEC-[0-9]+, a reason 'cleanup' and a missing reason fail; a clean input passes", async () => {
            await start({ "box:reasonPattern": "^SEC-[0-9]+" });
            const cleanup = await check({}, { userIds: ["5"], reason: "cleanup" });
            expect(cleanup.failures).to.deep.equal([
                {
                    property: "",
                    reason: "reason: does not match: box:reasonPattern (stack config) asks for a reason matching /^SEC-[0-9]+/",
                },
            ]);
            const missing = await check({}, { userIds: ["5"] });
            expect(missing.failures.map((f) => f.property)).to.deep.equal([""]);
            expect(missing.failures[0].reason).to.match(/^reason: is required: box:reasonPattern/);
            const clean = await check({}, { userIds: ["5"], reason: "SEC-1207: compromised" });
            expect(clean.failures).to.deep.equal([]);
        });

        it("an invalid reason pattern fails preview with a settings error naming it", async () => {
            await start({ "box:reasonPattern": "^SEC-(" });
            const err = await check({}, { userIds: ["5"], reason: "SEC-1" }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(err?.message).to.match(
                /^box:reasonPattern \/ BOX_REASON_PATTERN is not a valid regular expression/,
            );
        });
    });
}
