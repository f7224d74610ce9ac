/**
 * The native provider's gRPC service: `box:index:SessionTermination` for every Pulumi language. Each
 * call converts the engine's values at the boundary (values.ts) and hands the rest to the core's
 * lifecycle (core/lifecycle.ts), the same code the dynamic resource runs, so validation, guardrails,
 * batching, isolation, bounds, auth and partial failures are the dynamic resource's.
 *
 * Unlike the dynamic provider it reads its configuration from Configure (one set per provider
 * instance, so a stack can address several Box enterprises), accepts secrets and returns them still
 * secret, and reports a detailed diff, principal by principal.
 */
import type * as grpcTypes from "@grpc/grpc-js";
import type * as provTypes from "@pulumi/pulumi/proto/provider_pb";
import { processState } from "../core/process-state";
import { collectSettings, type RawSettings } from "../core/settings";
import {
    checkTermination,
    createTermination,
    diffTermination,
    updateTermination,
    type FrontDoor,
} from "../core/lifecycle";
import { detailedChanges } from "../core/diff";
import { VERSION } from "../core/version";
import { emptyproto, plugproto, provproto } from "./protocol";
import { engineError, fromStruct, toStruct } from "./grpc-answers";
import { configWarnings } from "./config";
import type { EngineLog } from "./engine-log";
import { rewrap, unwrap } from "./values";
import { schemaText } from "./schema";
import { adopt } from "./adopt";

type Callback = grpcTypes.sendUnaryData<unknown>;
/** A unary call carrying request `R`. */
type Call<R = unknown> = { request: R };

/** Answers one call: `run`'s value, or its error as the engine reads it (secrets of `secretKeys` kept). */
function answer(
    callback: Callback,
    run: () => Promise<unknown>,
    secretKeys: () => readonly string[] = () => [],
): void {
    run().then(
        (value) => callback(null, value),
        (err: unknown) => callback(engineError(err, secretKeys()) as grpcTypes.ServerErrorResponse),
    );
}

/** The `box:*` settings a Configure call gives: its args (secrets unwrapped), else its variables. */
function settingsOf(request: provTypes.ConfigureRequest): RawSettings {
    const args = unwrap(fromStruct(request.getArgs())).props;
    const variables = request.getVariablesMap();
    return collectSettings((s) => args[s.name] ?? variables.get(`box:config:${s.name}`));
}

