/**
 * The bytes Pulumi's Node provider host really sends for an error, built with the encoders it uses
 * (google-protobuf's Struct, google.rpc.Status, grpc-js's encodeURI of the message), to check the
 * provider's own sizing against.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
export const structproto: any = require("google-protobuf/google/protobuf/struct_pb");
const anyproto: any = require("google-protobuf/google/protobuf/any_pb");
const statusproto: any = require("@pulumi/pulumi/proto/status_pb");
const provproto: any = require("@pulumi/pulumi/proto/provider_pb");

/** The bytes Pulumi's host really sends for an error, built exactly as `grpcResponseFromError` does. */
export function realTrailerBytes(e: {
    message: string;
    id?: string;
    properties?: object;
    reasons?: string[];
}): number {
    let total = encodeURI(e.message).length;
    if (e.id) {
        const resp = new statusproto.Status();
        resp.setCode(2);
        resp.setMessage(e.message);
        const detail = new provproto.ErrorResourceInitFailed();
        detail.setId(e.id);
        detail.setProperties(structproto.Struct.fromJavaScript(e.properties || {}));
        detail.setReasonsList(e.reasons || []);
        const details = new anyproto.Any();
        details.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
        resp.addDetails(details);
        total += Buffer.from(resp.serializeBinary()).toString("base64").length;
    }
    return total;
}
