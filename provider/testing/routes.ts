/**
 * Which handler answers a request, and the order of the API's checks: authentication, then the
 * rate limit, then validation, then the directory. A request that fails one check is answered
 * there, so an unauthenticated request never costs rate-limit budget and an invalid one never
 * reaches the directory.
 */
import { clientError, type Answer } from "./box-responses";
import type { Directory } from "./directory";
import type { RateLimiter } from "./faults";
import { MEMBERSHIPS_PATH, membershipsAnswer } from "./memberships";
import { acceptedAnswer, GROUPS_PATH, parseTermination, USERS_PATH } from "./terminate";
import { TOKEN_PATH, type TokenService } from "./tokens";

/** The emulator's state a route reads. */
export interface RouteContext {
    /** Issued and static credentials, and the token endpoint. */
    tokens: TokenService;
    /** The API's rate limit. */
    limiter: RateLimiter;
    /** The current directory; a function because `setDirectory` replaces it while running. */
    directory: () => Directory;
}

/** One fully read request, as the routes see it. */
export interface RouteRequest {
    /** HTTP method, as sent (upper case for every method Node accepts). */
    method: string;
    /** Path from `requestPath`. */
    path: string;
    /** The query, without `?` (`""` when none). */
    query: string;
    /** `content-type`, or `""`. */
    contentType: string;
    /** `authorization`, if any. */
    authorization: string | undefined;
    /** The body text. */
    raw: string;
    /** The ID this request's answer carries. */
    requestId: string;
}

/** A route's outcome. */
export interface Routed {
    /** What to answer. */
    answer: Answer;
    /** What the log should keep of the body, when the route knows better than content-based scrubbing. */
    logBody?: Record<string, string | undefined>;
}

/** Answers one request. Never throws for any request content. */
export function route(context: RouteContext, request: RouteRequest): Routed {
    const { method, path, requestId } = request;
    if (method === "POST" && path === TOKEN_PATH) {
        return context.tokens.exchange(request.contentType, request.raw);
    }
    if (method === "POST" && (path === USERS_PATH || path === GROUPS_PATH)) {
        return { answer: api(context, request, () => terminate(context, request)) };
    }
    const group = MEMBERSHIPS_PATH.exec(path)?.[1];
    if (method === "GET" && group !== undefined) {
        return {
            answer: api(context, request, () =>
                membershipsAnswer(context.directory(), group, request.query, requestId),
            ),
        };
    }
    return { answer: clientError(404, "Not Found", requestId) };
}

/** Authentication and the rate limit, then `handle`; the answer carries the credential's label. */
function api(context: RouteContext, request: RouteRequest, handle: () => Answer): Answer {
    const { requestId } = request;
    const label = context.tokens.authenticate(request.authorization);
    if (!label) {
        return clientError(401, "The access token is missing, invalid or expired", requestId, {
            headers: { "www-authenticate": 'Bearer realm="Service", error="invalid_token"' },
        });
    }
    const wait = context.limiter.take(Date.now());
    const answer =
        wait !== undefined
            ? clientError(429, "Request rate limit exceeded, please try again later", requestId, {
                  headers: { "retry-after": String(wait) },
              })
            : handle();
    return { ...answer, token: label };
}

function terminate(context: RouteContext, request: RouteRequest): Answer {
    const { requestId } = request;
    const parsed = parseTermination(request.path, request.contentType, request.raw, requestId);
    if (!parsed.ok) return parsed.answer;
    if (!context.directory().knowsAll(parsed.targets)) return clientError(404, "Not Found", requestId);
    return acceptedAnswer();
}
