/**
 * Size bounds on what leaves the provider: text that goes into state, error messages and check
 * answers. Whatever Box, the network or a program hands over, what comes out stays small enough to
 * read, to store, and to pass through Pulumi's gRPC channel (4 MB per message). Pure.
 */

/**
 * The most characters of Box's own text kept in `message` (state) or quoted in an error. Box's
 * messages are one sentence; anything longer is a proxy's page or a misbehaving server.
 */
export const MAX_MESSAGE_CHARS = 1000;

/**
 * The most Box request IDs one create or update records in `requestIds`; `requestCount` counts them
 * all. A bulk run of 20,000 logins makes 40 requests with the defaults, but isolation or a small
 * batch size can make thousands, and state is shipped in every later deployment.
 */
export const MAX_REQUEST_IDS = 100;

/** The most failures `check` reports one by one; the rest are counted in one more line. */
export const MAX_CHECK_FAILURES = 100;

/**
 * `text` cut to at most `max` characters (UTF-16 code units, as JavaScript counts `length`), ending
 * in "…" when cut. Never splits a surrogate pair: half a pair cannot be encoded and would fail the
 * answer it is part of.
 */
export function cutChars(text: string, max: number): string {
    if (text.length <= max) return text;
    if (max <= 0) return "";
    let end = max - 1;
    const code = text.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end--;
    return `${text.slice(0, end)}…`;
}
