/**
 * `GET /2.0/groups/{group_id}/memberships`, as Box serves it: pages of at most 1,000 entries, an
 * offset past 10,000 refused with 400, a group that does not exist answered 404. The provider lists
 * a group's members before sending it when protected users are set (provider/core/group-members.ts).
 */
import { clientError, type Answer } from "./box-responses";
import type { Directory } from "./directory";

/** The path, with the group ID as its one capture. */
export const MEMBERSHIPS_PATH = /^\/2\.0\/groups\/([^/]+)\/memberships$/;

/** A whole number from the query, its default when absent, or `undefined` when malformed. */
function whole(query: URLSearchParams, name: string, fallback: number): number | undefined {
    const text = query.get(name);
    if (text === null) return fallback;
    return /^[0-9]{1,9}$/.test(text) ? Number(text) : undefined;
}

/** One page of a group's members, or Box's error. */
export function membershipsAnswer(
    directory: Directory,
    groupId: string,
    query: string,
    requestId: string,
): Answer {
    const params = new URLSearchParams(query);
    const limit = whole(params, "limit", 100);
    const offset = whole(params, "offset", 0);
    if (limit === undefined || limit < 1 || limit > 1000)
        return clientError(400, "limit must be a whole number from 1 to 1000", requestId, {
            code: "bad_request",
        });
    if (offset === undefined || offset > 10_000)
        return clientError(400, "offset must be a whole number no greater than 10000", requestId, {
            code: "bad_request",
        });
    const members = directory.membersOf(decodeURIComponent(groupId));
    if (!members) return clientError(404, "Not Found", requestId);
    const entries = members.slice(offset, offset + limit).map((m, i) => ({
        type: "group_membership",
        id: String(5_000_000 + offset + i),
        user: { type: "user", id: m.id, login: m.login, name: m.name ?? m.login.split("@")[0] },
        group: { type: "group", id: groupId, name: `Group ${groupId}` },
        role: "member",
    }));
    return {
        status: 200,
        body: JSON.stringify({ total_count: members.length, limit, offset, entries }),
    };
}
