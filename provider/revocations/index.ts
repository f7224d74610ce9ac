/**
 * The reviewed revocations file, the GitOps way to use `SessionTermination`: a YAML (or JSON) file in
 * a repository, one entry per revocation, changed by pull request. Parsed and checked before any
 * resource is declared, so a typo fails `pulumi preview` naming the file, the entry and the field
 * instead of cutting off the wrong person. Import from `pulumi-box-session-termination/revocations`.
 *
 * The same rules are published as a JSON Schema (`pulumi-box-session-termination/revocations.schema.json`)
 * for editors and CI; a test keeps the two in agreement.
 */
import * as fs from "fs";
import { parse } from "yaml";
import { BoxError } from "../core/errors";
import { partialResultFits, splitToFit } from "../core/record-bound";
// A revocations file feeds the dynamic resource (TypeScript programs), so parts are sized for what its
// partial result must carry at the least: the read/delete stand-in.
import { LEAST_CARRY } from "../dynamic/partial-record";
import type { Principals } from "../core/types";
import { principalsOf } from "../core/validation";

/**
 * One reviewed revocation: becomes one `SessionTermination` named `name`, or, when too large for a
 * partial failure of it to be recorded, several (`name`, `name-part-2`, ...; see {@link splitForRecording}).
 */
export interface Revocation {
    /** Resource name, unique in the file (lower-case letters, digits and dashes): stable across edits. */
    name: string;
    /** Why, for the audit trail (a ticket, who asked). Required: every revocation needs one. */
    reason: string;
    /** Box user IDs, quoted (an unquoted YAML number is refused: `007` would be read as 7). */
    userIds?: string[];
    /** Box user logins (email addresses). */
    userLogins?: string[];
    /** Box group IDs. */
    groupIds?: string[];
}

/** The fields an entry may have; anything else is most likely a typo worth stopping for. */
const FIELDS = ["name", "reason", "userIds", "userLogins", "groupIds"];
const LISTS = ["userIds", "userLogins", "groupIds"] as const;
const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** A revocations file that does not follow the rules; `problems` lists every one, each naming entry and field. */
export class RevocationsFileError extends BoxError {
    /** One line per problem: `<file>: revocations[<index>].<field> ...`. */
    readonly problems: string[];
    /** Builds the error from every problem found. */
    constructor(problems: string[]) {
        super("RevocationsFileError", `Invalid revocations file:\n  ${problems.join("\n  ")}`);
        this.problems = problems;
    }

    /** Name, message and the problems (a method of its own, as every error here has: see BoxSettingsError). */
    toJSON(): Record<string, unknown> {
        return { name: this.name, message: this.message, problems: this.problems };
    }
}

/**
 * Parses and checks a revocations file's text (YAML, of which JSON is a subset); `source` names the
 * file in errors. Throws one {@link RevocationsFileError} listing every problem, so one preview shows
 * them all.
 */
