/**
 * Lines shown by `pulumi up`, sent to the engine's Log service at the address the engine launched the
 * plugin with; without one (a test driving the plugin directly) they go to stderr, which the engine
 * also shows.
 */
import { engineproto, enginerpc, grpc } from "./protocol";

/** Where the plugin's lines go. */
export interface EngineLog {
    /** A warning on the resource `urn` (or the stack, when empty). */
    warn(line: string, urn?: string): void;
    /** A status line on the resource's row, replaced by the next one (progress). */
    status(line: string, urn?: string): void;
    /** Closes the connection. */
    close(): void;
}

/** An {@link EngineLog} for the engine at `address`, or stderr when there is none. */
export function engineLog(address: string | undefined): EngineLog {
    if (!address) {
        return {
            warn: (line) => void process.stderr.write(`warning: ${line}\n`),
            status: () => undefined,
            close: () => undefined,
        };
    }
    const client = new enginerpc.EngineClient(address, grpc.credentials.createInsecure());
    const send = (severity: number, line: string, urn: string | undefined, ephemeral: boolean): void => {
        const request = new engineproto.LogRequest();
        request.setSeverity(severity as never);
        request.setMessage(line);
        request.setUrn(urn ?? "");
        request.setEphemeral(ephemeral);
        // A lost line must never fail the step it describes.
        client.log(request, () => undefined);
    };
    return {
        warn: (line, urn) => send(engineproto.LogSeverity.WARNING, line, urn, false),
        status: (line, urn) => send(engineproto.LogSeverity.INFO, line, urn, true),
        close: () => client.close(),
    };
}
