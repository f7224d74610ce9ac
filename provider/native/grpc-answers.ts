/**
 * How the native provider answers the engine over gRPC: a lifecycle error as a status the engine
 * understands (a partial result as `ErrorResourceInitFailed` in the status details, exactly as
 * Pulumi's own providers send it), sized to travel (core/trailer-limits.ts: grpc-js drops a header
 * block over about 64 KB, and the engine then waits forever).
 */
import type * as grpcTypes from "@grpc/grpc-js";
import { anyproto, grpc, provproto, statusproto, structproto, type Struct } from "./protocol";
import { errorForHost } from "../core/trailer-limits";
import { rewrap } from "./values";

/** A gRPC error the engine reads: its message, and for a partial result the init failure. */
export interface EngineError {
    /** Always UNKNOWN, as Pulumi's providers send a failed step. */
    code: grpcTypes.status;
    /** What `pulumi up` prints (unless the engine shows the init failure's reasons instead). */
    details: string;
    /** `grpc-status-details-bin` carrying `ErrorResourceInitFailed` for a partial result. */
    metadata: grpcTypes.Metadata;
}

/**
 * `err` as the engine should receive it. An error carrying `id` (a partial result) records `properties`
 * (secret keys wrapped again) and shows `reasons`.
 */
export function engineError(err: unknown, secretKeys: readonly string[]): EngineError {
    const error = errorForHost(err) as Error & {
        id?: string;
        properties?: Record<string, unknown>;
        reasons?: string[];
    };
    const metadata = new grpc.Metadata();
    if (error.id) {
        const detail = new provproto.ErrorResourceInitFailed();
        detail.setId(error.id);
        detail.setProperties(
            structproto.Struct.fromJavaScript(rewrap(error.properties ?? {}, secretKeys) as never),
        );
        detail.setReasonsList(error.reasons ?? []);
        const any = new anyproto.Any();
        any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
        const status = new statusproto.Status();
        status.setCode(grpc.status.UNKNOWN);
        status.setMessage(error.message);
        status.addDetails(any);
        metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
    }
    return { code: grpc.status.UNKNOWN, details: error.message, metadata };
}

/** A Struct from plain properties (undefined values dropped, as the engine would). */
export function toStruct(props: Record<string, unknown>): Struct {
    return structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(props)) as never);
}

/** Plain properties from a Struct that may be absent. */
export function fromStruct(struct: Struct | undefined): Record<string, unknown> {
    return (struct?.toJavaScript() ?? {}) as Record<string, unknown>;
}