export function parseRevocations(text: string, source: string): Revocation[] {
    let doc: unknown;
    try {
        doc = parse(text);
    } catch (err) {
        throw new RevocationsFileError([
            `${source}: not valid YAML: ${(err as Error).message.split("\n")[0]}`,
        ]);
    }
    const list = (doc as { revocations?: unknown } | null)?.revocations;
    if (!doc || typeof doc !== "object" || Array.isArray(doc) || !Array.isArray(list)) {
        throw new RevocationsFileError([`${source}: expected a mapping with a "revocations:" list`]);
    }
    const problems: string[] = [];
    for (const key of Object.keys(doc)) {
        if (key !== "revocations" && key !== "$schema")
            problems.push(`${source}: ${key} is not "revocations"`);
    }
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
        if (typeof name !== "string" || !NAME_PATTERN.test(name)) {
            problems.push(
                `${where}.name must be 1-63 lower-case letters, digits and dashes, starting with a letter or digit`,
            );
        } else if (seen.has(name)) {
            problems.push(`${where}.name "${name}" is used twice`);
        } else {
            seen.add(name);
        }
        if (typeof entry.reason === "number" || typeof entry.reason === "boolean")
            problems.push(`${where}.reason must be text: quote it ("${String(entry.reason)}")`);
        else if (typeof entry.reason !== "string" || entry.reason.trim() === "")
            problems.push(`${where}.reason is required: a ticket or who asked`);
        const lists: Pick<Revocation, "userIds" | "userLogins" | "groupIds"> = {};
        for (const key of LISTS) {
            const value = entry[key];
            if (value === undefined) continue;
            if (!Array.isArray(value)) {
                problems.push(`${where}.${key} must be a list`);
                continue;
            }
            value.forEach((v: unknown, i: number) => {
                // Not converted: YAML reads 007, 0x10 and 1e3 as the numbers 7, 16 and 1000, so the person
                // cut off would not be the one the reviewer read.
                if (typeof v === "number")
                    problems.push(
                        `${where}.${key}[${i}] must be a quoted string: YAML read it as the number ${v}; write "${v}" only if that is the ID`,
                    );
                else if (typeof v !== "string")
                    problems.push(`${where}.${key}[${i}] must be a quoted string`);
            });
            lists[key] = value.map(String);
        }
        if (!LISTS.some((key) => (lists[key]?.length ?? 0) > 0))
            problems.push(`${where} names nobody: give userIds, userLogins or groupIds`);
        result.push({ name: String(name), reason: String(entry.reason), ...lists });
    });
    // Like check: the first 100 problems and a count, so a bad paste does not become a wall of text.
    if (problems.length > 100)
        problems.splice(
            100,
            problems.length,
            `${source}: and ${problems.length - 100} more problems not listed`,
        );
    if (problems.length) throw new RevocationsFileError(problems);
    const split = result.flatMap(splitForRecording);
    const names = new Set<string>();
    for (const [index, r] of split.entries()) {
        if (names.has(r.name))
            problems.push(
                `${source}: "${r.name}" is both an entry's name and the name of a part of a larger entry split to fit Pulumi state (at ${index}): rename the entry`,
            );
        names.add(r.name);
    }
    if (problems.length) throw new RevocationsFileError(problems);
    return split;
}

/** One entry's principals as `check` will hold them, for sizing. */
function principalsOfEntry(r: Revocation): Principals {
    return principalsOf({
        userIds: r.userIds ?? [],
        userLogins: r.userLogins ?? [],
        groupIds: r.groupIds ?? [],
    });
}

/**
 * An entry too large for a partial failure of it to be recorded (record-bound.ts), as parts that each
 * fit: `name`, `name-part-2`, ... in file order, so the first keeps the resource an entry already had
 * and principals appended at the end of its last list only ever grow the last part. An entry that
 * cannot be split (its reason alone is too large) is left for `check` to refuse.
 */
export function splitForRecording(r: Revocation): Revocation[] {
    if (partialResultFits(principalsOfEntry(r), { reason: r.reason, least: LEAST_CARRY })) return [r];
    const entries = LISTS.flatMap((kind) => (r[kind] ?? []).map((value) => ({ kind, value })));
    const partOf = (list: readonly (typeof entries)[number][], name: string): Revocation => {
        const part: Revocation = { name, reason: r.reason };
        for (const kind of LISTS) {
            const values = list.filter((e) => e.kind === kind).map((e) => e.value);
            if (values.length) part[kind] = values;
        }
        return part;
    };
    const runs = splitToFit(entries, (run) =>
        partialResultFits(principalsOfEntry(partOf(run, r.name)), { reason: r.reason, least: LEAST_CARRY }),
    );
    if (!runs) return [r];
    return runs.map((run, i) => partOf(run, i === 0 ? r.name : `${r.name}-part-${i + 1}`));
}

/** Reads and parses a revocations file from disk (see {@link parseRevocations}). */
export function loadRevocations(file: string): Revocation[] {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        const code = (err as { code?: string }).code ?? "read error";
        throw new RevocationsFileError([`${file}: cannot read the revocations file (${code})`]);
    }
    return parseRevocations(text, file);
}
