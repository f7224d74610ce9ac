#!/usr/bin/env node
/**
 * `pulumi-resource-box <engine address>`: the native provider plugin, launched by the engine as it
 * launches every resource plugin. It listens on 127.0.0.1, prints its port as the first line of
 * stdout, and serves until the engine closes it (or SIGINT/SIGTERM).
 */
import { grpc, provrpc } from "./protocol";
import { engineLog } from "./engine-log";
import { resourceProviderService } from "./server";

async function main(args: string[]): Promise<void> {
    const log = engineLog(args.find((a) => !a.startsWith("-")));
    const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    server.addService(provrpc.ResourceProviderService, resourceProviderService(log));
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
            err ? reject(err) : resolve(p),
        ),
    );
    process.stdout.write(`${port}\n`);
    const stop = () => {
        log.close();
        server.tryShutdown(() => process.exit(0));
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
}

main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`pulumi-resource-box: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
});
