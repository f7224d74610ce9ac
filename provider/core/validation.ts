/**
 * Input validation and normalization for `SessionTermination`: pure functions, no I/O (principal
 * set arithmetic is in principals.ts, the diff in diff.ts).
 *
 * They run inside `check` and `diff`, which Pulumi calls during preview. That is why nothing here may
 * touch the network or need credentials, and why a value Pulumi does not know yet (the unknown
 * sentinel) is always accepted rather than reported: the real value is checked again at `up`.
 */
import { hiddenCharacter } from "./hidden-characters";
import { cutChars, MAX_CHECK_FAILURES } from "./limits";
import { PRINCIPAL_KINDS, type PrincipalKind, type Principals, type SessionTerminationInputs } from "./types";

/**
 * The string Pulumi's engine puts in place of a value that is not known during preview, whatever the
 * field's type (`@pulumi/pulumi/runtime/rpc` `unknownValue`). Duplicated here rather than imported so the
 * serialized provider does not drag Pulumi's RPC module along.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** One reason `check` rejects an input, in the shape Pulumi's `CheckFailure` expects. */
export interface CheckFailure {
    /** The offending property, with an index for list entries (`userIds[2]`). */
    property: string;
    /** What is wrong, written for the person who typed the value. */
    reason: string;
}

/** The result of {@link checkInputs}: the normalized inputs, and every failure found. */
export interface CheckResult {
    /** Normalized inputs; meaningful only when `failures` is empty. */
    inputs: SessionTerminationInputs;
    /**
     * The problems found, not just the first, so one preview shows them all; at most
     * {@link MAX_CHECK_FAILURES} of them, then one line counting the rest (see {@link boundFailures}).
     */
    failures: CheckFailure[];
}

/**
 * The first {@link MAX_CHECK_FAILURES} failures, then one that counts the rest. A list of 100,000
 * bad entries would otherwise answer 100,000 failures: megabytes over Pulumi's 4 MB gRPC limit, and
 * more than anyone reads. The first ones show what is wrong; fixing them usually fixes the rest.
 */
export function boundFailures(failures: CheckFailure[], max = MAX_CHECK_FAILURES): CheckFailure[] {
    if (failures.length <= max) return failures;
    const rest = failures.length - max;
    const first = failures[max].property;
    return [
        ...failures.slice(0, max),
        {
            property: first.includes("[") ? first.slice(0, first.indexOf("[")) : first,
            reason: `and ${rest.toLocaleString("en")} more failure${rest === 1 ? "" : "s"} not listed (the first ${max} are)`,
        },
    ];
}

/**
 * Keys a `SessionTermination` accepts; anything else is most likely a typo worth reporting. An array,
 * not a Set: module-level values are copied into `__provider` by Pulumi's closure serializer, which
 * cannot revive a Set.
 */
const KNOWN_KEYS: readonly string[] = [...PRINCIPAL_KINDS, "reason", "triggers"];

// Box IDs are decimal strings. Logins are email addresses; Box does the real check, this one catches
// the mistakes a reviewer would (a name instead of an address, a stray space, an ID in the wrong list).
const ID_PATTERN = /^[0-9]+$/;
const LOGIN_PATTERN = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;
/** RFC 5321's limit on a whole address; longer strings cannot be a Box login. */
const MAX_LOGIN_LENGTH = 254;

/** True for the engine's placeholder of a value that is not known yet. */
export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

/** What kind of value this is, without any of its content. */
function describeType(value: unknown): string {
    if (Array.isArray(value)) return "a list";
    if (typeof value === "object") return "an object";
    return `a ${typeof value}`;
}

