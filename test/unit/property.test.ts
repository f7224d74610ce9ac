/**
 * Property-based tests over `check` and `diff` with hostile input: wrong types, nulls, huge lists,
 * arbitrary unicode, unknown markers. Each property runs at least 1,000 times.
 */
import { expect } from "chai";
import fc from "fast-check";
import { planDiff } from "../../provider/core/diff";
import { checkInputs, UNKNOWN } from "../../provider/core/validation";

const RUNS = { numRuns: 1000 };
/**
 * For properties over `news`: about a third of its runs carry a list of 2,000 to 20,000 entries,
 * which dominate the time; 300 runs still try about a hundred of those and every shape around them.
 */
const HOSTILE_RUNS = { numRuns: 300 };
const LISTS = ["userIds", "userLogins", "groupIds"] as const;

// Independent statement of what a valid entry is (not the implementation's regular expressions).
/**
 * Nothing a reviewer cannot see: no format or default-ignorable character anywhere, and no control
 * character or lone surrogate inside the trimmed value (surrounding tabs carry no meaning).
 */
function visible(v: string): boolean {
    if ([...v].some((c) => /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u.test(c))) return false;
    return ![...v.trim()].some((c) => /[\p{Cc}\p{Cs}]/u.test(c));
}
function validId(v: unknown): boolean {
    if (typeof v !== "string" || !visible(v)) return false;
    const t = v.trim();
    return t !== "" && !t.startsWith("0") && [...t].every((c) => c >= "0" && c <= "9");
}
function validLogin(v: unknown): boolean {
    if (typeof v !== "string" || !visible(v)) return false;
    const t = v.trim();
    const parts = t.split("@");
    if (t.length > 254 || parts.length !== 2) return false;
    const [local, domain] = parts;
    const clean = (s: string) => s !== "" && !/\s/.test(s);
    // One trailing dot is the DNS root (the same domain); otherwise every label is non-empty.
    const labels = (domain.endsWith(".") ? domain.slice(0, -1) : domain).split(".");
    return clean(local) && clean(domain) && labels.length >= 2 && labels.every((l) => l !== "");
}
function validInput(news: Record<string, unknown>): boolean {
    const allowed = ["userIds", "userLogins", "groupIds", "reason", "triggers"];
    if (Object.keys(news).some((k) => !allowed.includes(k) && news[k] !== undefined)) return false;
    let anyone = false;
    for (const key of LISTS) {
        const list = news[key];
        if (list === undefined || list === null) continue;
        if (list === UNKNOWN) {
            anyone = true;
            continue;
        }
        if (!Array.isArray(list)) return false;
        const ok = key === "userLogins" ? validLogin : validId;
        if (!list.every((e) => e === UNKNOWN || ok(e))) return false;
        if (list.length) anyone = true;
    }
    const { reason, triggers } = news;
    if (reason !== undefined && reason !== null && typeof reason !== "string") return false;
    if (triggers !== undefined && triggers !== null && !Array.isArray(triggers) && triggers !== UNKNOWN)
        return false;
    return anyone;
}

const digits = fc.stringMatching(/^[1-9][0-9]{0,18}$/);
const login = fc.emailAddress();
const padded = (arb: fc.Arbitrary<string>) =>
    fc.tuple(arb, fc.constantFrom("", " ", "\t", "\u00a0")).map(([s, pad]) => `${pad}${s}${pad}`);
const hostileString = fc.oneof(
    fc.string(),
    fc.string({ unit: "binary" }),
    fc.string({ unit: "grapheme" }),
    fc.constantFrom(
        "",
        " ",
        "@",
        "a@b",
        "a@b.",
        "x@.y",
        "１２３",
        "12 34",
        "0x12",
        "007",
        "0",
        "a@b.c.",
        "a@b..c",
        "jdoe\u200b@example.com",
        "\ufeff42",
        "a\u00ad@b.c",
        "a@b.c\u202e",
        "\ud800@b.c",
    ),
);
const entry = fc.oneof(
    { weight: 4, arbitrary: fc.oneof(digits, login, padded(digits), padded(login)) },
    { weight: 2, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.constant(UNKNOWN) },
    { weight: 1, arbitrary: fc.anything() },
);
// Huge lists are built, not generated item by item: thousands of generated emails per run make the
// suite slow without finding more.
const huge = fc
    .tuple(fc.integer({ min: 2000, max: 20_000 }), fc.boolean(), fc.option(hostileString, { freq: 3 }))
    .map(([n, logins, intruder]) => {
        const xs = Array.from({ length: n }, (_, i) =>
            logins ? `user${i % 5000}@bulk.example` : String(1000 + ((i * 7919) % 9000)),
        );
        if (intruder !== null) xs[Math.floor(n / 2)] = intruder;
        return xs;
    });
