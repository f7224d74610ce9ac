/**
 * Drives Pulumi's own dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) over gRPC, the way
 * the Pulumi engine does during `pulumi preview` and `pulumi up`: the host deserializes `__provider`
 * from the resource's properties and calls its methods.
 */
import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import type * as grpcTypes from "@grpc/grpc-js";

// Pulumi's generated gRPC stubs are CommonJS without type declarations, so this file talks to them as `any`.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Pulumi's gRPC stubs and the gRPC library, loaded from the `@pulumi/pulumi` installed where the host
 * runs: the messages must come from the same protobuf runtime as the host's, and a user's project may
 * pin any supported Pulumi version.
 */
interface Protocol {
    grpc: typeof grpcTypes;
    provrpc: any;
    provproto: any;
    statusproto: any;
    structproto: any;
}

const protocols = new Map<string, Protocol>();

/** The dynamic-provider host entry point and Pulumi's protocol, as installed for `cwd`. */
function protocolFor(cwd: string): { entry: string; protocol: Protocol } {
    const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [cwd] });
    const pulumiDir = path.resolve(path.dirname(entry), "..", "..");
    let protocol = protocols.get(pulumiDir);
    if (!protocol) {
        const load = (id: string): any => require(require.resolve(id, { paths: [pulumiDir] }));
        protocol = {
            grpc: load("@grpc/grpc-js"),
            provrpc: require(path.join(pulumiDir, "proto", "provider_grpc_pb")),
            provproto: require(path.join(pulumiDir, "proto", "provider_pb")),
            statusproto: require(path.join(pulumiDir, "proto", "status_pb")),
            structproto: load("google-protobuf/google/protobuf/struct_pb"),
        };
        protocols.set(pulumiDir, protocol);
    }
    return { entry, protocol };
}

/** The marker the engine wraps secret values in. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_MARKER = "1b47061264138c4ac30d75fd1eb44270";

type Props = Record<string, unknown>;

/** A failed create or update. `initFailed` is set when the provider reported partial success. */
export class HostCallError extends Error {
    /** The partially created resource, as the engine would record it. */
    readonly initFailed?: { id: string; properties: Props; reasons: string[] };
    /** Creates the error from the gRPC status. */
    constructor(message: string, initFailed?: { id: string; properties: Props; reasons: string[] }) {
        super(message);
        this.name = "HostCallError";
        this.initFailed = initFailed;
    }
}

/** Options for starting a host process. */
export interface HostOptions {
    /** Working directory; `require`s in the serialized provider resolve from here. */
    cwd?: string;
    /** Extra environment for the host (Box credentials, for instance). */
    env?: Record<string, string | undefined>;
    /** Project name for unqualified config keys. */
    project?: string;
    /** How long one call may go unanswered before it fails (default 5 minutes). */
    callTimeoutMs?: number;
    /**
     * A provider plugin executable to run instead of Pulumi's dynamic-provider host (the native
     * `pulumi-resource-box`), launched with no engine address: its lines go to stderr.
     */
    plugin?: string;
}

function toStruct(protocol: Protocol, value: Props): unknown {
    return protocol.structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
}

function parseInitFailed(protocol: Protocol, err: grpcTypes.ServiceError): HostCallError["initFailed"] {
    const { statusproto, provproto } = protocol;
    const raw = err.metadata?.get("grpc-status-details-bin")?.[0];
    if (!raw) return undefined;
    const status = statusproto.Status.deserializeBinary(new Uint8Array(raw as Buffer));
    for (const any of status.getDetailsList()) {
        if (String(any.getTypeUrl()).endsWith("pulumirpc.ErrorResourceInitFailed")) {
            const detail = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
            return {
                id: detail.getId(),
                properties: detail.getProperties()?.toJavaScript() ?? {},
                reasons: detail.getReasonsList(),
            };
        }
    }
    return undefined;
}

/** A running provider host and a gRPC client to it. */
export class ProviderHost {
    /** Everything the host printed, stdout and stderr, for leak scans and debugging. */
    output = "";
    private constructor(
        private readonly child: ChildProcess,
        private readonly client: any,
        private readonly protocol: Protocol,
        private readonly callTimeoutMs: number,
    ) {}

