/**
 * Protected users inside groups. Protection in `check` sees only principals named directly; a group
 * ends the sessions of every member, so a break-glass admin in an incident group would be cut off
 * with it. So before a create or update sends any group, and when protected users are set, each
 * group's members are listed (`GET /2.0/groups/{id}/memberships`, every page) and a group holding a
 * protected user is refused, naming it and the member, with nothing sent at all.
 *
 * This needs credentials, so it runs at `up`, not in preview (docs/review.md says so). It fails
 * closed: a group whose members Box will not list (403), or cannot list whole (Box refuses an offset
 * past 10,000), is not sent unless `box:checkGroupMembers` is `false`.
 */
import { BoxApiError, BoxError } from "./errors";
import { protectionKey } from "./guardrails";
import type { GuardrailSettings } from "./settings-guardrails";

/** What the check needs of a Box client: one page of a group's members. */
export interface MemberLister {
    /** One page of `GET /2.0/groups/{id}/memberships`, parsed. */
    groupMemberships(groupId: string, limit: number, offset: number): Promise<unknown>;
}

/** Box's largest page of members. */
const MEMBERS_PAGE = 1000;
/** The largest offset Box accepts on this endpoint. */
const MAX_MEMBERS_OFFSET = 10_000;

/** A protected user found in a group about to be sent. */
export interface ProtectedMember {
    /** The group. */
    groupId: string;
    /** The member's user ID, as Box listed it. */
    userId: string;
    /** The member's login, as Box listed it. */
    login: string;
    /** The setting that protects them. */
    setting: string;
}

/** A create or update refused before anything was sent: a group holds a protected user, or its members could not be checked. */
export class ProtectedMemberError extends BoxError {
    /** The protected members found (empty when the members could not be listed). */
    readonly members: readonly ProtectedMember[];

    /** Builds the error from its finished message. */
    constructor(message: string, members: readonly ProtectedMember[] = []) {
        super("ProtectedMemberError", message);
        this.members = members;
    }

    /** Diagnostic fields only. */
    toJSON(): Record<string, unknown> {
        return { name: this.name, message: this.message, members: this.members };
    }
}

const OFF = "or, to send groups without this check, set box:checkGroupMembers to false";

type Page = { total_count?: unknown; entries?: unknown };
type Entry = { user?: { id?: unknown; login?: unknown } };

/** Every member of one group as `{ id, login }`, all pages, failing closed. */
async function membersOf(
    client: MemberLister,
    groupId: string,
): Promise<Array<{ id: string; login: string }>> {
    const members: Array<{ id: string; login: string }> = [];
    const unchecked = (why: string) =>
        new ProtectedMemberError(
            `Protected users are set, and ${why}, so group ${groupId}'s members could not be checked; ${OFF}. Nothing was sent to Box.`,
        );
    for (let offset = 0; ;) {
        let page: Page;
        try {
            page = (await client.groupMemberships(groupId, MEMBERS_PAGE, offset)) as Page;
        } catch (err) {
            // A 404 is no proof the group is empty: Box answers it too for a group these credentials cannot see.
            const status = (err as Partial<BoxApiError>).status;
            const grant =
                status === 403
                    ? " Box lists a group's members only to admins and to apps with the Manage groups scope (docs/box-app-setup.md): grant it,"
                    : status === 404
                      ? " Box does not show these credentials this group: remove it if it no longer exists, or grant access to it,"
                      : " Run `pulumi up` again once Box answers,";
            throw new ProtectedMemberError(
                `Protected users are set, so group ${groupId} is sent only once its members are checked, and they could not be listed: ${(err as Error).message}.${grant} ${OFF}. Nothing was sent to Box.`,
            );
        }
        const entries = Array.isArray(page.entries) ? (page.entries as Array<Entry | null>) : undefined;
        if (!entries) throw unchecked("Box's list of its members has no entries list");
        for (const e of entries) {
            const user = e && typeof e === "object" ? e.user : undefined;
            const id = typeof user?.id === "string" || typeof user?.id === "number" ? String(user.id) : "";
            const login = typeof user?.login === "string" ? user.login : "";
            // Box lists both for every member; an entry missing either could be a protected user.
            if (id === "" || login === "")
                throw unchecked("Box's list of its members has an entry without a user ID and login");
            members.push({ id, login });
        }
        const total = page.total_count;
        if (typeof total !== "number" || !Number.isSafeInteger(total) || total < 0)
            throw unchecked("Box's list of its members has no valid total_count");
        offset += entries.length;
        // Box may give fewer entries than asked, so the count decides: a page that is short once
        // total_count is reached ends the list, a full page always asks for the next (total_count
        // may be stale), and an empty page before total_count is a list cut short.
        if (entries.length === 0) {
            if (offset < total) throw unchecked(`Box's list of its members ended at ${offset} of ${total}`);
            return members;
        }
        if (entries.length < MEMBERS_PAGE && offset >= total) return members;
        if (offset > MAX_MEMBERS_OFFSET) {
            throw new ProtectedMemberError(
                `Protected users are set, and group ${groupId} has more than ${MAX_MEMBERS_OFFSET + MEMBERS_PAGE} members` +
                    `${total !== undefined ? ` (${total})` : ""}: Box lists no further than that, so they cannot all be checked. ` +
                    `Terminate its members by user instead, ${OFF}. Nothing was sent to Box.`,
            );
        }
    }
}

/**
 * Refuses, before anything is sent, groups holding a protected user. Does nothing (and lists nothing)
 * when no user is protected, no group is sent, or `box:checkGroupMembers` is `false`.
 */
export async function refuseProtectedMembers(
    client: MemberLister,
    groupIds: readonly string[],
    g: GuardrailSettings,
): Promise<void> {
    const ids = g.protected.userIds.map((v) => protectionKey("userIds", v));
    const logins = g.protected.userLogins.map((v) => protectionKey("userLogins", v));
    if (!g.checkGroupMembers || groupIds.length === 0 || ids.length + logins.length === 0) return;
    const found: ProtectedMember[] = [];
    for (const groupId of groupIds) {
        for (const m of await membersOf(client, groupId)) {
            const byId = m.id !== "" && ids.includes(protectionKey("userIds", m.id));
            const byLogin = m.login !== "" && logins.includes(protectionKey("userLogins", m.login));
            if (byId || byLogin)
                found.push({
                    groupId,
                    userId: m.id,
                    login: m.login,
                    setting: byId ? g.protectedSource.userIds : g.protectedSource.userLogins,
                });
        }
    }
    if (!found.length) return;
    const shown = found
        .slice(0, 10)
        .map((m) => `group ${m.groupId} holds user ${m.userId} (${m.login}), protected by ${m.setting}`)
        .join("; ");
    const more = found.length > 10 ? `; and ${found.length - 10} more` : "";
    throw new ProtectedMemberError(
        `Refused: ${shown}${more}. No resource of this stack may cut off a protected user, directly or through a group: ` +
            `remove the group, or terminate its other members by user. Nothing was sent to Box.`,
        found,
    );
}
