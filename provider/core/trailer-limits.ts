/**
 * What an error can carry out of Pulumi's Node provider host without hanging the engine. Pure.
 *
 * The host (`@pulumi/pulumi/cmd/dynamic-provider`, `grpcResponseFromError`) answers a failed call with
 * gRPC trailers: `grpc-message` (the error's message, `encodeURI`d by grpc-js) and, when the error
 * carries `id`, `grpc-status-details-bin` (base64 of a `google.rpc.Status` wrapping
 * `pulumirpc.ErrorResourceInitFailed{id, properties, reasons}`). Node's HTTP/2 drops a header block
 * over about 64 KB without a word and the engine then waits forever (measured: 56 KB gets through).
 * So every error is sized here in the bytes that travel, and shrunk until it fits a budget with margin.
 */

import { BoxError, boxFields } from "./errors";

type Props = Record<string, unknown>;

/** The most trailer bytes one error may take: well under the ~64 KB Node's HTTP/2 accepts. */
export const MAX_TRAILER_BYTES = 40_000;

/** What Pulumi's host puts in an error's trailers. */
export interface HostErrorShape {
    /** The error's message (`grpc-message`). */
    message: string;
    /** Set when the resource exists despite the failure (a partial create or update). */
    id?: string;
    /** The state to record, the front door's carry included; travels only with `id`. */
    properties?: Props;
    /** What the engine shows for a partial failure; travels only with `id`. */
    reasons?: string[];
}

const utf8 = (s: string): number => Buffer.byteLength(s, "utf8");

/** Bytes of a protobuf varint. */
function varintBytes(n: number): number {
    let bytes = 1;
    while (n >= 0x80) {
        n = Math.floor(n / 0x80);
        bytes++;
    }
    return bytes;
}

/** Bytes of a length-delimited field (tag, length, payload) with a one-byte tag. */
const delimited = (payload: number): number => 1 + varintBytes(payload) + payload;

/** Bytes of a `google.protobuf.Value` holding `v`, as `Struct.fromJavaScript` encodes it. */
function valueBytes(v: unknown): number {
    if (v === null || v === undefined) return 2; // null_value: tag + enum 0
    if (typeof v === "boolean") return 2;
    if (typeof v === "number") return 9; // double: tag + 8 bytes
    if (typeof v === "string") return delimited(utf8(v));
    if (Array.isArray(v))
        return delimited(v.reduce((sum: number, item) => sum + delimited(valueBytes(item)), 0));
    if (typeof v === "object") return delimited(structBytes(v as Props));
    return delimited(utf8(String(v)));
}

/** Bytes of a `google.protobuf.Struct` holding `props` (one map entry per own key). */
export function structBytes(props: Props): number {
    let total = 0;
    for (const [key, value] of Object.entries(props)) {
        total += delimited(delimited(utf8(key)) + delimited(valueBytes(value)));
    }
    return total;
}

const TYPE_URL = "type.googleapis.com/pulumirpc.ErrorResourceInitFailed";
/** Header names, `grpc-status`, HTTP/2 pseudo-headers and content type: a generous allowance. */
const FIXED_OVERHEAD = 512;

/** The bytes `grpc-message` takes: grpc-js sends `encodeURI(message)`. */
function messageHeaderBytes(message: string): number {
    return encodeURI(message).length;
}

/** Total trailer bytes Pulumi's host sends for an error of this shape. */
export function trailerBytes(e: HostErrorShape): number {
    let total = FIXED_OVERHEAD + messageHeaderBytes(e.message);
    if (e.id) {
        const detail =
            delimited(utf8(e.id)) +
            delimited(structBytes(e.properties ?? {})) +
            (e.reasons ?? []).reduce((sum, r) => sum + delimited(utf8(r)), 0);
        const any = delimited(utf8(TYPE_URL)) + delimited(detail);
        const status = 2 + delimited(utf8(e.message)) + delimited(any);
        total += 4 * Math.ceil(status / 3);
    }
    return total;
}

/** Whether an error of this shape gets an answer to the engine at all. */
export function fitsThroughHost(e: HostErrorShape, budget = MAX_TRAILER_BYTES): boolean {
    return trailerBytes(e) <= budget;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Makes text safe for `encodeURI` (which throws on a lone surrogate: the host would then never answer)
 * and short enough that its encoded form takes at most `maxBytes`, marking any cut.
 */
export function boundText(text: string, maxBytes: number): string {
    const safe = text.replace(LONE_SURROGATE, "\uFFFD");
    if (messageHeaderBytes(safe) <= maxBytes) return safe;
    const mark = " … (cut to fit through Pulumi's provider host)";
    // Binary search on code points: encoded length grows monotonically with the prefix.
    const chars = Array.from(safe);
    let lo = 0;
    let hi = chars.length;
    while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (messageHeaderBytes(chars.slice(0, mid).join("") + mark) <= maxBytes) lo = mid;
        else hi = mid - 1;
    }
    return chars.slice(0, lo).join("") + mark;
}

/**
 * Like {@link boundText}, but a cut keeps both ends: Box's errors end with the request ID and the
 * endpoint, which a support case needs as much as the status at the start.
 */
export function boundTextKeepingEnds(text: string, maxBytes: number): string {
    const safe = text.replace(LONE_SURROGATE, "\uFFFD");
    if (messageHeaderBytes(safe) <= maxBytes) return safe;
    const chars = Array.from(safe);
    const tail: string[] = [];
    let tailBytes = 0;
    for (let i = chars.length - 1; i >= 0; i--) {
        const size = messageHeaderBytes(chars[i]);
        if (tailBytes + size > maxBytes * 0.4) break;
        tail.unshift(chars[i]);
        tailBytes += size;
    }
    const separator = " … ";
    const headBytes = maxBytes - tailBytes - messageHeaderBytes(separator);
    return `${boundText(chars.slice(0, chars.length - tail.length).join(""), headBytes)}${separator}${tail.join("")}`;
}

/**
 * The error to hand Pulumi's host for anything a lifecycle method throws: an `Error` whose trailers
 * fit. A partial result (an error carrying `id`) was sized when it was built (partial-failure.ts);
 * any other message is cut to fit, since Box's answer or a settings file can be of any length.
 */
export function errorForHost(err: unknown): Error {
    const error = err instanceof Error ? err : new BoxError("BoxError", String(err));
    const shape = error as Error & Partial<HostErrorShape>;
    if (shape.id && fitsThroughHost({ ...shape, message: error.message })) return error;
    if (shape.id) {
        // Should not happen (partial reports are planned to fit); never let it become a hang.
        const bounded = boundText(error.message, MAX_TRAILER_BYTES - FIXED_OVERHEAD);
        return new BoxError(error.name, bounded, boxFields(error));
    }
    error.message = boundText(error.message, MAX_TRAILER_BYTES - FIXED_OVERHEAD);
    return error;
}
