/**
 * The two session-termination endpoints' request rules, as a spec-validating server applies them:
 * JSON only, every list required, strings only, not all empty; with Box's documented 400 texts.
 */
import { clientError, type Answer } from "./box-responses";
import { isRecord, ownValue, parseJson } from "./json";

/** Box's 202 message for an accepted termination. */
export const ACCEPTED_MESSAGE =
    "Request is successful, please check the admin events for the status of the job";

/** `POST /2.0/users/terminate_sessions`: `{user_ids, user_logins}`. */
export const USERS_PATH = "/2.0/users/terminate_sessions";
/** `POST /2.0/groups/terminate_sessions`: `{group_ids}`. */
export const GROUPS_PATH = "/2.0/groups/terminate_sessions";

/** Whom a valid termination request names; lists the endpoint does not take are empty. */
export interface TerminationTargets {
    /** `user_ids`. */
    userIds: string[];
    /** `user_logins`. */
    userLogins: string[];
    /** `group_ids`. */
    groupIds: string[];
}

/** The outcome of {@link parseTermination}. */
export type ParsedTermination =
    | {
          /** The request is valid. */
          ok: true;
          /** Whom it names. */
          targets: TerminationTargets;
      }
    | {
          /** The request is invalid. */
          ok: false;
          /** Box's 400 for it. */
          answer: Answer;
      };

/** Box's 202 for an accepted termination. */
export function acceptedAnswer(): Answer {
    return { status: 202, body: JSON.stringify({ message: ACCEPTED_MESSAGE }) };
}

/** Validates a termination request to `path` (one of the two endpoints). */
export function parseTermination(
    path: string,
    contentType: string,
    raw: string,
    requestId: string,
): ParsedTermination {
    const users = path === USERS_PATH;
    const empty = users ? "Users can not be NULL or EMPTY" : "Groups can not be NULL or EMPTY";
    const format = users ? "User id format is string" : "group id format is string";
    const badRequest = (message: string, contextInfo?: Record<string, unknown>): ParsedTermination => ({
        ok: false,
        answer: clientError(400, message, requestId, { contextInfo }),
    });
    if (!/^application\/json\b/i.test(contentType)) return badRequest("Supported payload format is JSON");
    const json = parseJson(raw);
    if (!json.ok) return badRequest("Supported payload format is JSON");
    const body = isRecord(json.value) ? json.value : {};
    const keys = users ? ["user_ids", "user_logins"] : ["group_ids"];
    const lists = new Map<string, string[]>();
    for (const key of keys) {
        const list = ownValue(body, key);
        // Box's spec marks every list required: a spec-validating server rejects a missing one.
        if (!Array.isArray(list))
            return badRequest(empty, { errors: [{ name: key, reason: "missing_parameter" }] });
        if (list.some((v) => typeof v !== "string")) return badRequest(format);
        lists.set(key, list as string[]);
    }
    if ([...lists.values()].every((list) => list.length === 0)) return badRequest(empty);
    return {
        ok: true,
        targets: {
            userIds: lists.get("user_ids") ?? [],
            userLogins: lists.get("user_logins") ?? [],
            groupIds: lists.get("group_ids") ?? [],
        },
    };
}
