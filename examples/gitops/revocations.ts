/**
 * The reviewed revocations file, parsed and checked before any resource is declared: a typo in a pull
 * request fails `pulumi preview` with the file, the entry and the field, instead of cutting off the
 * wrong person. Pure: no I/O, no Pulumi calls.
 */
import { parse } from "yaml";

/** One reviewed revocation: becomes one `SessionTermination` named `name`. */
export interface Revocation {
    /** Resource name, unique in the file (lower-case letters, digits and dashes). */
    name: string;
    /** Why, for the audit trail (a ticket, who asked). Required: every revocation needs one. */
    reason: string;
    /** Box user IDs. */
    userIds?: string[];
    /** Box user logins. */
    userLogins?: string[];
    /** Box group IDs. */
    groupIds?: string[];
}

const FIELDS = ["name", "reason", "userIds", "userLogins", "groupIds"];

/** Parses and checks the file's text; `source` names it in errors. Throws one error listing every problem. */
export function parseRevocations(text: string, source: string): Revocation[] {
    const doc = parse(text) as { revocations?: unknown } | null;
    const list = doc?.revocations;
    if (!Array.isArray(list)) throw new Error(`${source}: expected a top-level "revocations:" list`);
    const problems: string[] = [];
    const seen = new Set<string>();
    const result: Revocation[] = [];
    list.forEach((raw: unknown, index: number) => {
        const where = `${source}: revocations[${index}]`;
        if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
            problems.push(`${where} must be a mapping`);
            return;
        }
        const entry = raw as Record<string, unknown>;
        for (const key of Object.keys(entry)) {
            if (!FIELDS.includes(key)) problems.push(`${where}.${key} is not one of ${FIELDS.join(", ")}`);
        }
        const name = entry.name;
        if (typeof name !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(name)) {
            problems.push(`${where}.name must be lower-case letters, digits and dashes`);
        } else if (seen.has(name)) {
            problems.push(`${where}.name "${name}" is used twice`);
        } else {
            seen.add(name);
        }
        if (typeof entry.reason !== "string" || entry.reason.trim() === "")
            problems.push(`${where}.reason is required`);
        const lists: Pick<Revocation, "userIds" | "userLogins" | "groupIds"> = {};
        for (const key of ["userIds", "userLogins", "groupIds"] as const) {
            const value = entry[key];
            if (value === undefined || value === null) continue;
            // YAML reads unquoted IDs as numbers; Box IDs are strings, so accept whole numbers and convert.
            if (
                !Array.isArray(value) ||
                value.some((v) => typeof v !== "string" && !Number.isSafeInteger(v))
            ) {
                problems.push(`${where}.${key} must be a list of strings`);
                continue;
            }
            lists[key] = value.map(String);
        }
        result.push({ name: String(name), reason: String(entry.reason), ...lists });
    });
    if (problems.length) throw new Error(`Invalid revocations file:\n  ${problems.join("\n  ")}`);
    return result;
}