    /** Spawns the host and connects to the port it prints. */
    static async start(options: HostOptions = {}): Promise<ProviderHost> {
        const cwd = options.cwd ?? process.cwd();
        const { entry, protocol } = protocolFor(cwd);
        const [command, args] = options.plugin
            ? [options.plugin, []]
            : [process.execPath, [path.dirname(entry), "127.0.0.1:1"]];
        const child = spawn(command, args, {
            cwd,
            env: { ...process.env, PULUMI_NODEJS_PROJECT: options.project ?? "box-demo", ...options.env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        const port = await new Promise<number>((resolve, reject) => {
            const timer = setTimeout(
                () => reject(new Error(`provider host did not start:\n${output}`)),
                30_000,
            );
            child.stdout!.on("data", (chunk: Buffer) => {
                output += chunk.toString();
                const match = /^(\d+)\s*$/m.exec(output);
                if (match) {
                    clearTimeout(timer);
                    resolve(Number(match[1]));
                }
            });
            child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
            child.on("exit", (code) => reject(new Error(`provider host exited with ${code}:\n${output}`)));
        });
        // A partial-failure status carries the resource's properties (with `__provider`) in a binary
        // trailer. grpc-js clients drop metadata over 8 KB by default; Pulumi's engine, a Go client,
        // accepts far more, so the harness does too.
        const client = new protocol.provrpc.ResourceProviderClient(
            `127.0.0.1:${port}`,
            protocol.grpc.credentials.createInsecure(),
            {
                "grpc.max_metadata_size": 16 * 1024 * 1024,
            },
        );
        const host = new ProviderHost(child, client, protocol, options.callTimeoutMs ?? 300_000);
        host.output = output;
        child.stdout!.on("data", (chunk: Buffer) => (host.output += chunk.toString()));
        child.stderr!.on("data", (chunk: Buffer) => (host.output += chunk.toString()));
        return host;
    }

    private call<T>(method: string, request: unknown): Promise<T> {
        return new Promise((resolve, reject) => {
            // A call the host never answers (a lost trailer, a hung provider) fails instead of waiting forever.
            const deadline = new Date(Date.now() + this.callTimeoutMs);
            this.client[method](request, { deadline }, (err: grpcTypes.ServiceError | null, response: T) => {
                if (!err) return resolve(response);
                // Anything thrown in a gRPC callback is swallowed and would leave this call pending forever.
                try {
                    reject(
                        new HostCallError(err.details || err.message, parseInitFailed(this.protocol, err)),
                    );
                } catch (parseError) {
                    reject(parseError);
                }
            });
        });
    }

    /** Sends stack config; keys listed in `secretKeys` are wrapped as the engine wraps secrets. */
    async configure(config: Record<string, string>, secretKeys: string[] = []): Promise<void> {
        const args: Props = {};
        for (const [key, value] of Object.entries(config)) {
            args[key] = secretKeys.includes(key) ? { [SECRET_SIG]: SECRET_MARKER, value } : value;
        }
        const req = new this.protocol.provproto.ConfigureRequest();
        req.setArgs(toStruct(this.protocol, args));
        req.setAcceptsecrets(true);
        await this.call("configure", req);
    }

    /** `Check`: returns normalized inputs and failures. */
    async check(
        urn: string,
        olds: Props,
        news: Props,
    ): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
        const req = new this.protocol.provproto.CheckRequest();
        req.setUrn(urn);
        req.setOlds(toStruct(this.protocol, olds));
        req.setNews(toStruct(this.protocol, news));
        const resp: any = await this.call("check", req);
        return {
            inputs: resp.getInputs()?.toJavaScript() ?? {},
            failures: resp
                .getFailuresList()
                .map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    /** `Diff`: `changes` is "none", "some" or "unknown". */
    async diff(
        id: string,
        urn: string,
        olds: Props,
        news: Props,
    ): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[] }> {
        const req = new this.protocol.provproto.DiffRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setOlds(toStruct(this.protocol, olds));
        req.setNews(toStruct(this.protocol, news));
        const resp: any = await this.call("diff", req);
        const kinds = this.protocol.provproto.DiffResponse.DiffChanges;
        const changes =
            resp.getChanges() === kinds.DIFF_SOME
                ? "some"
                : resp.getChanges() === kinds.DIFF_NONE
                  ? "none"
                  : "unknown";
        return { changes, replaces: resp.getReplacesList() };
    }

    /** `Create`: returns the ID and output properties. */
    async create(urn: string, properties: Props): Promise<{ id: string; properties: Props }> {
        const req = new this.protocol.provproto.CreateRequest();
        req.setUrn(urn);
        req.setProperties(toStruct(this.protocol, properties));
        const resp: any = await this.call("create", req);
        return { id: resp.getId(), properties: resp.getProperties()?.toJavaScript() ?? {} };
    }

    /** `Read`: returns the refreshed properties. */
    async read(
        id: string,
        urn: string,
        properties: Props,
        inputs?: Props,
    ): Promise<{ id: string; properties: Props }> {
        const req = new this.protocol.provproto.ReadRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setProperties(toStruct(this.protocol, properties));
        if (inputs) req.setInputs(toStruct(this.protocol, inputs));
        const resp: any = await this.call("read", req);
        return { id: resp.getId(), properties: resp.getProperties()?.toJavaScript() ?? {} };
    }

    /** `Update`: returns the new output properties. */
    async update(id: string, urn: string, olds: Props, news: Props): Promise<{ properties: Props }> {
        const req = new this.protocol.provproto.UpdateRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setOlds(toStruct(this.protocol, olds));
        req.setNews(toStruct(this.protocol, news));
        const resp: any = await this.call("update", req);
        return { properties: resp.getProperties()?.toJavaScript() ?? {} };
    }

    /** `Delete`. */
    async delete(id: string, urn: string, properties: Props): Promise<void> {
        const req = new this.protocol.provproto.DeleteRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setProperties(toStruct(this.protocol, properties));
        await this.call("delete", req);
    }

    /** Closes the client and stops the host. */
    async stop(): Promise<void> {
        this.client.close();
        // Idempotent: a host killed by a signal has a signalCode and no exitCode, and will not exit again.
        if (this.child.exitCode === null && this.child.signalCode === null) {
            const exited = new Promise((resolve) => this.child.once("exit", resolve));
            this.child.kill();
            await exited;
        }
    }
}