const list = fc.oneof(
    { weight: 6, arbitrary: fc.array(entry, { maxLength: 12 }) },
    { weight: 1, arbitrary: huge },
    { weight: 1, arbitrary: fc.constantFrom(undefined, null, UNKNOWN) },
    { weight: 1, arbitrary: fc.anything() },
);
const news = fc.record(
    {
        userIds: list,
        userLogins: list,
        groupIds: list,
        reason: fc.oneof(fc.string({ unit: "grapheme" }), fc.constant(UNKNOWN), fc.anything()),
        triggers: fc.oneof(fc.array(fc.jsonValue(), { maxLength: 4 }), fc.constant(UNKNOWN), fc.anything()),
        stray: fc.anything(),
    },
    { requiredKeys: [] },
) as fc.Arbitrary<Record<string, unknown>>;

// Valid inputs (entries padded, repeated, unknown in places), for idempotence.
const validEntry = (arb: fc.Arbitrary<string>) =>
    fc.oneof({ weight: 8, arbitrary: padded(arb) }, { weight: 1, arbitrary: fc.constant(UNKNOWN) });
const validNews = fc
    .record({
        userIds: fc.array(validEntry(digits), { maxLength: 20 }),
        userLogins: fc.array(validEntry(login.map((l) => (l.length % 2 ? l.toUpperCase() : l))), {
            maxLength: 20,
        }),
        groupIds: fc.oneof(fc.array(validEntry(digits), { maxLength: 20 }), fc.constant(UNKNOWN)),
        reason: fc.string({ unit: "grapheme" }),
        triggers: fc.array(fc.jsonValue(), { maxLength: 3 }),
    })
    .filter(
        (n) =>
            n.userIds.length + n.userLogins.length + (Array.isArray(n.groupIds) ? n.groupIds.length : 1) > 0,
    );

// Valid principal sets, for the diff properties.
const validPrincipals = fc.record({
    userIds: fc.array(digits, { maxLength: 15 }),
    userLogins: fc.array(login, { maxLength: 15 }),
    groupIds: fc.array(digits, { maxLength: 15 }),
});

describe("property-based: check and diff under hostile input", function () {
    this.timeout(120_000);

    it("check never throws, and accepts exactly the valid inputs", () => {
        fc.assert(
            fc.property(news, (n) => {
                const result = checkInputs(n);
                expect(result.failures.length === 0, JSON.stringify(result.failures).slice(0, 300)).to.equal(
                    validInput(n),
                );
                // One assertion over all failures: a huge invalid list yields thousands of them.
                const malformed = result.failures.filter(
                    (f) =>
                        typeof f.property !== "string" ||
                        !f.property ||
                        typeof f.reason !== "string" ||
                        !f.reason,
                );
                expect(malformed).to.deep.equal([]);
            }),
            HOSTILE_RUNS,
        );
    });

    it("normalization is idempotent", () => {
        fc.assert(
            fc.property(validNews, (n) => {
                const once = checkInputs(n);
                expect(once.failures).to.deep.equal([]);
                const twice = checkInputs(once.inputs as unknown as Record<string, unknown>);
                expect(twice.failures).to.deep.equal([]);
                expect(twice.inputs).to.deep.equal(once.inputs);
            }),
            RUNS,
        );
    });

    it("diff of an input against its own reordering, with repeats and login case changed, is no change", () => {
        fc.assert(
            fc.property(validPrincipals, fc.string({ unit: "grapheme" }), fc.integer(), (p, reason, seed) => {
                fc.pre(p.userIds.length + p.userLogins.length + p.groupIds.length > 0);
                const shuffle = <T>(xs: T[]): T[] => {
                    const out = [...xs];
                    let s = Math.abs(seed) + 1;
                    for (let i = out.length - 1; i > 0; i--) {
                        s = (s * 1103515245 + 12345) % 2147483648;
                        const j = s % (i + 1);
                        [out[i], out[j]] = [out[j], out[i]];
                    }
                    return out;
                };
                const original = checkInputs({ ...p, reason }).inputs;
                const reordered = checkInputs({
                    userIds: shuffle([...p.userIds, ...p.userIds.slice(0, 2)]),
                    userLogins: shuffle(p.userLogins.map((l, i) => (i % 2 ? l.toUpperCase() : ` ${l}`))),
                    groupIds: shuffle(p.groupIds),
                    reason,
                });
                const plan = planDiff(
                    { ...original, message: "m", terminatedAt: "t" },
                    reordered.inputs as unknown as Record<string, unknown>,
                );
                expect(plan.changes).to.equal(false);
                expect(plan.replaces).to.deep.equal([]);
            }),
            RUNS,
        );
    });

    it("diff never throws on arbitrary state and inputs, always answers changes explicitly, and adds only what is new", () => {
        fc.assert(
            fc.property(news, news, (olds, n) => {
                const plan = planDiff(olds, n);
                expect(plan.changes).to.be.a("boolean");
                expect(plan.replaces).to.satisfy(
                    (r: string[]) => r.length === 0 || (r.length === 1 && r[0] === "triggers"),
                );
                const before = checkInputs(olds).inputs;
                const notNew = LISTS.flatMap((key) => {
                    const had = new Set(before[key]);
                    return plan.added[key].filter((p) => had.has(p));
                });
                expect(notNew).to.deep.equal([]);
            }),
            HOSTILE_RUNS,
        );
    });
});
