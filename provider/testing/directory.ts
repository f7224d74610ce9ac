/**
 * Who exists in the emulated enterprise. Box answers a termination that names an unknown user or
 * group with 404 for the whole request, so a test can only see that behaviour if the emulator knows
 * who exists.
 */
import type { TerminationTargets } from "./terminate";

/**
 * The users and groups of the emulated enterprise, for the `directory` option and
 * `BoxEmulator.setDirectory`. When set, a termination request naming any user ID, login or group
 * ID not listed here is answered `404 not_found` as a whole, and nothing in it is accepted, which
 * is what Box is expected to do (Box's spec gives no per-entry result).
 *
 * A list left out is not checked, so a test about users need not list groups; an empty list means
 * "none exist", so every value of that kind is unknown.
 */
export interface EmulatorDirectory {
    /** Known user IDs, compared exactly (`"07"` is not `"7"`, as Box IDs are strings). */
    userIds?: string[];
    /** Known user logins, compared case-insensitively, as Box treats email logins. */
    userLogins?: string[];
    /** Known group IDs, compared exactly. */
    groupIds?: string[];
    /**
     * Each group's members, by group ID, as `GET /2.0/groups/{id}/memberships` lists them. A group
     * not listed here has no members (or, when `groupIds` is set and does not name it, does not exist).
     */
    groupMembers?: Record<string, GroupMember[]>;
}

/** A user in a group. */
export interface GroupMember {
    /** The user's ID. */
    id: string;
    /** The user's login. */
    login: string;
    /** The user's name (default: the login's local part). */
    name?: string;
}

function lowerCased(values: readonly string[]): string[] {
    return values.map((value) => value.toLowerCase());
}

/** A snapshot of an {@link EmulatorDirectory}: later changes to the caller's arrays have no effect. */
export class Directory {
    private readonly userIds?: ReadonlySet<string>;
    private readonly userLogins?: ReadonlySet<string>;
    private readonly groupIds?: ReadonlySet<string>;
    private readonly members: ReadonlyMap<string, readonly GroupMember[]>;

    /** @param entries The directory; `undefined` knows everyone (no directory checks at all). */
    constructor(entries?: EmulatorDirectory) {
        if (entries?.userIds) this.userIds = new Set(entries.userIds.map(String));
        if (entries?.userLogins) this.userLogins = new Set(lowerCased(entries.userLogins.map(String)));
        if (entries?.groupIds) this.groupIds = new Set(entries.groupIds.map(String));
        this.members = new Map(
            Object.entries(entries?.groupMembers ?? {}).map(([id, list]) => [
                id,
                list.map((m) => ({ ...m })),
            ]),
        );
    }

    /** A group's members, or `undefined` when the group does not exist. */
    membersOf(groupId: string): readonly GroupMember[] | undefined {
        if (this.groupIds && !this.groupIds.has(groupId)) return undefined;
        return this.members.get(groupId) ?? [];
    }

    /** Whether every user and group the request names exists. */
    knowsAll(targets: TerminationTargets): boolean {
        const known = (set: ReadonlySet<string> | undefined, values: string[]): boolean =>
            set === undefined || values.every((value) => set.has(value));
        return (
            known(this.userIds, targets.userIds) &&
            known(this.userLogins, lowerCased(targets.userLogins)) &&
            known(this.groupIds, targets.groupIds)
        );
    }
}
