/**
 * Pulumi's gRPC definitions, loaded from the one `@pulumi/pulumi` the plugin runs with, and grpc-js
 * and google-protobuf from beside it: a message built with one copy of google-protobuf cannot be
 * serialized by another's generated code, and a project may hold several.
 */
import * as path from "path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as anyTypes from "google-protobuf/google/protobuf/any_pb";
import type * as emptyTypes from "google-protobuf/google/protobuf/empty_pb";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import type * as provTypes from "@pulumi/pulumi/proto/provider_pb";
import type * as provRpcTypes from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as plugTypes from "@pulumi/pulumi/proto/plugin_pb";
import type * as statusTypes from "@pulumi/pulumi/proto/status_pb";
import type * as engineTypes from "@pulumi/pulumi/proto/engine_pb";
import type * as engineRpcTypes from "@pulumi/pulumi/proto/engine_grpc_pb";

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const beside = <T>(id: string): T => require(require.resolve(id, { paths: [pulumiDir] })) as T;
const proto = <T>(name: string): T => require(path.join(pulumiDir, "proto", name)) as T;

/** grpc-js, as @pulumi/pulumi uses it. */
export const grpc = beside<typeof grpcTypes>("@grpc/grpc-js");
/** google.protobuf.Any. */
export const anyproto = beside<typeof anyTypes>("google-protobuf/google/protobuf/any_pb");
/** google.protobuf.Empty. */
export const emptyproto = beside<typeof emptyTypes>("google-protobuf/google/protobuf/empty_pb");
/** google.protobuf.Struct. */
export const structproto = beside<typeof structTypes>("google-protobuf/google/protobuf/struct_pb");
/** pulumirpc provider messages. */
export const provproto = proto<typeof provTypes>("provider_pb");
/** pulumirpc ResourceProvider service. */
export const provrpc = proto<typeof provRpcTypes>("provider_grpc_pb");
/** pulumirpc PluginInfo. */
export const plugproto = proto<typeof plugTypes>("plugin_pb");
/** google.rpc.Status. */
export const statusproto = proto<typeof statusTypes>("status_pb");
/** pulumirpc engine messages (Log). */
export const engineproto = proto<typeof engineTypes>("engine_pb");
/** pulumirpc Engine service. */
export const enginerpc = proto<typeof engineRpcTypes>("engine_grpc_pb");

/** The Struct message type. */
export type Struct = structTypes.Struct;