/** The ResourceProvider service, logging through `log` (the engine, when its address was given). */
export function resourceProviderService(log: EngineLog): grpcTypes.UntypedServiceImplementation {
    const door = (urn: string): FrontDoor => ({
        log: (line) => log.warn(line, urn),
        carry: () => ({}),
        progress: (line) => log.status(line, urn),
    });
    const checked = (call: Call<provTypes.CheckRequest>, callback: Callback, config: boolean) =>
        answer(callback, async () => {
            const news = fromStruct(call.request.getNews());
            const response = new provproto.CheckResponse();
            if (config) {
                // Accepted as given: each setting is checked where it is used, naming it.
                response.setInputs(toStruct(news));
                return response;
            }
            const olds = unwrap(fromStruct(call.request.getOlds())).props;
            const input = unwrap(news);
            const { inputs, failures } = checkTermination(olds, input.props, door(call.request.getUrn()));
            response.setInputs(toStruct(rewrap({ ...inputs }, input.secretKeys)));
            for (const f of failures) {
                const failure = new provproto.CheckFailure();
                failure.setProperty(f.property);
                failure.setReason(f.reason);
                response.addFailures(failure);
            }
            return response;
        });
    return {
        getPluginInfo: (_call: Call, callback: Callback) => {
            const info = new plugproto.PluginInfo();
            info.setVersion(VERSION);
            callback(null, info);
        },
        getSchema: (_call: Call, callback: Callback) =>
            answer(callback, async () => {
                const response = new provproto.GetSchemaResponse();
                response.setSchema(schemaText());
                return response;
            }),
        checkConfig: (call: Call<provTypes.CheckRequest>, callback: Callback) =>
            checked(call, callback, true),
        diffConfig: (call: Call<provTypes.DiffRequest>, callback: Callback) =>
            answer(callback, async () => {
                // A change of origin or credentials applies to later calls; nothing is replaced.
                const olds = unwrap(fromStruct(call.request.getOlds())).props;
                const news = unwrap(fromStruct(call.request.getNews())).props;
                const diffs = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter(
                    (k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]),
                );
                const response = new provproto.DiffResponse();
                response.setChanges(
                    diffs.length
                        ? provproto.DiffResponse.DiffChanges.DIFF_SOME
                        : provproto.DiffResponse.DiffChanges.DIFF_NONE,
                );
                response.setDiffsList(diffs);
                return response;
            }),
        configure: (call: Call<provTypes.ConfigureRequest>, callback: Callback) =>
            answer(callback, async () => {
                configWarnings(fromStruct(call.request.getArgs()), (line) => log.warn(line));
                processState().config = settingsOf(call.request);
                const response = new provproto.ConfigureResponse();
                response.setAcceptsecrets(true);
                response.setSupportspreview(false);
                response.setAcceptresources(false);
                return response;
            }),
        check: (call: Call<provTypes.CheckRequest>, callback: Callback) => checked(call, callback, false),
        diff: (call: Call<provTypes.DiffRequest>, callback: Callback) =>
            answer(callback, async () => {
                const olds = unwrap(fromStruct(call.request.getOlds())).props;
                const news = unwrap(fromStruct(call.request.getNews())).props;
                const plan = diffTermination(olds, news);
                const response = new provproto.DiffResponse();
                response.setChanges(
                    plan.changes
                        ? provproto.DiffResponse.DiffChanges.DIFF_SOME
                        : provproto.DiffResponse.DiffChanges.DIFF_NONE,
                );
                response.setReplacesList(plan.replaces);
                response.setDeletebeforereplace(false);
                const changes = plan.changes ? detailedChanges(olds, news) : [];
                response.setDiffsList([...new Set(changes.map((c) => c.path.replace(/\[\d+\]$/, "")))]);
                const Kind = provproto.PropertyDiff.Kind;
                // [plain, replacing]: the engine shows a replacing change as `+-` on the property's line.
                const kinds = {
                    add: [Kind.ADD, Kind.ADD_REPLACE],
                    delete: [Kind.DELETE, Kind.DELETE_REPLACE],
                    update: [Kind.UPDATE, Kind.UPDATE_REPLACE],
                };
                const detailed = response.getDetaileddiffMap();
                for (const c of changes) {
                    const diff = new provproto.PropertyDiff();
                    diff.setKind(kinds[c.kind][c.replaces ? 1 : 0]);
                    diff.setInputdiff(true);
                    detailed.set(c.path, diff);
                }
                // With no change of our own, the engine may still update (a partial failure's init errors):
                // then its own diff of old and new inputs shows what the program changed since.
                response.setHasdetaileddiff(changes.length > 0);
                return response;
            }),
        create: (call: Call<provTypes.CreateRequest>, callback: Callback) => {
            const input = unwrap(fromStruct(call.request.getProperties()));
            answer(
                callback,
                async () => {
                    const { id, outs } = await createTermination(input.props, door(call.request.getUrn()));
                    const response = new provproto.CreateResponse();
                    response.setId(id);
                    response.setProperties(toStruct(rewrap({ ...outs }, input.secretKeys)));
                    return response;
                },
                () => input.secretKeys,
            );
        },
        read: (call: Call<provTypes.ReadRequest>, callback: Callback) =>
            answer(callback, async () => {
                const response = new provproto.ReadResponse();
                if (Object.keys(fromStruct(call.request.getProperties())).length === 0) {
                    // An import (no state yet): the ID carries the principals already terminated.
                    const adopted = adopt(call.request.getId());
                    response.setId(adopted.id);
                    response.setProperties(toStruct({ ...adopted.outputs }));
                    response.setInputs(toStruct(adopted.inputs));
                    return response;
                }
                // Box keeps no record of a termination to read back: state is returned as it is.
                response.setId(call.request.getId());
                response.setProperties(call.request.getProperties());
                response.setInputs(call.request.getInputs());
                return response;
            }),
        update: (call: Call<provTypes.UpdateRequest>, callback: Callback) => {
            const olds = unwrap(fromStruct(call.request.getOlds())).props;
            const news = unwrap(fromStruct(call.request.getNews()));
            answer(
                callback,
                async () => {
                    const outs = await updateTermination(
                        call.request.getId(),
                        olds,
                        news.props,
                        door(call.request.getUrn()),
                    );
                    const response = new provproto.UpdateResponse();
                    response.setProperties(toStruct(rewrap({ ...outs }, news.secretKeys)));
                    return response;
                },
                () => news.secretKeys,
            );
        },
        // Box cannot restore a terminated session: removing the record is all there is.
        delete: (_call: Call, callback: Callback) => callback(null, new emptyproto.Empty()),
        // Every call is bounded by box:deadlineSeconds; the engine stops the plugin after Cancel.
        cancel: (_call: Call, callback: Callback) => callback(null, new emptyproto.Empty()),
    };
}
