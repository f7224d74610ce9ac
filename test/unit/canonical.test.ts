/**
 * Check canonicalizes what a reviewer reads (pure): one form per principal (NFC, logins lower-cased,
 * no trailing dot on the domain), duplicates after that are one principal, and what cannot be read
 * (invisible or control characters) or cannot be Box's (zero-padded IDs, empty domain labels) is
 * refused at its property and index, never silently changed.
 */
import { expect } from "chai";
import fc from "fast-check";
import { applyGuardrails } from "../../provider/core/guardrails";
import { resolveGuardrails } from "../../provider/core/settings-guardrails";
import { canonicalEntry, checkInputs } from "../../provider/core/validation";
import { PRINCIPAL_KINDS } from "../../provider/core/types";

/** Invisible characters the issue names: zero width space, soft hyphen, bidi controls, BOM. */
const INVISIBLE = [
    "\u200b",
    "\u00ad",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\ufeff",
    "\u2060",
    "\u200d",
];
const hex = (ch: string) => `U\\+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

describe("check canonicalizes what a reviewer reads (pure)", () => {
    it("refuses jdoe\\u200b@example.com at its index, naming the character", () => {
        const { failures, inputs } = checkInputs({
            userLogins: ["amy@example.com", "jdoe\u200b@example.com"],
        });
        expect(failures).to.deep.equal([
            {
                property: "userLogins[1]",
                reason: "contains an invisible character U+200B (zero width space) at character 5 of 17; retype the value",
            },
        ]);
        expect(inputs.userLogins).to.deep.equal(["amy@example.com"]);
    });

    it("refuses every invisible or format character, anywhere, in every list", () => {
        for (const ch of INVISIBLE) {
            for (const [kind, value] of [
                ["userLogins", `jd${ch}oe@example.com`],
                ["userLogins", `${ch}jdoe@example.com`],
                ["userLogins", `jdoe@example.com${ch}`],
                ["userIds", `224${ch}66`],
                ["userIds", `${ch}22466`],
                ["groupIds", `77${ch}`],
            ] as const) {
                const valid = kind === "userLogins" ? "a@b.io" : "5";
                const { failures } = checkInputs({ [kind]: [valid, value] });
                expect(failures, `${hex(ch)} in ${kind}`).to.have.length(1);
                expect(failures[0].property).to.equal(`${kind}[1]`);
                expect(failures[0].reason).to.match(
                    new RegExp(`^contains an invisible character ${hex(ch)}`),
                );
            }
        }
    });

    it("refuses control characters inside a value, and still trims surrounding whitespace", () => {
        expect(checkInputs({ userLogins: ["jd\u0007oe@example.com"] }).failures[0].reason).to.match(
            /^contains a control character U\+0007 at character 3/,
        );
        expect(checkInputs({ userIds: ["\t42\n", "\u00a043 "] })).to.deep.include({ failures: [] });
        expect(checkInputs({ userIds: ["\t42\n", "\u00a043 "] }).inputs.userIds).to.deep.equal(["42", "43"]);
    });

    it("merges josé written two ways (NFC and NFD), in any case, with or without a trailing dot on the domain", () => {
        const nfc = "jos\u00e9@example.com";
        const nfd = "jose\u0301@example.com";
        expect(nfc).to.not.equal(nfd);
        const { failures, inputs } = checkInputs({
            userLogins: [nfc, nfd, "JOSE\u0301@EXAMPLE.COM", "Jos\u00e9@Example.com."],
        });
        expect(failures).to.deep.equal([]);
        expect(inputs.userLogins).to.deep.equal([nfc]);
    });

    it("refuses zero-padded IDs rather than guessing which ID was meant", () => {
        const { failures } = checkInputs({ userIds: ["0042", "42"], groupIds: ["0"] });
        expect(failures.map((f) => f.property)).to.deep.equal(["userIds[0]", "groupIds[0]"]);
        expect(failures[0].reason).to.equal(
            'must not start with 0, got "0042": no Box ID does. Copy the ID exactly as Box shows it ("42" if that is the one meant); a zero-padded ID is refused, not guessed at',
        );
        expect(failures[1].reason).to.match(/^must not start with 0, got "0": no Box ID does\./);
    });

    it("refuses a login whose domain has an empty label; one trailing dot is the same domain", () => {
        const { failures, inputs } = checkInputs({
            userLogins: ["a@example..com", "b@example.com.", "c@example.com.."],
        });
        expect(failures).to.deep.equal([
            { property: "userLogins[0]", reason: 'has an empty part in its domain "example..com"' },
            { property: "userLogins[2]", reason: 'has an empty part in its domain "example.com.."' },
        ]);
        expect(inputs.userLogins).to.deep.equal(["b@example.com"]);
    });

    it("canonicalEntry is idempotent on any string, and check on its own output changes nothing", () => {
        fc.assert(
            fc.property(
                fc.constantFrom(...PRINCIPAL_KINDS),
                fc.oneof(fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }), fc.emailAddress()),
                (kind, value) => {
                    const once = canonicalEntry(kind, value);
                    expect(canonicalEntry(kind, once)).to.equal(once);
                },
            ),
            { numRuns: 2000 },
        );
        fc.assert(
            fc.property(fc.array(fc.emailAddress(), { minLength: 1, maxLength: 10 }), (logins) => {
                const shouted = logins.map((l, i) => (i % 2 ? `${l.toUpperCase()}.` : l.normalize("NFD")));
                const once = checkInputs({ userLogins: shouted });
                expect(once.failures).to.deep.equal([]);
                const twice = checkInputs({ userLogins: once.inputs.userLogins });
                expect(twice.inputs.userLogins).to.deep.equal(once.inputs.userLogins);
                expect(once.inputs.userLogins).to.deep.equal(
                    checkInputs({ userLogins: logins }).inputs.userLogins,
                );
            }),
            { numRuns: 500 },
        );
    });

    it("guardrails compare in the same form: a protected login written another way is still protected", () => {
        const g = resolveGuardrails({ protectedUserLogins: "Jos\u00e9@Example.com." }, {});
        const failures = applyGuardrails({}, { userLogins: ["jose\u0301@example.com"], reason: "x" }, g);
        expect(failures.map((f) => f.property)).to.deep.equal(["userLogins[0]"]);
    });
});