function describeValue(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "a list";
    if (typeof value === "string")
        return value.length > 40 ? `"${value.slice(0, 40)}…"` : JSON.stringify(value);
    return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

/**
 * The one form a principal is compared and stored in: trimmed, Unicode NFC (so é typed as one code
 * point or as e + accent is one person), and for logins lower-cased (Box compares logins
 * case-insensitively) with the domain's trailing dot dropped (`example.com.` is `example.com`, and Box
 * stores logins without it). Guardrails compare with the same function. Idempotent.
 */
export function canonicalEntry(kind: PrincipalKind, value: string): string {
    const text = value.trim().normalize("NFC");
    if (kind !== "userLogins") return text;
    // Lower-casing can leave a sequence NFC would compose; normalize again so the form is stable.
    return text.toLowerCase().normalize("NFC").replace(/\.+$/, "");
}

/** Why the domain of a login (after `@`) is malformed, e.g. an empty label; undefined if it is fine. */
function domainProblem(login: string): string | undefined {
    const domain = login.slice(login.lastIndexOf("@") + 1);
    // One trailing dot is the DNS root, the same domain: canonicalEntry drops it.
    const labels = (domain.endsWith(".") ? domain.slice(0, -1) : domain).split(".");
    if (labels.some((label) => label === "")) {
        return `has an empty part in its domain ${JSON.stringify(domain.slice(0, 80))}`;
    }
    return undefined;
}

function validateEntry(kind: PrincipalKind, entry: unknown): { value?: string; reason?: string } {
    if (typeof entry !== "string") {
        return { reason: `must be a string, got ${describeValue(entry)}` };
    }
    // Before trimming: trim() would silently drop a leading BOM (U+FEFF) the reviewer never saw.
    const hidden = hiddenCharacter(entry);
    if (hidden) return { reason: hidden };
    const trimmed = entry.trim();
    if (trimmed === "") {
        return { reason: "must not be empty" };
    }
    if (kind === "userLogins") {
        if (!LOGIN_PATTERN.test(trimmed)) {
            return { reason: `must be an email address (a Box login), got ${describeValue(entry)}` };
        }
        // Measured as stored (NFC), so a login typed in decomposed form is not refused for its spelling.
        const length = trimmed.normalize("NFC").length;
        if (length > MAX_LOGIN_LENGTH) {
            return {
                reason: `is ${length} characters long; an email address (a Box login) has at most ${MAX_LOGIN_LENGTH}`,
            };
        }
        const domain = domainProblem(trimmed);
        if (domain) return { reason: domain };
        return { value: canonicalEntry(kind, trimmed) };
    }
    if (!ID_PATTERN.test(trimmed)) {
        const hint = LOGIN_PATTERN.test(trimmed) && kind === "userIds" ? "; put logins in userLogins" : "";
        return { reason: `must be a Box ID made of digits, got ${describeValue(entry)}${hint}` };
    }
    // Refused rather than stripped: Box IDs are strings that never start with 0, so a zero-padded
    // value came from somewhere other than Box (a spreadsheet, a typo), and guessing "42" for "0042"
    // could cut off someone nobody reviewed.
    if (trimmed.startsWith("0")) {
        const meant = trimmed.replace(/^0+/, "");
        const guess = meant ? ` (${JSON.stringify(meant.slice(0, 40))} if that is the one meant)` : "";
        return {
            reason: `must not start with 0, got ${describeValue(entry)}: no Box ID does. Copy the ID exactly as Box shows it${guess}; a zero-padded ID is refused, not guessed at`,
        };
    }
    return { value: trimmed };
}

/** Orders IDs numerically (shorter first) and logins alphabetically, so state and previews read well. */
function compareEntries(a: string, b: string): number {
    return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

export function sortUnique(values: Iterable<string>, kind: PrincipalKind): string[] {
    const unique = [...new Set(values)];
    return kind === "userLogins" ? unique.sort() : unique.sort(compareEntries);
}

function checkList(kind: PrincipalKind, raw: unknown, failures: CheckFailure[]): string[] {
    if (raw === undefined || raw === null) return [];
    if (isUnknown(raw)) return [UNKNOWN];
    if (!Array.isArray(raw)) {
        failures.push({ property: kind, reason: `must be a list of strings, got ${describeValue(raw)}` });
        return [];
    }
    const known: string[] = [];
    let unknowns = 0;
    raw.forEach((entry, index) => {
        if (isUnknown(entry)) {
            unknowns++;
            return;
        }
        const result = validateEntry(kind, entry);
        if (result.reason !== undefined) {
            failures.push({ property: `${kind}[${index}]`, reason: result.reason });
        } else if (result.value !== undefined) {
            known.push(result.value);
        }
    });
    // Unknown entries stay as placeholders after the known ones: each may turn out to be any principal.
    return [...sortUnique(known, kind), ...Array<string>(unknowns).fill(UNKNOWN)];
}

/**
 * Validates and normalizes a `SessionTermination`'s inputs. Never throws, whatever `news` holds.
 *
 * Normalization makes order, repetition, surrounding spaces and login case meaningless, so the diff
 * Pulumi shows in a pull request's preview lists only real changes. It is idempotent.
 */
export function checkInputs(news: Record<string, unknown>): CheckResult {
    const failures: CheckFailure[] = [];
    const source: Record<string, unknown> = news !== null && typeof news === "object" ? news : {};

    for (const key of Object.keys(source)) {
        if (!KNOWN_KEYS.includes(key) && source[key] !== undefined) {
            failures.push({
                // A key is the program's text: a typo is short, anything else need not be echoed whole.
                property: cutChars(key, 100),
                reason: `is not a SessionTermination property (expected one of ${KNOWN_KEYS.join(", ")})`,
            });
        }
    }

    const inputs: SessionTerminationInputs = {
        userIds: checkList("userIds", source.userIds, failures),
        userLogins: checkList("userLogins", source.userLogins, failures),
        groupIds: checkList("groupIds", source.groupIds, failures),
    };

    const reason = source.reason;
    if (reason !== undefined && reason !== null) {
        if (typeof reason === "string") inputs.reason = reason;
        // Reason and triggers may hold secrets, and preview prints failures: name the type, not the value.
        else failures.push({ property: "reason", reason: `must be a string, got ${describeType(reason)}` });
    }

    const triggers = source.triggers;
    if (triggers !== undefined && triggers !== null) {
        if (Array.isArray(triggers) || isUnknown(triggers)) inputs.triggers = triggers as unknown[];
        else failures.push({ property: "triggers", reason: `must be a list, got ${describeType(triggers)}` });
    }

    const listFailed = failures.some((f) => PRINCIPAL_KINDS.some((k) => f.property.startsWith(k)));
    if (!listFailed && PRINCIPAL_KINDS.every((k) => inputs[k].length === 0)) {
        failures.push({
            property: "userIds",
            reason: "at least one principal is required across userIds, userLogins and groupIds",
        });
    }
    return { inputs, failures: boundFailures(failures) };
}

/**
 * Reads a principal list from state or from new inputs, normalizing it again: state written by an
 * older version of this provider, or inputs that skipped `check` in a test, must still compare right.
 */
export function principalsOf(props: Partial<Record<PrincipalKind, unknown>>): Principals {
    const ignored: CheckFailure[] = [];
    return {
        userIds: checkList("userIds", props.userIds, ignored),
        userLogins: checkList("userLogins", props.userLogins, ignored),
        groupIds: checkList("groupIds", props.groupIds, ignored),
    };
}
