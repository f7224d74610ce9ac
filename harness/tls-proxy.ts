/**
 * What a proxy test needs: a test CA with a certificate for 127.0.0.1 and localhost (made with the
 * `openssl` command, trusted by a process through `NODE_EXTRA_CA_CERTS` as users trust a corporate
 * CA), and a local HTTP CONNECT proxy that records everything it relays, as an egress proxy could.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import type { Duplex } from "stream";
import { removeOnExit } from "./temp-dirs";

/** A test CA and a server certificate it issued. */
export interface TestCertificates {
    /** The CA certificate's file, for `NODE_EXTRA_CA_CERTS`. */
    caFile: string;
    /** The server's private key (PEM). */
    key: string;
    /** The server's certificate (PEM), for 127.0.0.1, ::1 and localhost. */
    cert: string;
}

/** Makes a CA and a server certificate in a directory removed at exit. */
export function makeTestCertificates(): TestCertificates {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "box-test-ca-"));
    removeOnExit(dir);
    const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
    run(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=box-session-termination test CA",
    );
    run(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    );
    fs.writeFileSync(path.join(dir, "san.cnf"), "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\n");
    run(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "san.cnf",
    );
    return {
        caFile: path.join(dir, "ca.pem"),
        key: fs.readFileSync(path.join(dir, "server.key"), "utf8"),
        cert: fs.readFileSync(path.join(dir, "server.pem"), "utf8"),
    };
}

/** One CONNECT the proxy received. */
export interface ProxiedConnect {
    /** `host:port` asked for. */
    target: string;
    /** The `Proxy-Authorization` header, if any. */
    proxyAuthorization?: string;
}

/** A running CONNECT proxy. */
export interface ConnectProxy {
    /** `http://127.0.0.1:<port>`. */
    url: string;
    /** Every CONNECT, in order. */
    connects: ProxiedConnect[];
    /** Every byte the proxy saw, both ways, as latin1 text: what a proxy could read. */
    seen(): string;
    /** Plain (non-CONNECT) requests it received: a client sending a request to the proxy in clear. */
    plainRequests: string[];
    /** Client connections still open. */
    openClients(): number;
    close(): Promise<void>;
}

/** How the proxy behaves. */
export interface ConnectProxyOptions {
    /** Answer CONNECT with this status instead of tunnelling (e.g. 407, 403). */
    refuse?: number;
    /** Require this `Proxy-Authorization` value, answering 407 otherwise. */
    requireAuthorization?: string;
    /** Accept CONNECT and never answer it. */
    hang?: boolean;
    /** Start a 200 answer to CONNECT and never finish its headers, a byte every 50 ms. */
    trickle?: boolean;
}

/** Starts a CONNECT proxy on 127.0.0.1. */
export async function startConnectProxy(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
    const connects: ProxiedConnect[] = [];
    const plainRequests: string[] = [];
    const chunks: Buffer[] = [];
    const sockets = new Set<Duplex>();
    const clients = new Set<Duplex>();
    const server = http.createServer((req, res) => {
        plainRequests.push(`${req.method} ${req.url}`);
        res.writeHead(400).end();
    });
    server.on("connect", (req: http.IncomingMessage, client: Duplex, head: Buffer) => {
        sockets.add(client);
        clients.add(client);
        client.on("error", () => client.destroy());
        client.on("close", () => clients.delete(client));
        const auth = req.headers["proxy-authorization"];
        connects.push({ target: req.url ?? "", ...(auth ? { proxyAuthorization: String(auth) } : {}) });
        if (options.hang) return;
        if (options.trickle) {
            client.write("HTTP/1.1 200 Connection Established\r\nX-Pad: ");
            const timer = setInterval(() => client.write("a"), 50);
            client.on("close", () => clearInterval(timer));
            return;
        }
        const refuse =
            options.refuse ??
            (options.requireAuthorization !== undefined && auth !== options.requireAuthorization
                ? 407
                : undefined);
        if (refuse !== undefined) {
            client.end(
                `HTTP/1.1 ${refuse} Refused\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n`,
            );
            return;
        }
        const [host, port] = (req.url ?? "").split(/:(?=\d+$)/);
        const upstream = net.connect(Number(port), host.replace(/^\[|\]$/g, ""), () => {
            client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
            if (head.length) upstream.write(head);
            client.on("data", (d: Buffer) => chunks.push(d));
            upstream.on("data", (d: Buffer) => chunks.push(d));
            client.pipe(upstream).pipe(client);
        });
        sockets.add(upstream);
        upstream.on("error", () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
        connects,
        plainRequests,
        openClients: () => clients.size,
        seen: () => Buffer.concat(chunks).toString("latin1"),
        close: () =>
            new Promise<void>((resolve) => {
                for (const s of sockets) s.destroy();
                server.close(() => resolve());
            }),
    };
}
